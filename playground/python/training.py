"""The training view's side in Python: one ``recipe.Training``, trained in
chunks of the time the page asks for (about 100 ms; it asks for the next
chunk only while it plays), and what the page draws of it: the points, the
decision boundary, the weights, the loss, the generated step code, and the
standalone script that Export gives.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from autograd import OPS, Value
from playground.python import cell, recipe

GRID = 50  # the boundary is drawn from GRID x GRID cells
MARGIN = 0.3  # around the data, in the data's units
IDENTITY: Callable[[float], float] = float  # the "linear" activation


class TrainingView:
    """A training run and the plane it is drawn on."""

    def __init__(self, settings: recipe.Settings) -> None:
        self.training = recipe.Training(settings)
        xs, ys = zip(*self.training.points)
        self.extent = (
            min(xs) - MARGIN,
            max(xs) + MARGIN,
            min(ys) - MARGIN,
            max(ys) + MARGIN,
        )
        x0, x1, y0, y1 = self.extent
        # cell centres, the top row first (as the page paints rows)
        self.columns = [x0 + (i + 0.5) * (x1 - x0) / GRID for i in range(GRID)]
        self.rows = [y1 - (j + 0.5) * (y1 - y0) / GRID for j in range(GRID)]

    def setup(self) -> dict[str, Any]:
        """Everything the view draws once per run, and the first report."""
        return {
            "points": self.training.points,
            "labels": self.training.labels,
            "extent": self.extent,
            "grid": GRID,
            "source": self.training.step_code.source,
            **self.report(),
        }

    def train(self, milliseconds: float, steps: int) -> dict[str, Any]:
        """Up to ``steps`` steps, stopping once ``milliseconds`` have passed."""
        deadline = time.perf_counter() + milliseconds / 1000
        for _ in range(steps):
            self.training.step()
            if time.perf_counter() >= deadline:
                break
        return self.report()

    def report(self) -> dict[str, Any]:
        """Where training stands: steps, loss (and its ``repr``), boundary, weights."""
        loss = self.training.loss()
        return {
            "steps": self.training.steps,
            "loss": _finite(loss),
            "loss_repr": repr(loss),
            "boundary": self.boundary(),
            "weights": [
                [[_finite(p.data) for p in neuron.parameters()] for neuron in layer.neurons]
                for layer in self.training.model.layers
            ],
        }

    def boundary(self) -> list[float | None]:
        """P(class 1) at each cell's centre, row by row from the top.

        The network's forward pass on plain floats from its weights, a layer
        at a time over all cells at once (a list per neuron): the engine
        would build a graph for each of GRID * GRID points, about ten times
        slower, and a loop over cells calls a function per neuron and cell.
        """
        cells = [(x, y) for y in self.rows for x in self.columns]
        outputs = [[x for x, _ in cells], [y for _, y in cells]]  # per input, over the cells
        for layer in self.training.model.layers:
            activation = _float_function(layer.neurons[0].activation)
            inputs, outputs = outputs, []
            for neuron in layer.neurons:
                total = [_bias(neuron.b)] * len(cells)
                for w, column in zip(neuron.w, inputs):
                    weight = w.data
                    total = [t + weight * c for t, c in zip(total, column)]
                outputs.append(list(map(activation, total)))
        (logits,) = outputs
        sigmoid = OPS["sigmoid"].forward
        return [_probability(sigmoid(logit)) for logit in logits]

    def export(self) -> str:
        """A standalone script: recipe.py as the page runs it, then this run's
        settings and step count; its last line prints the final loss."""
        training = self.training
        return (
            "# Exported from the glassgrad Playground: this trains exactly as the page did,\n"
            f"# {training.steps} steps, on CPython with glassgrad installed (autograd and nn).\n"
            "# The last line it prints is the final loss, as the page shows it.\n"
            + Path(recipe.__file__).read_text(encoding="utf-8")
            + '\n\nif __name__ == "__main__":\n'
            + f"    main({training.settings!r}, steps={training.steps})\n"
        )

    def neuron_graph(self, layer: int, neuron: int) -> dict[str, Any]:
        """The graph of one neuron's output at the first point, for the stepper."""
        model = self.training.model
        x, y = self.training.points[0]
        inputs: Sequence[Value] = [Value(x, label="x"), Value(y, label="y")]
        for earlier in model.layers[:layer]:
            inputs = earlier(inputs)
        out = model.layers[layer].neurons[neuron](inputs)
        out.label = f"layers.{layer}.neurons.{neuron}"
        return cell.describe(out, model.named_parameters())


def settings_from(fields: dict[str, Any]) -> recipe.Settings:
    """Settings from the page's JSON, whose lists become the tuples Settings holds."""
    fields = dict(fields)
    for key in ("layers", "activation"):
        if key in fields:
            fields[key] = tuple(fields[key])
    if "pasted" in fields:
        fields["pasted"] = tuple(tuple(point) for point in fields["pasted"])
    return recipe.Settings(**fields)


def _float_function(activation: object) -> Callable[[float], float]:
    if activation == "linear":
        return IDENTITY
    forward: Callable[[float], float] = OPS[str(activation)].forward
    return forward


def _bias(b: Value | None) -> float:
    return 0.0 if b is None else b.data


def _finite(x: float) -> float | None:
    """JSON has no nan or inf: those go to the page as null."""
    return x if math.isfinite(x) else None


def _probability(p: float) -> float | None:
    return round(p, 4) if math.isfinite(p) else None
