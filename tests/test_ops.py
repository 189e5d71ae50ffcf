"""Every op: value and gradient against closed forms, mpmath and torch, and
IEEE 754 behaviour at the edges. The tables below drive every test."""

import math

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd.ops
from autograd import Value, custom_op, grad
from autograd.ops import OPS, Op
from autograd.strategies import Expression, expressions

mpmath.mp.dps = 40

# name: (float derivative(s) in closed form, mpmath function, domain of inputs)
UNARY = {
    "neg": (lambda x: -1.0, lambda x: -x, (-5, 5)),
    "abs": (lambda x: math.copysign(1.0, x), abs, (0.1, 5)),
    "exp": (math.exp, mpmath.exp, (-5, 5)),
    "log": (lambda x: 1 / x, mpmath.log, (0.1, 10)),
    "tanh": (lambda x: 1 - math.tanh(x) ** 2, mpmath.tanh, (-5, 5)),
    "sigmoid": (
        lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2,
        lambda x: 1 / (1 + mpmath.exp(-x)),
        (-10, 10),
    ),
    "relu": (lambda x: 1.0 if x > 0 else 0.0, lambda x: max(x, 0), (-5, 5)),
    "sqrt": (lambda x: 0.5 / math.sqrt(x), mpmath.sqrt, (0.1, 10)),
}
BINARY = {
    "+": (lambda a, b: (1.0, 1.0), lambda a, b: a + b, (-5, 5), (-5, 5)),
    "-": (lambda a, b: (1.0, -1.0), lambda a, b: a - b, (-5, 5), (-5, 5)),
    "*": (lambda a, b: (b, a), lambda a, b: a * b, (-5, 5), (-5, 5)),
    "/": (lambda a, b: (1 / b, -a / b**2), lambda a, b: a / b, (-5, 5), (0.5, 5)),
    "**": (
        lambda a, b: (b * a ** (b - 1), a**b * math.log(a)),
        lambda a, b: a**b,
        (0.1, 4),
        (-3, 3),
    ),
}
MP_FUNCTIONS = {**{k: v[1] for k, v in UNARY.items()}, **{k: v[1] for k, v in BINARY.items()}}


def close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(b))


def in_domain(lo, hi):
    return st.floats(lo, hi).filter(lambda x: abs(x) > 1e-3)  # away from relu/abs kinks


def test_every_builtin_op_is_in_the_tables():
    builtins = {op.name for op in vars(autograd.ops).values() if isinstance(op, Op)}
    assert set(UNARY) | set(BINARY) | {"sum", "dot"} == builtins


@pytest.mark.parametrize("name", UNARY)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_unary_value_and_gradient(name, data):
    derivative, mp_fn, (lo, hi) = UNARY[name]
    x0 = data.draw(in_domain(lo, hi))
    x = Value(x0)
    y = OPS[name](x)
    y.backward()
    assert close(y.data, float(mp_fn(mpmath.mpf(x0))))
    assert close(x.grad, derivative(x0))
    assert close(x.grad, float(mpmath.diff(mp_fn, mpmath.mpf(x0))))


@pytest.mark.parametrize("name", BINARY)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_binary_value_and_gradients(name, data):
    derivatives, mp_fn, a_dom, b_dom = BINARY[name]
    a0, b0 = data.draw(in_domain(*a_dom)), data.draw(in_domain(*b_dom))
    a, b = Value(a0), Value(b0)
    y = OPS[name](a, b)
    y.backward()
    ma, mb = mpmath.mpf(a0), mpmath.mpf(b0)
    assert close(y.data, float(mp_fn(ma, mb)))
    assert all(close(g, d) for g, d in zip((a.grad, b.grad), derivatives(a0, b0)))
    assert close(a.grad, float(mpmath.diff(lambda t: mp_fn(t, mb), ma)))
    assert close(b.grad, float(mpmath.diff(lambda t: mp_fn(ma, t), mb)))


def test_sum_and_dot_gradients():
    ws = [Value(float(i)) for i in range(1, 4)]
    xs = [Value(float(-i)) for i in range(1, 4)]
    y = Value.dot(ws, xs) * 2 + Value.sum(ws)
    y.backward()
    assert [w.grad for w in ws] == [2 * x.data + 1 for x in xs]
    assert [x.grad for x in xs] == [2 * w.data for w in ws]


@settings(max_examples=200, deadline=None)
@given(expressions())
def test_random_expressions_match_mpmath(case):
    f, xs = case
    leaves = [Value(x) for x in xs]
    y = f(*leaves)
    y.backward()
    point = [mpmath.mpf(x) for x in xs]
    assert close(y.data, float(f.evaluate(point, MP_FUNCTIONS)), 1e-8)
    for i, leaf in enumerate(leaves):

        def along_i(t, i=i):
            return f.evaluate(point[:i] + [t] + point[i + 1 :], MP_FUNCTIONS)

        expected = float(mpmath.diff(along_i, point[i]))
        assert close(leaf.grad, expected, 1e-7), (i, leaf.grad, expected)


# --- against torch float64 ----------------------------------------------------

