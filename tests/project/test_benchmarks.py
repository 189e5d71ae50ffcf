"""The benchmarks compare like with like: the hand-written float code, the
floor, glassgrad and micrograd compute the same results from the same
weights, so their timings can be divided. Nothing here is timed; the
benchmarks themselves are run by hand."""

import sys
from pathlib import Path

import pytest
from micrograd.engine import Value as MicroValue

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench  # noqa: E402
import floor  # noqa: E402
from moons import make_moons  # noqa: E402  # on sys.path once bench is imported

from autograd import Value  # noqa: E402


def flat(weights) -> list[float]:
    """Nested lists and tuples of floats or of either engine's Values, as
    one list of floats."""
    out, stack = [], [weights]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        else:
            out.append(float(getattr(item, "data", item)))
    return out


def test_the_chain_gives_every_engine_the_same_gradient():
    expected = bench.chain_floats(300)
    assert expected == pytest.approx(1.0001**300, rel=1e-12)
    assert bench.chain(Value, 300) == pytest.approx(expected, rel=1e-12)
    assert bench.chain(MicroValue, 300) == pytest.approx(expected, rel=1e-12)


def test_the_wide_dot_computes_what_the_float_code_computes():
    ws, xs = [0.5, -1.5, 2.0], [3.0, 0.25, -1.0]
    y, grad_w0 = bench.dot_floats(ws, xs)
    wv, floor_wv = [Value(w) for w in ws], [Value(w) for w in ws]
    assert bench.dot_glassgrad(wv, xs) == grad_w0 == xs[0]
    floor.wide(floor_wv, xs)
    assert [w.grad for w in floor_wv] == [w.grad for w in wv] == xs
    assert y == Value.dot(ws, xs).data


def test_the_tutorial_trains_the_same_weights_in_every_engine():
    model = bench.tutorial_model()
    start = bench.tutorial_weights(model)
    floor_layers = floor.tutorial_layers(model)
    expected = flat(bench.tutorial_floats(*start))
    assert max(abs(a - b) for a, b in zip(expected, flat(start))) > 0.1  # it trained

    bench.tutorial_glassgrad(model)
    assert flat(bench.tutorial_weights(model)) == pytest.approx(expected, abs=1e-9)
    floor.tutorial(floor_layers)
    (hidden, (out,)) = floor_layers
    floor_weights = ([[neuron[k] for neuron in hidden] for k in range(2)], out)
    assert flat(floor_weights) == pytest.approx(expected, abs=1e-9)
    assert flat(bench.tutorial_micrograd(*start)) == pytest.approx(expected, abs=1e-9)


def test_one_moons_step_updates_the_same_weights_in_every_engine():
    pts, labels = make_moons()
    model = bench.moons_model()
    weights = bench.moons_weights(model)
    start = flat(weights)
    floor_layers, floor_params = floor.moons_layers(weights)
    micro_layers = [
        ([[MicroValue(w) for w in row] for row in W], [MicroValue(b) for b in bs])
        for W, bs in weights
    ]
    micro_params = [p for W, _ in micro_layers for row in W for p in row] + [
        p for _, bs in micro_layers for p in bs
    ]

    bench.moons_step_floats(weights, pts, labels)
    expected = flat(weights)
    assert expected != pytest.approx(start, abs=1e-6)  # the step moved them
    bench.moons_step_glassgrad(model, pts, labels)
    assert flat(bench.moons_weights(model)) == pytest.approx(expected, abs=1e-12)
    floor.moons_step(floor_layers, floor_params, pts, labels)
    assert flat(floor_layers) == pytest.approx(expected, abs=1e-12)
    bench.moons_step_micrograd(micro_params, micro_layers, pts, labels)
    assert flat(micro_layers) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_the_compiled_tutorial_trains_the_same_weights(backend):
    model = bench.tutorial_model()
    expected = flat(bench.tutorial_floats(*bench.tutorial_weights(model)))
    step = bench.tutorial_compiled(model, backend)
    bench.tutorial_compiled_training(model, step)
    assert flat(bench.tutorial_weights(model)) == pytest.approx(expected, abs=1e-9)
    assert step.stats.compiled == bench.ITERATIONS and step.stats.fallbacks == 0


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_one_compiled_moons_step_updates_the_same_weights(backend):
    pts, labels = make_moons()
    weights = bench.moons_weights(bench.moons_model())
    bench.moons_step_floats(weights, pts, labels)
    model = bench.moons_model()
    steps = bench.moons_compiled(model, pts, labels, backend)
    bench.moons_step_compiled(model, steps, list(zip(pts, labels, strict=True)))
    assert flat(bench.moons_weights(model)) == pytest.approx(flat(weights), abs=1e-12)
    assert steps[0].stats.python_loops == 0


def test_the_compiled_wide_dot_gives_the_float_codes_gradient():
    ws, xs = [0.5, -1.5, 2.0] * 100, [3.0, 0.25, -1.0] * 100
    step = bench.dot_compiled(xs, [Value(w) for w in ws])
    y, grads = step.functional(ws, xs)
    assert (y, grads[0]) == bench.dot_floats(ws, xs) and grads == xs
    assert "sum(map(mul, params, x), 0.0)" in step.source


def test_the_both_lists_baseline_returns_what_functional_returns_and_more():
    ws, xs = [0.5, -1.5, 2.0] * 100, [3.0, 0.25, -1.0] * 100
    y, d_ws, d_xs = bench.dot_floats_both(ws, xs)
    step = bench.dot_compiled(xs, [Value(w) for w in ws])
    assert step.functional(ws, xs) == (y, d_ws) and d_xs == ws


def test_the_eager_step_in_no_gc_updates_the_same_weights():
    pts, labels = make_moons()
    a, b = bench.moons_model(), bench.moons_model()
    bench.moons_step_glassgrad(a, pts, labels)
    bench.moons_step_glassgrad_no_gc(b, pts, labels)
    assert flat(bench.moons_weights(a)) == flat(bench.moons_weights(b))
