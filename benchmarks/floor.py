"""How close can an engine that keeps glassgrad's contract come to plain
floats? Run by hand, never as a test:

    .venv/bin/python benchmarks/floor.py [--repeat 7]

It runs bench.py's workloads (the wide dot, W1, W2) on glassgrad's own
Value class, op table and topological order, with everything else taken
away: nodes are made without checking operands or modes, models are bare
lists of weights with no Module layers, and the backward walk has no hooks,
no anomaly checks and no check of what a rule returns. What remains is what
the contract asks for: a slotted node per operation holding its inputs, a
named rule run on floats that returns one gradient per input, and a
topological order found anew by each backward. Its ratios to plain floats
are a floor for glassgrad on this interpreter.
"""

from __future__ import annotations

import argparse
import random
import sys

import bench  # first: it puts the repository on sys.path
from bench import X, Y, medians
from moons import make_moons

from autograd import Value
from autograd.core.engine import topological_order
from autograd.core.ops import ADD, DOT, MUL, POW_CONSTANT_EXPONENT, RELU, SIGMOID, SUB, SUM
from nn import MLP


def node(op, *inputs) -> Value:
    """A node with no checks: ``inputs`` are Values and floats already."""
    made = _new(Value)
    made.data = op.forward(*[x if type(x) is float else x.data for x in inputs])
    made.grad = 0.0
    made.label = ""
    made.op = op
    made.inputs = inputs
    made._hooks = ()
    made._origin = None
    return made


_new = object.__new__


def backward(root: Value) -> None:
    order = topological_order(root, leaves=False)
    for n in order:
        n.grad = 0.0
    root.grad = 1.0
    for n in order:
        inputs = n.inputs
        # every node here is made by ``node``, its op an Op; ``type(x) is float``
        # does not narrow ``Value | float`` for mypy (a subclass of float could pass)
        grads = n.op.backward(  # type: ignore[attr-defined]  # Value.op is typed str
            n.grad,
            n.data,
            *[x if type(x) is float else x.data for x in inputs],  # type: ignore[union-attr]
        )
        for x, g in zip(inputs, grads, strict=True):
            if type(x) is not float:
                x.grad = x.grad + g  # type: ignore[union-attr]  # x is a Value here


def wide(ws: list[Value], xs: list[float]) -> None:
    backward(node(DOT, *ws, *xs))


def tutorial_layers(model: MLP) -> list[list[list[Value]]]:
    """A copy of the model's weights as bare Values: per layer, per neuron."""
    return [[[Value(w.data) for w in n.w] for n in layer.neurons] for layer in model.layers]


def tutorial(layers: list[list[list[Value]]]) -> None:
    hidden, (out,) = layers
    params = [w for neuron in hidden + [out] for w in neuron]
    for _ in range(bench.ITERATIONS):
        outputs = []
        for x in X:
            z2 = [node(SIGMOID, node(DOT, *w, *x)) for w in hidden]
            outputs.append(node(SIGMOID, node(DOT, *out, *z2)))
        squares = [
            node(POW_CONSTANT_EXPONENT, node(SUB, y, o), 2.0)
            for o, y in zip(outputs, Y, strict=True)
        ]
        loss = node(MUL, 0.5, node(SUM, *squares))
        for p in params:
            p.grad = 0.0
        backward(loss)
        for p in params:
            p.data -= p.grad


MoonsLayers = list[tuple[list[list[Value]], list[Value]]]


def moons_layers(
    weights: list[tuple[list[list[float]], list[float]]],
) -> tuple[MoonsLayers, list[Value]]:
    """bench.moons_weights as bare Values, and all of them in one list."""
    layers = [([[Value(w) for w in row] for row in W], [Value(b) for b in bs]) for W, bs in weights]
    params = [p for W, _ in layers for row in W for p in row] + [p for _, bs in layers for p in bs]
    return layers, params


def moons_step(layers, params, pts, labels) -> None:
    scores = []
    for h in pts:
        for i, (W, b) in enumerate(layers):
            h = [node(ADD, node(DOT, *row, *h), bj) for row, bj in zip(W, b, strict=True)]
            if i < len(layers) - 1:
                h = [node(RELU, z) for z in h]
        scores.append(h[0])
    margins = [
        node(RELU, node(SUB, 1.0, node(MUL, float(y), s)))
        for s, y in zip(scores, labels, strict=True)
    ]
    l2 = node(MUL, 1e-4, node(SUM, *[node(MUL, p, p) for p in params]))
    loss = node(ADD, node(MUL, node(SUM, *margins), 1 / len(margins)), l2)
    for p in params:
        p.grad = 0.0
    backward(loss)
    for p in params:
        p.data -= 0.05 * p.grad


def report(name: str, target: float, repeat: int, floats, floor, glassgrad) -> None:
    """One line: the floor's and glassgrad's medians over plain floats'."""
    floats, floor, ours = medians(repeat, floats, floor, glassgrad)
    print(
        f"{name:10} plain floats {floats * 1e3:8.3f} ms   floor {floor / floats:5.2f}x   "
        f"glassgrad {ours / floats:5.2f}x   target <= {target:g}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    r = parser.parse_args().repeat
    print(f"Python {sys.version.split()[0]}; medians of {r} runs; ratios to plain floats")

    rng = random.Random(1)
    ws = [rng.uniform(-1, 1) for _ in range(100_000)]
    xs = [rng.uniform(-1, 1) for _ in range(100_000)]
    wv, floor_wv = [Value(w) for w in ws], [Value(w) for w in ws]
    report(
        "wide dot",
        3,
        r,
        lambda: bench.dot_floats(ws, xs),
        lambda: wide(floor_wv, xs),
        lambda: bench.dot_glassgrad(wv, xs),
    )

    model = bench.tutorial_model()
    W1, W2 = bench.tutorial_weights(model)
    layers = tutorial_layers(model)
    report(
        "W1",
        5,
        r,
        lambda: bench.tutorial_floats(W1, W2),
        lambda: tutorial(layers),
        lambda: bench.tutorial_glassgrad(model),
    )

    pts, labels = make_moons()
    model = bench.moons_model()
    weights = bench.moons_weights(model)
    bare_layers, params = moons_layers(weights)
    report(
        "W2",
        5,
        r,
        lambda: bench.moons_step_floats(weights, pts, labels),
        lambda: moons_step(bare_layers, params, pts, labels),
        lambda: bench.moons_step_glassgrad(model, pts, labels),
    )


if __name__ == "__main__":
    main()
