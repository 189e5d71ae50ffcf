"""Three classes: a 2-12-12-3 network learns three interleaved spirals with
cross-entropy and Adam.

120 points from a seeded generator (40 a class, one turn each), tanh hidden
layers and three logits per point, mini-batches of 16 in shuffled order. It
reaches 100% training accuracy in a few seconds and draws the decision
regions: a PNG with matplotlib (the `plot` extra), a text plot without.

Run: .venv/bin/python examples/three_class.py [--quiet]
"""

from __future__ import annotations

import sys
from pathlib import Path

from regions import grid, png_picture, run, show, text_picture

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


def regions(model: MLP[list[Value]], columns: int, rows: int) -> list[list[int]]:
    return grid(lambda p: predict(model, p), BOX, columns, rows)


def text_plot(
    model: MLP[list[Value]],
    points: list[list[float]],
    labels: list[int],
    columns: int = 64,
    rows: int = 28,
) -> str:
    """Regions as `` ``, ``.`` and ``:``; training points as ``a``, ``b``, ``c``."""
    return text_picture(regions(model, columns, rows), BOX, points, labels, " .:", "abc")


def png_plot(
    model: MLP[list[Value]], points: list[list[float]], labels: list[int], path: Path
) -> Path:
    return png_picture(
        regions(model, 90, 90),
        BOX,
        points,
        labels,
        path,
        title="glassgrad MLP(2, [12, 12, 3]) on three spirals",
        cmap="brg",
        size=(5, 5),
        alpha=0.25,
    )


def main(quiet: bool = False) -> float:
    points, labels = make_spirals()
    model, history = train(points, labels, quiet=quiet)
    acc = accuracy(model, points, labels)
    print(f"loss {history[0]:.4f} -> {history[-1]:.4f}; training accuracy {acc:.0%}")
    with no_grad():
        probabilities = [round(p.data, 3) for p in softmax(model(points[0]))]
    print(f"softmax at the first point (class {labels[0]}): {probabilities}")
    show(
        "decision regions",
        lambda path: png_plot(model, points, labels, path),
        lambda: text_plot(model, points, labels),
        OUT / "three_class.png",
    )
    return acc


if __name__ == "__main__":
    run(main, __doc__)
