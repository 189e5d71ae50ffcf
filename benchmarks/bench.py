"""Speed and memory of glassgrad against hand-written plain-float code and
micrograd 0.1.0, measured in one run. Run by hand, never as a test:

    .venv/bin/pip install micrograd==0.1.0      # the `bench` extra
    .venv/bin/python benchmarks/bench.py [--repeat 7]

Each figure is the median of the repeats; ratios divide medians taken in
this same process.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import statistics
import sys
import time
import tracemalloc
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "examples")]

from moons import l2, make_moons  # noqa: E402

from autograd import Value, compile_grad, no_gc  # noqa: E402
from autograd.compile.step import Backend  # noqa: E402
from nn import MLP, SGD, Neuron, hinge_loss, sse_loss  # noqa: E402

try:
    from micrograd.engine import Value as MicroValue
except ImportError:
    MicroValue = None

T = TypeVar("T")


def medians(repeat: int, *fns, interleave: bool = False) -> list[float]:
    """Median seconds of each of ``fns``, each called ``repeat`` times back
    to back after one untimed call, as a training loop calls it: so each
    pays for its own garbage (micrograd's cycles, collected later, are part
    of its cost) and, starting on a collected heap, never for another's.

    ``interleave`` takes the repeats in turns instead (fn 1, fn 2, fn 1...),
    so that a machine whose load changes during the run slows every
    contestant alike; for code that leaves no cyclic garbage."""
    if not interleave:
        result = []
        for fn in fns:
            gc.collect()
            fn()
            result.append(statistics.median([time_once(fn) for _ in range(repeat)]))
        return result
    gc.collect()
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, seen in zip(fns, times, strict=True):
            seen.append(time_once(fn))
    return [statistics.median(seen) for seen in times]


def time_once(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def row(
    name: str, seconds: float, per: int, unit: str, base: float | None = None, base_name: str = ""
) -> None:
    ratio = f"  {seconds / base:6.2f}x {base_name}" if base else ""
    print(f"  {name:34} {seconds / per * 1e6:9.3f} us/{unit}{ratio}")


# --- chain: x = x * 1.0001 + 0.0001 ------------------------------------------


def chain(value_class, n):
    x0 = value_class(1.0)
    x = x0
    for _ in range(n):
        x = x * 1.0001 + 0.0001
    x.backward()
    return x0.grad


def chain_floats(n):
    x = 1.0
    for _ in range(n):
        x = x * 1.0001 + 0.0001
    g = 1.0
    for _ in range(n):
        g = g * 1.0001
    return g


# --- wide: one dot over many pairs --------------------------------------------


def dot_glassgrad(wv, xs):
    y = Value.dot(wv, xs)
    y.backward()
    return wv[0].grad


def dot_floats(ws, xs):
    y = 0.0
    for w, x in zip(ws, xs, strict=True):
        y += w * x
    g = 1.0
    grads = [g * x for x in xs]  # d y / d w_i, the list the caller receives
    return y, grads[0]


def dot_floats_both(ws, xs):
    """The wide dot's sum and both gradient lists, d y / d w_i and d y / d x_i."""
    y = 0.0
    for w, x in zip(ws, xs, strict=True):
        y += w * x
    g = 1.0
    return y, [g * x for x in xs], [g * w for w in ws]


def dot_compiled(xs, wv):
    """The wide dot compiled; ``functional`` then runs it on floats."""
    return compile_grad(lambda x: Value.dot(wv, x), xs, params=wv)


def sum_of_products_glassgrad(xs):
    vs = [Value(x) for x in xs]
    y = Value.sum([v * v for v in vs])
    y.backward()


# --- W1: the tutorial, 1,000 iterations ---------------------------------------

X = [[2 / 3, 1.0], [1 / 3, 5 / 9], [1.0, 6 / 9]]
Y = [0.92, 0.86, 0.89]


ITERATIONS = 1000


def tutorial_model() -> MLP:
    """The tutorial's 2-3-1 sigmoid network, without biases."""
    return MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid", bias=False, seed=0)


