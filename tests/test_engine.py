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
        grad(Value(1.0) * 2, [1.0])


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
    seen = []
    h = x * x
    h.register_hook(seen.append)
    y = h + h
    y.backward()
    assert seen == [2.0]
    y.backward()
    assert seen == [2.0, 2.0]


def test_register_hook_rejects_non_callables():
    with pytest.raises(TypeError, match="callable"):
        Value(1.0).register_hook(3)
