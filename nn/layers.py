"""``Neuron``, ``Layer`` and ``MLP``: micrograd's shapes, built on n-ary dot nodes."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

from autograd import Value
from nn.module import Module

ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
    "relu": Value.relu,
    "linear": None,
}

# Each draws one initial weight for a neuron with nin inputs in a layer of nout.
INITS: dict[str, Callable[[random.Random, int, int], float]] = {
    "normal": lambda rng, nin, nout: rng.gauss(0.0, 1.0),  # the seed's randn
    "uniform": lambda rng, nin, nout: rng.uniform(-1.0, 1.0),  # micrograd's
    "xavier": lambda rng, nin, nout: rng.uniform(  # Glorot uniform
        -math.sqrt(6 / (nin + nout)), math.sqrt(6 / (nin + nout))
    ),
}


def _choice(kind: str, name: str, table: dict) -> str:
    if name not in table:
        raise ValueError(f"unknown {kind} {name!r}; choose from {sorted(table)}")
    return name


class Neuron(Module):
    """``activation(w · x + b)``: the weighted sum is one ``dot`` node.

    >>> n = Neuron(2, activation="linear", seed=0)
    >>> n.w[0].data = 2.0; n.w[1].data = 3.0
    >>> n([1.0, 1.0]).data
    5.0
    """

    def __init__(
        self,
        nin: int,
        activation: str = "linear",
        bias: bool = True,
        init: str = "normal",
        nout: int = 1,
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if not isinstance(nin, int) or nin < 1:
            raise ValueError(f"a neuron needs at least 1 input, got {nin!r}")
        self.activation = _choice("activation", activation, ACTIVATIONS)
        self.init = _choice("init", init, INITS)
        rng = rng or random.Random(seed)
        draw = INITS[init]
        self.w = [Value(draw(rng, nin, nout)) for _ in range(nin)]
        self.b = Value(0.0) if bias else None

    def __call__(self, x: Sequence[Value | float]) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"expected {len(self.w)} inputs, got {len(x)}")
        z = Value.dot(self.w, x)
        if self.b is not None:
            z = z + self.b
        act = ACTIVATIONS[self.activation]
        return act(z) if act else z

    def named_parameters(self) -> list[tuple[str, Value]]:
        named = [(f"w.{k}", w) for k, w in enumerate(self.w)]
        return named + ([("b", self.b)] if self.b is not None else [])

    def config(self) -> dict[str, Any]:
        return {
            "nin": len(self.w),
            "activation": self.activation,
            "bias": self.b is not None,
            "init": self.init,
        }

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, {self.activation}{'' if self.b else ', no bias'})"


class Layer(Module):
    """``nout`` neurons reading the same inputs; returns a list of Values."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "linear",
        bias: bool = True,
        init: str = "normal",
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if not isinstance(nout, int) or nout < 1:
            raise ValueError(f"a layer needs at least 1 neuron, got {nout!r}")
        rng = rng or random.Random(seed)
        self.neurons = [Neuron(nin, activation, bias, init, nout, rng=rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        return [n(x) for n in self.neurons]

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [
            (f"neurons.{j}.{name}", p)
            for j, n in enumerate(self.neurons)
            for name, p in n.named_parameters()
        ]

    def config(self) -> dict[str, Any]:
        first = self.neurons[0].config()
        return {**first, "nout": len(self.neurons)}

    def __repr__(self) -> str:
        n = self.neurons[0]
        return f"Layer({len(n.w)} -> {len(self.neurons)}, {n.activation})"


class MLP(Module):
    """Layers of sizes ``nouts`` on ``nin`` inputs; hidden layers use
    ``activation``, the last one ``output_activation``. A ``seed`` draws the
    same weights every time, from the model's own ``random.Random``.

    >>> model = MLP(2, [3, 1], activation="sigmoid",
    ...             output_activation="sigmoid", bias=False, seed=0)
    >>> model
    MLP(2 -> [3, 1]: Layer(2 -> 3, sigmoid), Layer(3 -> 1, sigmoid))
    >>> 0 < model([0.5, 1.0]).data < 1
    True
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        bias: bool = True,
        init: str = "normal",
        seed: int | None = None,
    ) -> None:
        nouts = list(nouts)
        _choice("activation", activation, ACTIVATIONS)
        if not nouts:
            raise ValueError("an MLP needs at least one layer size in nouts")
        self.seed = seed
        rng = random.Random(seed)
        sizes = [nin] + nouts
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                activation if i < len(nouts) - 1 else output_activation,
                bias,
                init,
                rng=rng,
            )
            for i in range(len(nouts))
        ]
        self._config = {
            "nin": nin,
            "nouts": nouts,
            "activation": activation,
            "output_activation": output_activation,
            "bias": bias,
            "init": init,
            "seed": seed,
        }

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        nin = self._config["nin"]
        if len(x) != nin:
            raise ValueError(f"expected {nin} inputs, got {len(x)}")
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [
            (f"layers.{i}.{name}", p)
            for i, layer in enumerate(self.layers)
            for name, p in layer.named_parameters()
        ]

    def config(self) -> dict[str, Any]:
        return dict(self._config)

    def __repr__(self) -> str:
        return (
            f"MLP({self._config['nin']} -> {self._config['nouts']}: "
            f"{', '.join(map(repr, self.layers))})"
        )