def tutorial_weights(model: MLP) -> tuple[list[list[float]], list[float]]:
    """The model's weights as the hand-written code holds them: ``W1[k][j]``
    from input k to hidden neuron j, ``W2[j]`` from hidden neuron j out."""
    hidden, out = model.layers
    return (
        [[n.w[k].data for n in hidden.neurons] for k in range(2)],
        [w.data for w in out.neurons[0].w],
    )


def tutorial_glassgrad(model: MLP) -> None:
    opt = SGD(model.parameters(), lr=1.0)
    for _ in range(ITERATIONS):
        loss = sse_loss([model(x) for x in X], Y)
        opt.zero_grad()
        loss.backward()
        opt.step()


def tutorial_compiled(model: MLP, backend: Backend = "python"):
    """One sample's loss of the tutorial, compiled: the Python backend trains
    on the three samples with ``train`` (the whole loop in generated code),
    numpy with ``batch`` and SGD (its arrays run across the samples)."""
    return compile_grad(
        lambda x, y: sse_loss([model(x)], [y]),
        X[0],
        Y[0],
        params=model.named_parameters(),
        backend=backend,
    )


def tutorial_compiled_training(model: MLP, step) -> None:
    samples = list(zip(X, Y, strict=True))
    if step.backend == "python":
        step.train(samples, steps=ITERATIONS, lr=1.0)
        return
    opt = SGD(model.parameters(), lr=1.0)
    for _ in range(ITERATIONS):
        opt.zero_grad()
        step.batch(samples)
        opt.step()


def tutorial_floats(W1, W2):
    """Train copies of ``W1`` and ``W2`` with hand-derived gradients, as the
    tutorial does; return them. Written tight: loops over local lists made
    once, the sigmoid inline."""
    into_hidden_0, into_hidden_1 = W1[0][:], W1[1][:]  # weights from input 0 and input 1
    W2 = W2[:]
    exp = math.exp
    hidden = range(3)
    z2 = [0.0] * 3
    dW1_0, dW1_1, dW2 = [0.0] * 3, [0.0] * 3, [0.0] * 3
    samples = list(zip(X, Y, strict=True))
    for _ in range(ITERATIONS):
        for j in hidden:
            dW1_0[j] = dW1_1[j] = dW2[j] = 0.0
        for (x0, x1), y in samples:
            s = 0.0
            for j in hidden:
                h = 1.0 / (1.0 + exp(-(x0 * into_hidden_0[j] + x1 * into_hidden_1[j])))
                z2[j] = h
                s += h * W2[j]
            o = 1.0 / (1.0 + exp(-s))
            o_delta = (y - o) * o * (1.0 - o)
            for j in hidden:
                h = z2[j]
                dW2[j] += h * o_delta
                z2_delta = o_delta * W2[j] * h * (1.0 - h)
                dW1_0[j] += x0 * z2_delta
                dW1_1[j] += x1 * z2_delta
        for j in hidden:
            W2[j] += dW2[j]
            into_hidden_0[j] += dW1_0[j]
            into_hidden_1[j] += dW1_1[j]
    return [into_hidden_0, into_hidden_1], W2


def tutorial_micrograd(W1, W2):
    """The same training in micrograd, from the same weights; returns them
    trained, as floats."""
    W1 = [[MicroValue(w) for w in row] for row in W1]
    W2 = [MicroValue(w) for w in W2]
    params = [w for row in W1 for w in row] + W2

    def msig(s):
        # micrograd 0.1.0 has no exp or sigmoid: the sigmoid added in its style
        out = MicroValue(1 / (1 + math.exp(-s.data)), (s,), "sigmoid")

        def _backward():
            s.grad += out.data * (1 - out.data) * out.grad

        out._backward = _backward
        return out

    for _ in range(ITERATIONS):
        loss: Any = 0  # a micrograd Value after the first sample
        for x, y in zip(X, Y, strict=True):
            z2 = [msig(x[0] * W1[0][j] + x[1] * W1[1][j]) for j in range(3)]
            o = msig(sum(z2[j] * W2[j] for j in range(3)))
            loss = loss + 0.5 * (y - o) ** 2
        for p in params:
            p.grad = 0
        loss.backward()
        for p in params:
            p.data -= p.grad
    return [[w.data for w in row] for row in W1], [w.data for w in W2]


