"""Decision regions over the plane, as characters or as a PNG: what
moons.py and three_class.py draw of their trained models."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

Box = tuple[tuple[float, float], tuple[float, float]]  # (x from, to), (y from, to)


def grid(
    classify: Callable[[list[float]], int], box: Box, columns: int, rows: int
) -> list[list[int]]:
    """``classify(point)`` at each cell of a ``columns`` x ``rows`` grid over
    ``box``, the top row first."""
    (x0, x1), (y0, y1) = box
    return [
        [
            classify([x0 + (x1 - x0) * c / (columns - 1), y1 - (y1 - y0) * r / (rows - 1)])
            for c in range(columns)
        ]
        for r in range(rows)
    ]


def text_picture(
    regions: list[list[int]],
    box: Box,
    points: Sequence[Sequence[float]],
    classes: Sequence[int],
    region_marks: str,
    point_marks: str,
) -> str:
    """The regions in characters (``region_marks[k]`` for class k), each
    point as ``point_marks[k]`` of its class, in a frame of ``|``."""
    canvas = [[region_marks[k] for k in row] for row in regions]
    rows, columns = len(canvas), len(canvas[0])
    (x0, x1), (y0, y1) = box
    for (x, y), k in zip(points, classes, strict=True):
        c = round((x - x0) / (x1 - x0) * (columns - 1))
        r = round((y1 - y) / (y1 - y0) * (rows - 1))
        if 0 <= c < columns and 0 <= r < rows:
            canvas[r][c] = point_marks[k]
    return "\n".join("|" + "".join(row) + "|" for row in canvas)


def png_picture(
    regions: list[list[int]],
    box: Box,
    points: Sequence[Sequence[float]],
    classes: Sequence[int],
    path: Path,
    *,
    title: str,
    cmap: str,
    size: tuple[float, float],
    alpha: float,
) -> Path:
    """The regions shaded, the points on top in their class's colour (needs
    matplotlib, the ``plot`` extra)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    (x0, x1), (y0, y1) = box
    top = max(max(map(max, regions)), max(classes))
    fig, ax = plt.subplots(figsize=size)
    ax.imshow(
        regions, extent=(x0, x1, y0, y1), cmap=cmap, vmin=0, vmax=top, alpha=alpha, aspect="auto"
    )
    ax.scatter(
        [p[0] for p in points],
        [p[1] for p in points],
        c=list(classes),
        cmap=cmap,
        vmin=0,
        vmax=top,
        edgecolors="k",
        s=24,
    )
    ax.set_title(title)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path


def show(title: str, png: Callable[[Path], Path], text: Callable[[], str], path: Path) -> None:
    """Draw the PNG to ``path`` and say where, or, without matplotlib, print
    the text picture and how to get the PNG."""
    try:
        path.parent.mkdir(exist_ok=True)
        print(f"{title}: {png(path)}")
    except ImportError:
        print(f"{title} (for a PNG: .venv/bin/pip install matplotlib):")
        print(text())


def run(main: Callable[[bool], object], doc: str) -> None:
    """The example's command line: ``--help``, and ``--quiet`` for no progress."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="no training progress")
    main(parser.parse_args().quiet)