TORCH_UNARY = {
    "neg": "neg",
    "abs": "abs",
    "exp": "exp",
    "log": "log",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
    "relu": "relu",
    "sqrt": "sqrt",
}
TORCH_BINARY = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow"}


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("x0", [-3.7, -0.4, 0.6, 2.2, 8.0])
def test_unary_against_torch(name, x0):
    torch = pytest.importorskip("torch")
    lo, hi = UNARY[name][2]
    x0 = min(max(x0, lo), hi)
    x, t = Value(x0), torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y, ty = OPS[name](x), getattr(torch, TORCH_UNARY[name])(t)
    y.backward()
    ty.backward()
    assert close(y.data, ty.item(), 1e-12) and close(x.grad, t.grad.item(), 1e-12)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("a0, b0", [(0.3, 1.7), (2.5, -0.6), (1.1, 2.0)])
def test_binary_against_torch(name, a0, b0):
    torch = pytest.importorskip("torch")
    a, b = Value(a0), Value(b0)
    ta, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a0, b0))
    y, ty = OPS[name](a, b), getattr(torch, TORCH_BINARY[name])(ta, tb)
    y.backward()
    ty.backward()
    assert close(y.data, ty.item(), 1e-12)
    assert close(a.grad, ta.grad.item(), 1e-12) and close(b.grad, tb.grad.item(), 1e-12)


# --- IEEE 754 at the edges, like torch float64 ----------------------------------


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: Value(1000.0).exp(), math.inf),
        (lambda: Value(0.0).log(), -math.inf),
        (lambda: Value(-1.0).log(), math.nan),
        (lambda: Value(1.0) / 0, math.inf),
        (lambda: Value(-1.0) / 0, -math.inf),
        (lambda: Value(1.0) / -0.0, -math.inf),
        (lambda: Value(0.0) / 0, math.nan),
        (lambda: Value(-8.0) ** (1 / 3), math.nan),
        (lambda: Value(0.0) ** -1, math.inf),
        (lambda: Value(10.0) ** 400, math.inf),
        (lambda: Value(-10.0) ** 401, -math.inf),
        (lambda: Value(-1.0).sqrt(), math.nan),
        (lambda: Value(-1000.0).sigmoid(), 0.0),
        (lambda: Value(1000.0).sigmoid(), 1.0),
        (lambda: Value(-1000.0).tanh(), -1.0),
        (lambda: Value(math.nan).relu(), math.nan),
    ],
)
def test_forward_edges_follow_ieee_and_never_raise(make, expected):
    y = make()
    assert type(y.data) is float and same(y.data, expected)


@pytest.mark.parametrize(
    "make, expected_grad",
    [
        (lambda x: x.log(), math.inf),  # 1/0
        (lambda x: x.sqrt(), math.inf),  # 0.5/sqrt(0)
        (lambda x: 1 / x, -math.inf),  # -1/0**2 with the IEEE sign of 1/+0
        (lambda x: x**0.5, math.inf),  # 0.5 * 0**-0.5
    ],
)
def test_backward_at_zero_gives_inf_instead_of_raising(make, expected_grad):
    x = Value(0.0)
    make(x).backward()
    assert x.grad == expected_grad or (math.isnan(x.grad) and math.isnan(expected_grad))


@pytest.mark.parametrize(
    "make", [lambda x: x / 0, lambda x: x.log(), lambda x: x.sqrt(), lambda x: x**-1.5]
)
def test_edges_agree_with_torch(make):
    torch = pytest.importorskip("torch")
    for x0 in (0.0, -0.0, -1.0):
        x, t = Value(x0), torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        y, ty = make(x), make(t)
        y.backward()
        ty.backward()
        assert same(y.data, ty.item()) and same(x.grad, t.grad.item()), x0


def test_sigmoid_gradient_is_stable_far_out():
    x = Value(-1000.0)
    x.sigmoid().backward()
    assert x.grad == 0.0


# --- custom ops ---------------------------------------------------------------


def test_custom_op_joins_the_same_table_and_differentiates_twice():
    square = custom_op(
        "test_square", forward=lambda x: x * x, backward=lambda g, out, x: (2 * x * g,)
    )
    assert OPS["test_square"] is square
    x = Value(3.0)
    y = square(x)
    assert (y.op, y.data, y.inputs) == ("test_square", 9.0, (x,))
    (dy,) = grad(y, [x], create_graph=True)
    (ddy,) = grad(dy, [x])
    assert (dy.data, ddy.data) == (6.0, 2.0)


def test_custom_op_names_are_unique_and_rules_callable():
    with pytest.raises(ValueError, match="already registered"):
        custom_op("+", forward=lambda a, b: a, backward=lambda g, o, a, b: (g, g))
    with pytest.raises(TypeError, match="backward"):
        custom_op("test_bad", forward=lambda a: a, backward=None)


def test_a_rule_returning_the_wrong_number_of_gradients_is_named():
    def two_grads(g, out, x):
        return g, g

    bad = custom_op("test_two_grads", forward=lambda x: x, backward=two_grads)
    with pytest.raises(ValueError, match="two_grads.*1 inputs.*returned 2"):
        bad(Value(1.0)).backward()


def test_expressions_print_as_formulas():
    f = Expression(("*", ("x", 0), ("log", ("x", 1))), 2)
    assert repr(f) == "(x0 * log(x1))"
    assert f(Value(2.0), Value(math.e)).data == pytest.approx(2.0)