# --- W2: one moons training step ----------------------------------------------


def moons_model() -> MLP:
    """micrograd's demo network: 2-16-16-1, relu, weights from U(-1, 1)."""
    return MLP(2, [16, 16, 1], init="uniform", seed=0)


def moons_weights(model: MLP) -> list[tuple[list[list[float]], list[float]]]:
    """Per layer, ``(W, b)`` as floats: ``W[j][k]`` from input k to neuron j."""
    return [
        ([[w.data for w in n.w] for n in layer.neurons], [bias(n) for n in layer.neurons])
        for layer in model.layers
    ]


def bias(neuron: Neuron) -> float:
    """The neuron's bias: the moons network has one on every neuron."""
    assert neuron.b is not None
    return neuron.b.data


def moons_step_glassgrad(model, pts, labels):
    """The eager step, as a user writes it."""
    scores = [model(p) for p in pts]
    loss = hinge_loss(scores, labels) + l2(model)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= 0.05 * p.grad


def moons_step_glassgrad_no_gc(model, pts, labels):
    """The same step inside ``no_gc()``, as ``fit`` runs each batch."""
    with no_gc():
        moons_step_glassgrad(model, pts, labels)


def moons_step_floats(weights, pts, labels):
    """Forward and hand-written backward of the same 2-16-16-1 relu MLP,
    written tight: loops over local lists made once per step, a sample whose
    hinge is flat skips its backward."""
    (W1, b1), (W2, b2), (W3, b3s) = weights
    w3, b3 = W3[0], b3s[0]
    first, second = range(len(b1)), range(len(b2))
    gW1, gb1 = [[0.0, 0.0] for _ in first], [0.0] * len(b1)
    gW2, gb2 = [[0.0] * len(b1) for _ in second], [0.0] * len(b2)
    gw3, gb3 = [0.0] * len(b2), 0.0
    z1, h1, dh1 = [0.0] * len(b1), [0.0] * len(b1), [0.0] * len(b1)
    z2, h2 = [0.0] * len(b2), [0.0] * len(b2)
    n = len(pts)
    for (x0, x1), lab in zip(pts, labels, strict=True):
        for j in first:
            w = W1[j]
            z = x0 * w[0] + x1 * w[1] + b1[j]
            z1[j] = z
            h1[j] = z if z > 0.0 else 0.0
        s = 0.0
        for j in second:
            z = 0.0
            for w, h in zip(W2[j], h1, strict=True):
                z += w * h
            z += b2[j]
            z2[j] = z
            h = z if z > 0.0 else 0.0
            h2[j] = h
            s += w3[j] * h
        s += b3
        if 1.0 - lab * s <= 0.0:
            continue
        ds = -lab / n
        gb3 += ds
        for k in first:
            dh1[k] = 0.0
        for j in second:
            gw3[j] += ds * h2[j]
            if z2[j] > 0.0:
                d = ds * w3[j]
                gb2[j] += d
                grad_row, weight_row = gW2[j], W2[j]
                for k in first:
                    grad_row[k] += d * h1[k]
                    dh1[k] += d * weight_row[k]
        for j in first:
            if z1[j] > 0.0:
                d = dh1[j]
                gb1[j] += d
                grad_row = gW1[j]
                grad_row[0] += d * x0
                grad_row[1] += d * x1
    for (W, b), gW, gb in zip(weights, (gW1, gW2, [gw3]), (gb1, gb2, [gb3]), strict=True):
        for row, grow in zip(W, gW, strict=True):
            for k in range(len(row)):
                row[k] -= 0.05 * (grow[k] + 2e-4 * row[k])
        for k in range(len(b)):
            b[k] -= 0.05 * (gb[k] + 2e-4 * b[k])


