"""The op table: every operation's float forward and its named backward rule.

A backward rule has one contract: ``rule(g, out, *inputs) -> tuple``, one
gradient per input, where ``g`` is the gradient of the op's output. Rules are
written with plain arithmetic (and the dispatching helpers ``exp``, ``log``,
``power`` below), so the same rule runs on floats during ``backward()`` and on
Values when ``grad(..., create_graph=True)`` differentiates the rule itself.

Forwards follow IEEE 754 like PyTorch float64: they return inf or nan where
Python's ``math`` would raise.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass

INF = math.inf
NAN = math.nan


# --- float math with IEEE 754 results instead of exceptions -----------------


def exp_float(a: float) -> float:
    try:
        return math.exp(a)
    except OverflowError:
        return INF


def log_float(a: float) -> float:
    if a > 0:
        return math.log(a)
    return -INF if a == 0 else NAN


def sqrt_float(a: float) -> float:
    return math.sqrt(a) if a >= 0 else NAN


def div_float(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def _is_odd_integer(b: float) -> bool:
    return b.is_integer() and b % 2 == 1


def pow_float(a: float, b: float) -> float:
    """``a ** b`` as torch.pow: never complex (a negative base with a
    fractional exponent gives nan), and inf rather than an exception."""
    try:
        return math.pow(a, b)
    except ValueError:  # 0 ** negative, or negative ** fraction
        if a == 0:
            return math.copysign(INF, a) if _is_odd_integer(b) else INF
        return NAN
    except OverflowError:
        return -INF if a < 0 and _is_odd_integer(b) else INF


def sigmoid_float(a: float) -> float:
    # Two branches so that exp never sees a large positive argument.
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)  # nan also lands here and stays nan
    return e / (1.0 + e)


def relu_float(a: float) -> float:
    return 0.0 if a <= 0 else a  # nan stays nan, as in torch


def sum_float(*xs: float) -> float:
    return sum(xs, 0.0)


def dot_float(*operands: float) -> float:
    half = len(operands) // 2
    return sum(map(operator.mul, operands[:half], operands[half:]), 0.0)


# --- helpers that let one rule run on floats and on Values ------------------


def exp(x):
    return exp_float(x) if isinstance(x, float) else x.exp()


def log(x):
    return log_float(x) if isinstance(x, float) else x.log()


def power(x, y):
    if isinstance(x, float) and isinstance(y, float):
        return pow_float(x, y)
    return x**y


# --- backward rules: (g, out, *inputs) -> one gradient per input -------------


def add_backward(g, out, a, b):
    """d(a+b)/da = 1, d(a+b)/db = 1"""
    return g, g


def sub_backward(g, out, a, b):
    """d(a-b)/da = 1, d(a-b)/db = -1"""
    return g, -g


def mul_backward(g, out, a, b):
    """d(a*b)/da = b, d(a*b)/db = a"""
    return g * b, g * a


def div_backward(g, out, a, b):
    """d(a/b)/da = 1/b, d(a/b)/db = -a/b**2 = -out/b"""
    return g / b, -g * out / b


def pow_backward(g, out, a, b):
    """d(a**b)/da = b * a**(b-1), d(a**b)/db = a**b * log(a)"""
    return g * b * power(a, b - 1.0), g * out * log(a)


def neg_backward(g, out, a):
    """d(-a)/da = -1"""
    return (-g,)


def abs_backward(g, out, a):
    """d|a|/da = sign(a), taken as 0 at a = 0 like torch"""
    if a > 0:
        return (g,)
    return (-g,) if a < 0 else (0.0,)


def exp_backward(g, out, a):
    """d(exp a)/da = exp a = out"""
    return (g * out,)


def log_backward(g, out, a):
    """d(log a)/da = 1/a"""
    return (g / a,)


def tanh_backward(g, out, a):
    """d(tanh a)/da = 1 - tanh(a)**2 = 1 - out**2"""
    return (g * (1.0 - out * out),)


def sigmoid_backward(g, out, a):
    """d(sigmoid a)/da = sigmoid(a) * (1 - sigmoid(a)) = out * (1 - out)"""
    return (g * out * (1.0 - out),)


def relu_backward(g, out, a):
    """d(relu a)/da = 1 where a > 0, else 0"""
    return (g,) if out > 0 else (0.0,)


def sqrt_backward(g, out, a):
    """d(sqrt a)/da = 1 / (2 sqrt a) = 0.5 / out"""
    return (0.5 * g / out,)


def sum_backward(g, out, *xs):
    """d(x0 + x1 + ...)/dxi = 1"""
    return (g,) * len(xs)


def dot_backward(g, out, *operands):
    """operands are w0..wn-1, x0..xn-1; d(sum wi*xi)/dwi = xi, /dxi = wi:
    g times the operands with their two halves swapped"""
    half = len(operands) // 2
    return tuple([g * v for v in operands[half:] + operands[:half]])


# --- the table ---------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """One entry of the op table. Calling it applies it to Values or numbers:

    >>> from autograd import Value
    >>> OPS["exp"](Value(0.0)).data
    1.0
    """

    name: str
    forward: Callable[..., float]
    backward: Callable[..., tuple]

    def __call__(self, *operands) -> value.Value:
        return value.apply(self, *operands)


OPS: dict[str, Op] = {}


def custom_op(name: str, forward: Callable[..., float], backward: Callable[..., tuple]) -> Op:
    """Register an op in the same table the built-ins use, and return it.

    ``forward`` takes floats and returns a float; ``backward(g, out, *inputs)``
    returns one gradient per input and must use plain arithmetic, so that it
    also runs on Values for ``grad(..., create_graph=True)``.

    >>> from autograd import Value
    >>> cube = custom_op("cube_doc", forward=lambda x: x ** 3,
    ...                  backward=lambda g, out, x: (3 * x * x * g,))
    >>> y = cube(Value(2.0)); y.backward(); (y.op, y.data)
    ('cube_doc', 8.0)
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"op name must be a non-empty str, got {name!r}")
    if name in OPS:
        raise ValueError(f"an op named {name!r} is already registered")
    for role, fn in (("forward", forward), ("backward", backward)):
        if not callable(fn):
            raise TypeError(f"{role} of op {name!r} must be callable, got {type(fn).__name__}")
    op = OPS[name] = Op(name, forward, backward)
    return op


ADD = custom_op("+", operator.add, add_backward)
SUB = custom_op("-", operator.sub, sub_backward)
MUL = custom_op("*", operator.mul, mul_backward)
DIV = custom_op("/", div_float, div_backward)
POW = custom_op("**", pow_float, pow_backward)
NEG = custom_op("neg", operator.neg, neg_backward)
ABS = custom_op("abs", abs, abs_backward)
EXP = custom_op("exp", exp_float, exp_backward)
LOG = custom_op("log", log_float, log_backward)
TANH = custom_op("tanh", math.tanh, tanh_backward)
SIGMOID = custom_op("sigmoid", sigmoid_float, sigmoid_backward)
RELU = custom_op("relu", relu_float, relu_backward)
SQRT = custom_op("sqrt", sqrt_float, sqrt_backward)
SUM = custom_op("sum", sum_float, sum_backward)
DOT = custom_op("dot", dot_float, dot_backward)


# Imported last: Value's operators need the table above, and Op.__call__
# needs Value, so whichever module is imported first, both end complete.
from autograd import value  # noqa: E402
