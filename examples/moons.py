"""micrograd's classic demo on glassgrad: a 2-16-16-1 network separates two
interleaving half-moons.

100 points from a seeded generator (no sklearn), relu hidden layers and a
linear output scoring each point, hinge loss plus 1e-4 L2 on the weights,
full-batch SGD. It trains to 100% accuracy and draws the decision boundary:
a PNG with matplotlib (the `plot` extra), a text plot in the terminal without.

Run: .venv/bin/python examples/moons.py [--quiet]
"""

from __future__ import annotations

import sys
from pathlib import Path

from regions import grid, png_picture, run, show, text_picture

from autograd import Value, no_grad
from nn import MLP, SGD, fit, hinge_loss
from nn.datasets import moons

OUT = Path(__file__).resolve().parent.parent / "out"


def make_moons(
    n: int = 100, noise: float = 0.1, seed: int = 0
) -> tuple[list[list[float]], list[int]]:
    """``nn.datasets.moons``, labelled -1 (upper) and +1 (lower) for the hinge loss."""
    points, classes = moons(n, noise, seed=seed)
    return points, [2 * c - 1 for c in classes]


def l2(model: MLP[Value], alpha: float = 1e-4) -> Value:
    return alpha * Value.sum([p * p for p in model.parameters()])


def accuracy(model: MLP[Value], points: list[list[float]], labels: list[int]) -> float:
    with no_grad():
        hits: int = sum((model(p).data > 0) == (y > 0) for p, y in zip(points, labels, strict=True))
    return hits / len(points)


def train(
    points: list[list[float]], labels: list[int], epochs: int = 100, quiet: bool = False
) -> tuple[MLP[Value], list[float]]:
    model: MLP[Value] = MLP(
        2, [16, 16, 1], activation="relu", output_activation="linear", init="uniform", seed=1
    )
    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
    history = fit(
        model,
        points,
        labels,
        epochs=epochs,
        loss=hinge_loss,
        optimizer=optimizer,
        regularization=l2,
        quiet=quiet,
        stream=sys.stdout,
    )
    return model, history


BOX = ((-1.5, 2.5), (-1.0, 1.5))


def regions(model: MLP[Value], columns: int, rows: int) -> list[list[int]]:
    """1 where the model scores a point above 0 (class +1), else 0."""
    with no_grad():
        return grid(lambda p: int(model(p).data > 0), BOX, columns, rows)


def text_plot(
    model: MLP[Value],
    points: list[list[float]],
    labels: list[int],
    columns: int = 64,
    rows: int = 24,
) -> str:
    """The boundary in characters: ``.`` and `` `` for the two predicted
    regions, ``o`` and ``x`` for the training points."""
    classes = [int(y > 0) for y in labels]
    return text_picture(regions(model, columns, rows), BOX, points, classes, " .", "ox")


def png_plot(model: MLP[Value], points: list[list[float]], labels: list[int], path: Path) -> Path:
    return png_picture(
        regions(model, 120, 80),
        BOX,
        points,
        [int(y > 0) for y in labels],
        path,
        title="glassgrad MLP(2, [16, 16, 1]) on two moons",
        cmap="coolwarm",
        size=(6, 4.5),
        alpha=0.35,
    )


def main(quiet: bool = False) -> float:
    points, labels = make_moons()
    model, history = train(points, labels, quiet=quiet)
    acc = accuracy(model, points, labels)
    print(f"loss {history[0]:.4f} -> {history[-1]:.4f}; training accuracy {acc:.0%}")
    show(
        "decision boundary",
        lambda path: png_plot(model, points, labels, path),
        lambda: text_plot(model, points, labels),
        OUT / "moons.png",
    )
    return acc


if __name__ == "__main__":
    run(main, __doc__)