def moons_compiled(model, pts, labels, backend: Backend = "python"):
    """The moons loss compiled in two parts: the hinge of one sample (its
    batch is the mean over the points) and the L2 term."""
    hinge = compile_grad(
        lambda x, y: hinge_loss([model(x)], [y]),
        pts[0],
        labels[0],
        params=model.named_parameters(),
        backend=backend,
    )
    return hinge, compile_grad(lambda: l2(model), params=model.named_parameters())


def moons_step_compiled(model, steps, samples):
    hinge, regularization = steps
    model.zero_grad()
    hinge.batch(samples, reduce="mean")
    regularization()
    for p in model.parameters():
        p.data -= 0.05 * p.grad


def moons_step_micrograd(params, layers, pts, labels):
    def forward(x):
        h = x
        for i, (W, b) in enumerate(layers):
            h = [
                sum((w * xi for w, xi in zip(row, h, strict=True)), bj)
                for row, bj in zip(W, b, strict=True)
            ]
            if i < len(layers) - 1:
                h = [v.relu() for v in h]
        return h[0]

    losses = [(1 + -lab * forward(p)).relu() for p, lab in zip(pts, labels, strict=True)]
    loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in params)
    for p in params:
        p.grad = 0
    loss.backward()
    for p in params:
        p.data -= 0.05 * p.grad


def memory_per_op(n: int) -> tuple[float, float]:
    tracemalloc.start()
    x = Value(1.0)
    for _ in range(n):
        x = x * 1.0001 + 0.0001
    forward = tracemalloc.get_traced_memory()[0]
    x.backward()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return forward / (2 * n), after / (2 * n)


def freed_by_refcount() -> bool:
    gc.disable()
    try:
        x = Value(1.0)
        for _ in range(10_000):
            x = x * 1.0001 + 0.0001
        x.backward()
        probe = weakref.ref(x.inputs[0])
        del x
        return probe() is None
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--compiled", action="store_true", help="only the compile_grad section")
    args = parser.parse_args()
    r = args.repeat
    print(
        f"Python {sys.version.split()[0]}; medians of {r} runs; "
        f"micrograd: {'0.1.0' if MicroValue else 'not installed'}"
    )
    if args.compiled:
        compiled(r)
        return

    print("\nchain x = x * 1.0001 + 0.0001, forward + backward (2 ops per step)")
    for n in (400, 100_000):
        runs: list[Callable[..., object]] = [
            lambda n=n: chain_floats(n),
            lambda n=n: chain(Value, n),
        ]
        if MicroValue and n <= 400:  # deeper, micrograd's recursive backward fails
            runs.append(lambda n=n: chain(MicroValue, n))
        floats, ours, *micro = medians(r, *runs)
        row(f"plain floats, N={n:,}", floats, 2 * n, "op")
        if micro:
            (micro_s,) = micro
            row(f"micrograd, N={n:,}", micro_s, 2 * n, "op", floats, "plain floats")
            row(f"glassgrad, N={n:,}", ours, 2 * n, "op", micro_s, "micrograd (target <= 0.65x)")
        else:
            row(f"glassgrad, N={n:,}", ours, 2 * n, "op", floats, "plain floats")
    gc.collect()
    big = time_once(lambda: chain(Value, 1_000_000))  # once: a warm-up would double it
    row("glassgrad, N=1,000,000 (1 run)", big, 2_000_000, "op")
    fwd, bwd = memory_per_op(100_000)
    print(
        f"  memory by tracemalloc, N=100,000: {fwd:.0f} B/op after forward, "
        f"{bwd:.0f} B/op after backward (target <= 200)"
    )
    print(f"  dropped graph freed by reference counting alone (gc disabled): {freed_by_refcount()}")

    print("\nwide: Value.dot over 100,000 pairs, forward + backward")
    rng = random.Random(1)
    ws = [rng.uniform(-1, 1) for _ in range(100_000)]
    xs = [rng.uniform(-1, 1) for _ in range(100_000)]
    wv = [Value(w) for w in ws]  # parameters exist before the step
    floats, ours = medians(r, lambda: dot_floats(ws, xs), lambda: dot_glassgrad(wv, xs))
    row("plain floats", floats, 100_000, "pair")
    row(
        "glassgrad",
        ours,
        100_000,
        "pair",
        floats,
        "plain floats (eager target <= 3x, out of reach: see floor.py)",
    )
    (ours,) = medians(r, lambda: sum_of_products_glassgrad(xs))
    row("glassgrad Value.sum of 100,000 products", ours, 100_000, "term")

    print("\nW1: the tutorial, 1,000 training iterations")
    model = tutorial_model()
    W1, W2 = tutorial_weights(model)
    runs = [lambda: tutorial_floats(W1, W2), lambda: tutorial_glassgrad(model)]
    if MicroValue:
        runs.append(lambda: tutorial_micrograd(W1, W2))
    floats, ours, *micro = medians(r, *runs)
    row("plain floats", floats, 1000, "iter")
    row(
        "glassgrad",
        ours,
        1000,
        "iter",
        floats,
        "plain floats (eager target <= 5x, out of reach: see floor.py)",
    )
    if micro:
        (micro_s,) = micro
        row("micrograd", micro_s, 1000, "iter", floats, "plain floats")

    print("\nW2: one moons step (100 points, 2-16-16-1 relu, hinge + L2)")
    pts, labels = make_moons()
    model = moons_model()
    weights = moons_weights(model)
    floats, ours = medians(
        r,
        lambda: moons_step_floats(weights, pts, labels),
        lambda: moons_step_glassgrad(model, pts, labels),
    )
    row("plain floats", floats, 1, "step")
    row(
        "glassgrad",
        ours,
        1,
        "step",
        floats,
        "plain floats (eager target <= 5x, out of reach: see floor.py)",
    )
    if MicroValue:
        layers = [
            ([[MicroValue(w) for w in row_] for row_ in W], [MicroValue(b_) for b_ in b])
            for W, b in weights
        ]
        params = [p for W, b in layers for row_ in W for p in row_] + [
            p for _, b in layers for p in b
        ]
        (micro_s,) = medians(3, lambda: moons_step_micrograd(params, layers, pts, labels))
        row("micrograd", micro_s, 1, "step", floats, "plain floats")

    eager_growth(r)
    compiled(r)


