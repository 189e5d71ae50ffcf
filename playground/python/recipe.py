"""The Playground's training on plain glassgrad: the data, the network, and
one optimizer step over a minibatch whose loss and gradients run as
compile_grad's generated code.

The page trains with this file, and Export writes it out whole, followed by
the settings and the number of steps, as a script that repeats the page's
training on CPython (``main`` below). So it imports only the standard
library, autograd and nn.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd import Value, compile_grad
from nn import SGD, Adam, Layer, Module, binary_cross_entropy
from nn.datasets import Points, circles, moons, spirals, xor

DATASETS: dict[str, Callable[..., Points]] = {
    "moons": moons,
    "circles": circles,
    "xor": xor,
    "spirals": spirals,
}
PASTED = "pasted"  # the dataset of points given in Settings.pasted
OPTIMIZERS = {"sgd": SGD, "adam": Adam}
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
MAX_POINTS = 2000
MAX_NEURONS = 32  # in a layer: a scalar engine in a page trains little more


@dataclass(frozen=True)
class Settings:
    """One training run. ``activation`` has one name per hidden layer (or one
    for all of them); the output is one linear neuron, a logit, trained with
    binary cross-entropy. ``batch`` points a step, in an order reshuffled
    each epoch by ``random.Random(seed)``; the seed also draws the data and
    the weights."""

    dataset: str = "moons"
    points: int = 200
    layers: tuple[int, ...] = (8, 8)
    activation: tuple[str, ...] = ("tanh",)
    optimizer: str = "adam"
    lr: float = 0.01
    batch: int = 200
    seed: int = 0
    pasted: tuple[tuple[float, float, int], ...] = ()  # (x, y, class) for dataset "pasted"

    def __post_init__(self) -> None:
        if self.dataset not in DATASETS and self.dataset != PASTED:
            raise ValueError(f"dataset must be one of {[*DATASETS, PASTED]}, got {self.dataset!r}")
        for point in self.pasted:
            if len(point) != 3 or not all(_is_number(v) for v in point[:2]):
                raise ValueError(f"a pasted point is x, y and its class, got {point!r}")
            if point[2] not in (0, 1):
                raise ValueError(f"a pasted point's class must be 0 or 1, got {point!r}")
        if self.dataset == PASTED and len({label for *_, label in self.pasted}) < 2:
            raise ValueError("pasted points need both classes, 0 and 1")
        _whole("points", self.points, 4, MAX_POINTS)
        _whole("seed", self.seed, 0, 2**32)
        _whole("batch", self.batch, 1, MAX_POINTS)
        for size in self.layers:
            _whole("a layer's size", size, 1, MAX_NEURONS)
        if len(self.activation) not in (1, len(self.layers)) and self.layers:
            raise ValueError(
                f"give one activation, or one per hidden layer ({len(self.layers)}), "
                f"not {len(self.activation)}"
            )
        for name in self.activation:
            if name not in ACTIVATIONS:
                raise ValueError(f"activation must be one of {list(ACTIVATIONS)}, got {name!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {list(OPTIMIZERS)}, got {self.optimizer!r}")
        if not 0 < self.lr <= 10:
            raise ValueError(f"lr must be above 0 and at most 10, got {self.lr!r}")

    def activations(self) -> list[str]:
        """One activation per layer, the output's ("linear") last."""
        hidden = list(self.activation) * len(self.layers)
        return hidden[: len(self.layers)] if len(self.activation) == 1 else list(self.activation)


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _whole(name: str, n: object, least: int, most: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or not least <= n <= most:
        raise ValueError(f"{name} must be a whole number from {least} to {most}, got {n!r}")


def make_data(settings: Settings) -> Points:
    """The points and their classes (0 or 1)."""
    if settings.dataset == PASTED:
        return [[x, y] for x, y, _ in settings.pasted], [c for *_, c in settings.pasted]
    return DATASETS[settings.dataset](settings.points, seed=settings.seed)


class Network(Module):
    """Dense layers on 2 inputs, each hidden layer with its own activation
    (nn's MLP gives all hidden layers one), ending in one linear neuron.
    Parameters are named as MLP names them (``layers.0.neurons.1.w.0``), and
    with one activation it draws MLP's weights from the same seed."""

    def __init__(self, sizes: Sequence[int], activations: Sequence[str], seed: int) -> None:
        rng = random.Random(seed)
        widths = [2, *sizes, 1]
        kinds = [*activations, "linear"]
        self.layers = [
            Layer(widths[i], widths[i + 1], activation=kinds[i], rng=rng) for i in range(len(kinds))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value:
        values = self.layers[0](x)
        for layer in self.layers[1:]:
            values = layer(values)
        (logit,) = values
        return logit

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [
            (f"layers.{i}.{name}", p)
            for i, layer in enumerate(self.layers)
            for name, p in layer.named_parameters()
        ]


class Training:
    """The network, its optimizer and the compiled loss of one point."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.points, self.labels = make_data(settings)
        self.samples = list(zip(self.points, self.labels))
        self.model = Network(settings.layers, settings.activations(), settings.seed)
        self.optimizer = OPTIMIZERS[settings.optimizer](self.model.parameters(), lr=settings.lr)
        x, y = self.samples[0]
        self.step_code = compile_grad(self.point_loss, x, y, params=self.model.named_parameters())
        self.shuffler = random.Random(settings.seed)
        self.order: list[int] = []  # what is left of this epoch's shuffled order
        self.steps = 0

    def point_loss(self, x: Sequence[Value | float], y: Value | float) -> Value:
        return binary_cross_entropy([self.model(x)], [y])

    def step(self) -> float:
        """One optimizer step on the next minibatch; returns its mean loss,
        before the step."""
        if not self.order:
            self.order = list(range(len(self.samples)))
            self.shuffler.shuffle(self.order)
        chosen, self.order = self.order[: self.settings.batch], self.order[self.settings.batch :]
        self.optimizer.zero_grad()
        loss = self.step_code.batch([self.samples[i] for i in chosen], reduce="mean")
        self.optimizer.step()
        self.steps += 1
        return loss

    def loss(self) -> float:
        """The mean loss over every point at the current weights. (It runs the
        compiled batch, so it leaves the gradients of that loss behind; the
        next step zeroes them first.)"""
        return self.step_code.batch(self.samples, reduce="mean")


def main(settings: Settings, steps: int) -> float:
    """Train for ``steps`` steps, printing the loss now and then, and the
    final loss (``repr``, every digit) on the last line."""
    training = Training(settings)
    for _ in range(steps):
        training.step()
        if training.steps % 100 == 0:
            print(f"step {training.steps}: loss {training.loss():.6f}")
    loss = training.loss()
    print(repr(loss))
    return loss
