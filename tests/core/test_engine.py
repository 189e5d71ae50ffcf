"""backward() and grad() on every shape of graph."""

import gc
import math
import weakref

import pytest

from autograd import Value, grad


def test_a_plus_a_counts_both_edges():
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0


def test_a_times_a():
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0


def test_reuse_b_equals_a_plus_a_then_c_equals_b_plus_b():
    a = Value(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert (a.grad, b.grad, c.grad) == (4.0, 2.0, 1.0)


def test_diamond():
    x = Value(2.0)
    left, right = x * 3, x.exp()
    y = left * right  # 3x * e^x
    y.backward()
    assert x.grad == pytest.approx(3 * math.exp(2) + 6 * math.exp(2))
    assert left.grad == pytest.approx(math.exp(2)) and right.grad == 6.0


def test_each_node_is_processed_after_all_its_users():
    # the long path reaches x late: a walk that processed x early would
    # propagate a partial gradient
    x = Value(0.5)
    long = x
    for _ in range(5):
        long = long * 1.0 + 0.0
    y = x * long
    y.backward()
    assert x.grad == 1.0


def test_backward_twice_accumulates_on_leaves_and_refreshes_intermediates():
    a = Value(2.0)
    b = a * a
    c = b * 3
    c.backward()
    c.backward()
    assert a.grad == 2 * 12.0  # leaves add up across calls
    assert b.grad == 3.0  # intermediates show this call only
    assert c.grad == 1.0


def test_seed_scales_every_gradient():
    a = Value(2.0)
    (a * a).backward(2.5)
    assert a.grad == 10.0


def test_constants_get_no_gradient_and_stay_floats():
    a = Value(2.0)
    y = a * 3 + 1
    y.backward()
    assert a.grad == 3.0 and y.inputs[1] == 1.0


def test_a_million_deep_chain():
    x0 = Value(1.0)
    x = x0
    for _ in range(1_000_000):
        x = x + 1e-6
    x.backward()
    assert x0.grad == 1.0 and x.data == pytest.approx(2.0)


def test_a_10000_input_sum_of_products():
    xs = [Value(float(i)) for i in range(10_000)]
    s = Value.sum([x * x for x in xs])
    s.backward()
    assert all(x.grad == 2 * x.data for x in xs)


def test_a_dropped_graph_is_freed_by_reference_counting_alone():
    gc.disable()
    try:
        x = Value(1.0)
        y = x
        for _ in range(1000):
            y = (y * 1.0001 + 0.0001).tanh()
        y.backward()
        middle = weakref.ref(y.inputs[0])
        del y
        assert middle() is None
    finally:
        gc.enable()


def test_grad_returns_values_and_leaves_grad_untouched():
    a, b = Value(2.0), Value(5.0)
    a.grad = 7.0
    y = a * b
    da, db = grad(y, [a, b])
    assert (da.data, db.data) == (5.0, 2.0)
    assert isinstance(da, Value) and (a.grad, b.grad, y.grad) == (7.0, 0.0, 0.0)


def test_grad_of_an_unrelated_value_is_zero():
    a, b = Value(2.0), Value(5.0)
    assert grad(a * a, [b])[0].data == 0.0


def test_grad_rejects_non_values():
    with pytest.raises(TypeError, match="float"):
        grad(Value(1.0) * 2, [1.0])  # type: ignore[list-item]  # deliberately the wrong type


@pytest.mark.parametrize(
    "f, d1, d2, d3",
    [
        (lambda x: x**3, lambda x: 3 * x**2, lambda x: 6 * x, lambda x: 6.0),
        (
            lambda x: x.exp() * x,
            lambda x: math.exp(x) * (x + 1),
            lambda x: math.exp(x) * (x + 2),
            lambda x: math.exp(x) * (x + 3),
        ),
        (
            lambda x: x.tanh(),
            lambda x: 1 - math.tanh(x) ** 2,
            lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2),
            lambda x: (1 - math.tanh(x) ** 2) * (6 * math.tanh(x) ** 2 - 2),
        ),
        (
            lambda x: x.sigmoid(),
            lambda x: (s := 1 / (1 + math.exp(-x))) * (1 - s),
            lambda x: (s := 1 / (1 + math.exp(-x))) * (1 - s) * (1 - 2 * s),
            lambda x: (s := 1 / (1 + math.exp(-x))) * (1 - s) * (1 - 6 * s + 6 * s * s),
        ),
        (lambda x: 1 / x, lambda x: -1 / x**2, lambda x: 2 / x**3, lambda x: -6 / x**4),
        (
            lambda x: x.log() * x.sqrt(),
            lambda x: 1 / math.sqrt(x) + math.log(x) / (2 * math.sqrt(x)),
            lambda x: -math.log(x) / (4 * x**1.5),
            lambda x: (3 * math.log(x) - 2) / (8 * x**2.5),
        ),
    ],
)
def test_derivatives_up_to_third_order(f, d1, d2, d3):
    x0 = 0.7
    x = Value(x0)
    (g1,) = grad(f(x), [x], create_graph=True)
    (g2,) = grad(g1, [x], create_graph=True)
    (g3,) = grad(g2, [x])
    assert g1.data == pytest.approx(d1(x0), rel=1e-12)
    assert g2.data == pytest.approx(d2(x0), rel=1e-12)
    assert g3.data == pytest.approx(d3(x0), rel=1e-10)