def eager_growth(r: int) -> None:
    """W2's eager ratio to plain floats as the graph grows 16-fold."""
    print("\nW2 eager as the graph grows (target: 1,600 points within 1.1x of 100 points)")
    ratios: dict[str, list[float]] = {"bare": [], "no_gc": []}
    for n in (100, 1600):
        pts, labels = make_moons(n)
        model, model_no_gc = moons_model(), moons_model()
        weights = moons_weights(model)
        floats, bare, paused = medians(
            max(3, r // 2),
            lambda w=weights, p=pts, y=labels: moons_step_floats(w, p, y),
            lambda m=model, p=pts, y=labels: moons_step_glassgrad(m, p, y),
            lambda m=model_no_gc, p=pts, y=labels: moons_step_glassgrad_no_gc(m, p, y),
        )
        ratios["bare"].append(bare / floats)
        ratios["no_gc"].append(paused / floats)
        row(f"plain floats, {n:,} points", floats, 1, "step")
        row(f"glassgrad, {n:,} points", bare, 1, "step", floats, "plain floats")
        row(f"glassgrad in no_gc(), {n:,} points", paused, 1, "step", floats, "plain floats")
    for name, (small, large) in ratios.items():
        print(f"  {name:6} ratio at 1,600 / ratio at 100: {large / small:.2f}")


def compile_seconds(make: Callable[..., T]) -> tuple[float, T]:
    """Seconds ``make()`` takes (the median of 3 for quick ones), and what it made."""
    gc.collect()
    start = time.perf_counter()
    made = make()
    first = time.perf_counter() - start
    if first > 0.5:
        return first, made
    return statistics.median([first] + [time_once(make) for _ in range(2)]), made


def compiled(r: int) -> None:
    """compile_grad on the same workloads: ratios to plain floats from this run."""
    print("\ncompile_grad: the same workloads compiled (params bound to Values, SGD updates)")
    model_python, model_numpy = tutorial_model(), tutorial_model()
    W1, W2 = tutorial_weights(model_python)
    seconds, tutorial_python = compile_seconds(lambda: tutorial_compiled(model_python))
    tutorial_numpy = tutorial_compiled(model_numpy, "numpy")
    floats, python, numpy_ = medians(
        r,
        lambda: tutorial_floats(W1, W2),
        lambda: tutorial_compiled_training(model_python, tutorial_python),
        lambda: tutorial_compiled_training(model_numpy, tutorial_numpy),
        interleave=True,
    )
    print(f"  W1 tutorial, 1,000 iterations (compile {seconds * 1e3:.1f} ms)")
    row("plain floats", floats, 1000, "iter")
    row("compiled, step.train", python, 1000, "iter", floats, "plain floats (target <= 1.0x)")
    row("compiled, numpy", numpy_, 1000, "iter", floats, "plain floats")

    for n, targets in ((100, "<= 0.7x python, <= 0.4x numpy"), (1000, "<= 0.06x numpy")):
        pts, labels = make_moons(n)
        samples = list(zip(pts, labels, strict=True))
        weights = moons_weights(moons_model())
        model_python, model_numpy = moons_model(), moons_model()
        seconds, _ = compile_seconds(
            lambda m=model_python, p=pts, y=labels: moons_compiled(m, p, y)[0]
        )  # the per-sample graph: the L2 term is compiled apart
        steps_python = moons_compiled(model_python, pts, labels)
        steps_numpy = moons_compiled(model_numpy, pts, labels, "numpy")
        floats, python, numpy_ = medians(
            r,
            lambda w=weights, p=pts, y=labels: moons_step_floats(w, p, y),
            lambda m=model_python, s=steps_python, x=samples: moons_step_compiled(m, s, x),
            lambda m=model_numpy, s=steps_numpy, x=samples: moons_step_compiled(m, s, x),
            interleave=True,
        )
        print(f"  W2 moons step, {n:,} points (compile {seconds * 1e3:.1f} ms; targets {targets})")
        row("plain floats", floats, 1, "step")
        row("compiled, python", python, 1, "step", floats, "plain floats")
        row("compiled, numpy", numpy_, 1, "step", floats, "plain floats")
        if steps_numpy[0].stats.python_loops:
            print(f"  (numpy batches run by the Python loop: {steps_numpy[0].stats.python_loops})")

    rng = random.Random(1)
    ws = [rng.uniform(-1, 1) for _ in range(100_000)]
    xs = [rng.uniform(-1, 1) for _ in range(100_000)]
    wv = [Value(w) for w in ws]
    seconds, step = compile_seconds(lambda: dot_compiled(xs, wv))
    both, one, functional = medians(
        r,
        lambda: dot_floats_both(ws, xs),
        lambda: dot_floats(ws, xs),
        lambda: step.functional(ws, xs),
        interleave=True,
    )
    print(f"  wide dot, 100,000 pairs, through functional (compile {seconds:.2f} s)")
    row("plain floats, sum and both gradient lists", both, 100_000, "pair")
    row("plain floats, sum and d/dw only", one, 100_000, "pair")
    row("compiled, functional", functional, 100_000, "pair", both, "both lists (target <= 1.5x)")
    row("compiled, functional", functional, 100_000, "pair", one, "d/dw only")

    def deep() -> object:
        return compile_grad(lambda x: chain_value(x, 10_000), 1.0)

    seconds, _ = compile_seconds(deep)
    print(
        f"  compile time of a 20,000-node graph (a 10,000-step chain): {seconds:.2f} s "
        "(target <= 2 s)"
    )


def chain_value(x, n):
    for _ in range(n):
        x = x * 1.0001 + 0.0001
    return x


if __name__ == "__main__":
    main()
