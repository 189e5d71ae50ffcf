"""Three classes: a 2-12-12-3 network learns three interleaved spirals with
cross-entropy and Adam.

120 points from a seeded generator (40 a class, one turn each), tanh hidden
layers and three logits per point, mini-batches of 16 in shuffled order. It
reaches 100% training accuracy in a few seconds and draws the decision
regions: a PNG with matplotlib (the `plot` extra), a text plot without.

Run: .venv/bin/python examples/three_class.py [--quiet]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograd import Value, no_grad
from nn import MLP, Adam, cross_entropy, fit, softmax
from nn.datasets import spirals

OUT = Path(__file__).resolve().parent.parent / "out"
CLASSES = 3
BOX = ((-1.1, 1.1), (-1.1, 1.1))


def make_spirals(
    per_class: int = 40, noise: float = 0.15, seed: int = 0
) -> tuple[list[list[float]], list[int]]:
    """``nn.datasets.spirals`` with three arms of ``per_class`` points."""
    return spirals(per_class * CLASSES, CLASSES, noise, seed=seed)


def train(
    points: list[list[float]], labels: list[int], epochs: int = 60, quiet: bool = False
) -> tuple[MLP[list[Value]], list[float]]:
    model: MLP[list[Value]] = MLP(2, [12, 12, CLASSES], activation="tanh", seed=0)
    history = fit(
        model,
        points,
        labels,
        epochs=epochs,
        loss=cross_entropy,
        optimizer=Adam(model.parameters(), lr=0.03),
        batch_size=16,
        shuffle=True,
        seed=0,
        quiet=quiet,
        stream=sys.stdout,
    )
    return model, history


def predict(model: MLP[list[Value]], point: list[float]) -> int:
    """The class with the largest logit (softmax keeps the order)."""
    with no_grad():
        logits = model(point)
    return max(range(CLASSES), key=lambda c: logits[c].data)


def accuracy(model: MLP[list[Value]], points: list[list[float]], labels: list[int]) -> float:
    return sum(predict(model, p) == y for p, y in zip(points, labels, strict=True)) / len(points)


def grid_classes(model: MLP[list[Value]], columns: int, rows: int) -> list[list[int]]:
    (x0, x1), (y0, y1) = BOX
    return [
        [
            predict(model, [x0 + (x1 - x0) * c / (columns - 1), y1 - (y1 - y0) * r / (rows - 1)])
            for c in range(columns)
        ]
        for r in range(rows)
    ]


def text_plot(
    model: MLP[list[Value]],
    points: list[list[float]],
    labels: list[int],
    columns: int = 64,
    rows: int = 28,
) -> str:
    """Regions as `` ``, ``.`` and ``:``; training points as ``a``, ``b``, ``c``."""
    canvas = [[" .:"[k] for k in row] for row in grid_classes(model, columns, rows)]
    (x0, x1), (y0, y1) = BOX
    for (x, y), label in zip(points, labels, strict=True):
        c = round((x - x0) / (x1 - x0) * (columns - 1))
        r = round((y1 - y) / (y1 - y0) * (rows - 1))
        canvas[r][c] = "abc"[label]
    return "\n".join("|" + "".join(row) + "|" for row in canvas)


def png_plot(
    model: MLP[list[Value]], points: list[list[float]], labels: list[int], path: Path
) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    (x0, x1), (y0, y1) = BOX
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.imshow(
        grid_classes(model, 90, 90),
        extent=(x0, x1, y0, y1),
        cmap="brg",
        vmin=0,
        vmax=CLASSES - 1,
        alpha=0.25,
    )
    ax.scatter(
        [p[0] for p in points],
        [p[1] for p in points],
        c=labels,
        cmap="brg",
        vmin=0,
        vmax=CLASSES - 1,
        edgecolors="k",
        s=24,
    )
    ax.set_title("glassgrad MLP(2, [12, 12, 3]) on three spirals")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path


def main(quiet: bool = False) -> float:
    points, labels = make_spirals()
    model, history = train(points, labels, quiet=quiet)
    acc = accuracy(model, points, labels)
    print(f"loss {history[0]:.4f} -> {history[-1]:.4f}; training accuracy {acc:.0%}")
    with no_grad():
        probabilities = [round(p.data, 3) for p in softmax(model(points[0]))]
    print(f"softmax at the first point (class {labels[0]}): {probabilities}")
    try:
        OUT.mkdir(exist_ok=True)
        print(f"decision regions: {png_plot(model, points, labels, OUT / 'three_class.png')}")
    except ImportError:
        print("decision regions (for a PNG: .venv/bin/pip install matplotlib):")
        print(text_plot(model, points, labels))
    return acc


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="no training progress")
    main(quiet=parser.parse_args().quiet)