def test_mixed_second_derivative():
    x, y = Value(1.5), Value(-0.5)
    (dx,) = grad(x * x * y, [x], create_graph=True)  # 2xy
    dxx, dxy = grad(dx, [x, y])
    assert (dxx.data, dxy.data) == (2 * -0.5, 2 * 1.5)


def test_hooks_see_the_final_gradient_once_per_backward():
    x = Value(2.0)
    seen: list[float] = []
    h = x * x
    h.register_hook(seen.append)
    y = h + h
    y.backward()
    assert seen == [2.0]
    y.backward()
    assert seen == [2.0, 2.0]


def test_register_hook_rejects_non_callables():
    with pytest.raises(TypeError, match="callable"):
        Value(1.0).register_hook(3)  # type: ignore[arg-type]  # deliberately the wrong type


# --- the engine changes no mode and writes no .grad it should not -------------------


def test_a_rule_falling_back_to_ieee_changes_no_mode():
    from autograd import custom_op
    from autograd.core.modes import modes

    seen: list[tuple[bool, bool]] = []

    def watching_rule(g, out, x):
        seen.append((modes.recording, modes.anomaly))
        return (g / x,)  # raises on floats at x = 0, so the engine retries it

    op = custom_op("test_watching", forward=lambda x: x, backward=watching_rule)
    x = Value(0.0)
    op(x).backward()
    assert x.grad == math.inf
    assert seen == [(True, False), (True, False)]  # the retry saw the same modes


def test_a_thread_backpropagating_through_ieee_edges_never_disturbs_another():
    import threading

    stop = threading.Event()

    def edges():
        while not stop.is_set():
            Value(0.0).log().backward()  # 1/0 in log's rule: the IEEE fallback
            x = Value(0.0)
            grad(x / 0.0, [x])

    other = threading.Thread(target=edges)
    other.start()
    wrong = 0
    try:
        for _ in range(20_000):
            x = Value(3.0)
            (x * x + x).backward()
            wrong += x.grad != 7.0
    finally:
        stop.set()
        other.join()
    assert wrong == 0


def test_grad_leaves_every_grad_alone_even_a_shared_leafs():
    x = Value(2.0)
    x.grad = 5.0
    y = x * x
    y.grad = 7.0
    (dx,) = grad(y * 3, [x])
    assert dx.data == 12.0 and (x.grad, y.grad) == (5.0, 7.0)


def test_grad_with_create_graph_keeps_ieee_semantics():
    x = Value(1.0)
    assert grad(x / 0.0, [x], create_graph=True)[0].data == math.inf
    assert grad(x / 0.0, [x])[0].data == math.inf


def test_grad_of_a_constant_exponent_builds_no_log_even_in_anomaly_mode():
    from autograd import detect_anomaly

    x = Value(-1.0)
    with detect_anomaly():
        (dx,) = grad(x**2, [x], create_graph=True)
        (ddx,) = grad(dx, [x])
    assert (dx.data, ddx.data) == (-2.0, 2.0)


@pytest.mark.parametrize("output", [3.0, None, "y", [Value(1.0)]])
def test_grad_of_something_that_is_not_a_value_is_a_type_error(output):
    with pytest.raises(TypeError, match="grad\\(\\) differentiates a Value"):
        grad(output, [Value(1.0)])


def test_grad_with_create_graph_inside_no_grad_says_to_use_enable_grad():
    from autograd import enable_grad, no_grad

    x = Value(2.0)
    with no_grad():
        y = x * x
    with no_grad(), pytest.raises(RuntimeError, match="enable_grad"):
        grad(y, [x], create_graph=True)
    with no_grad(), enable_grad():
        y = x * x
        (dx,) = grad(y, [x], create_graph=True)
    assert grad(dx, [x])[0].data == 2.0


def test_hooks_of_leaves_see_their_accumulated_gradient():
    x = Value(3.0)
    seen: list[float] = []
    x.register_hook(seen.append)
    (x * x).backward()
    (x * x).backward()
    assert seen == [6.0, 12.0]


PDB_TO_A_RULE = ["step", "next", "step", "next", "next", "step"] + ["next"] * 6 + ["step"]


def test_pdb_steps_from_backward_into_a_rule_in_13_commands(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "user.py"
    script.write_text(
        "from autograd import Value\n"
        "a, b = Value(0.5), Value(-1.5)\n"
        "c = (a * b + a).tanh()\n"
        "breakpoint()\n"
        "c.backward()\n"
    )
    commands = PDB_TO_A_RULE + ["p g, out", "c"]
    run = subprocess.run(
        [sys.executable, str(script)],
        input="\n".join(commands) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONBREAKPOINT": "pdb.set_trace", "PATH": ""},
    )
    stops = [line for line in run.stdout.splitlines() if line.startswith("> ")]
    assert len(PDB_TO_A_RULE) == 13
    assert "tanh_backward" in stops[-1], stops
    assert "(1.0, " in run.stdout  # the gradient arriving at the output, and the output


def test_grad_takes_one_value_as_torch_takes_one_tensor():
    x = Value(3.0)
    assert [g.data for g in grad(x * x, x)] == [6.0]
