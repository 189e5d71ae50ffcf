"""The op table: every operation's float forward and its named backward rule.

It sits just above ``floats`` (the forwards): it knows floats and rules, and
nothing of ``Value``.

A backward rule has one contract: ``rule(g, out, *inputs) -> tuple``, one
gradient per input, where ``g`` is the gradient of the op's output. Rules are
written with plain arithmetic (and the dispatching helpers ``exp``, ``log``,
``power``, ``sin``, ``cos`` below), so the same rule runs on floats during
``backward()`` and on Values when ``grad(..., create_graph=True)``
differentiates the rule itself. Where a rule branches on a number it reads it
with ``value_of``, which works for both.

Forwards and rules follow IEEE 754 like PyTorch float64: they give inf or nan
where Python's ``math`` would raise, and their gradients at the edge cases
(``0 ** 0``, ``|x|`` at 0, relu at nan) are torch's.

Examples:
    >>> OPS["sigmoid"].forward(0.0), OPS["sigmoid"].backward(1.0, 0.5, 0.0)
    (0.5, (0.25,))
"""

from __future__ import annotations

import inspect
import math
import operator
from collections.abc import Callable
from typing import Any

from autograd.core.floats import (
    INF,
    SOFTPLUS_THRESHOLD,
    clamp_float,
    cos_float,
    div_float,
    dot_float,
    exp_float,
    leaky_relu_float,
    log_float,
    pow_float,
    relu_float,
    sigmoid_float,
    sign_float,
    sin_float,
    softplus_float,
    sqrt_float,
    sum_float,
)

Forward = Callable[..., float]
Rule = Callable[..., tuple[Any, ...]]


# --- helpers that let one rule run on floats and on Values ------------------


def value_of(x: Any) -> float:
    """The number a rule branches on: ``x`` itself on floats, ``x.data`` on a
    Value (read directly: a rule's branch is not user control flow)."""
    return x if isinstance(x, float) else float(x.data)


def exp(x: Any) -> Any:
    return exp_float(x) if isinstance(x, float) else x.exp()


def log(x: Any) -> Any:
    return log_float(x) if isinstance(x, float) else x.log()


def sin(x: Any) -> Any:
    return sin_float(x) if isinstance(x, float) else x.sin()


def cos(x: Any) -> Any:
    return cos_float(x) if isinstance(x, float) else x.cos()


def power(x: Any, y: Any) -> Any:
    if isinstance(x, float) and isinstance(y, float):
        return pow_float(x, y)
    return x**y


# --- backward rules: (g, out, *inputs) -> one gradient per input -------------


def add_backward(g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d(a+b)/da = 1, d(a+b)/db = 1"""
    return g, g


def sub_backward(g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d(a-b)/da = 1, d(a-b)/db = -1"""
    return g, -g


def mul_backward(g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d(a*b)/da = b, d(a*b)/db = a"""
    return g * b, g * a


def div_backward(g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d(a/b)/da = 1/b, d(a/b)/db = -a/b**2, computed as -(a/b)/b (as torch:
    b*b would overflow or underflow long before)"""
    return g / b, -g * ((a / b) / b)


def _pow_base_grad(g: Any, a: Any, b: Any) -> Any:
    """d(a**b)/da = b * a**(b-1), taken as 0 where b = 0 (as torch: no 0 * inf)"""
    return 0.0 if value_of(b) == 0 else g * (b * power(a, b - 1.0))


def _pow_exponent_grad(g: Any, out: Any, a: Any, b: Any) -> Any:
    """d(a**b)/db = a**b * log(a), taken as 0 where a = 0 and b >= 0 (as torch,
    which multiplies g by that 0, so an inf or nan arriving still shows)"""
    return g * (0.0 if value_of(a) == 0 and value_of(b) >= 0 else out * log(a))


def pow_backward(g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d(a**b)/da = b * a**(b-1) (0 where b = 0), d(a**b)/db = a**b * log(a)
    (0 where a = 0 and b >= 0)"""
    return _pow_base_grad(g, a, b), _pow_exponent_grad(g, out, a, b)


def pow_constant_exponent_backward(g: Any, out: Any, a: Any, c: Any) -> tuple[Any, float]:
    """a ** c for a number c: d/da = c * a**(c-1) (0 where c = 0); c is a
    constant and gets no gradient"""
    return _pow_base_grad(g, a, c), 0.0


def pow_constant_base_backward(g: Any, out: Any, c: Any, b: Any) -> tuple[float, Any]:
    """c ** b for a number c: d/db = c**b * log(c) (0 where c = 0 and b >= 0);
    c is a constant and gets no gradient"""
    return 0.0, _pow_exponent_grad(g, out, c, b)


def neg_backward(g: Any, out: Any, a: Any) -> tuple[Any]:
    """d(-a)/da = -1"""
    return (-g,)


def abs_backward(g: Any, out: Any, a: Any) -> tuple[Any]:
    """d|a|/da = sign(a), 0 at a = 0 (as torch, so an inf arriving there gives nan)"""
    return (g * sign_float(value_of(a)),)


def exp_backward(g: Any, out: Any, a: Any) -> tuple[Any]:
    """d(exp a)/da = exp a = out"""
    return (g * out,)


def log_backward(g: Any, out: Any, a: Any) -> tuple[Any]:
    """d(log a)/da = 1/a"""
    return (g / a,)


def tanh_backward(g: Any, out: Any, a: Any) -> tuple[Any]:
    """d(tanh a)/da = 1 - tanh(a)**2 = 1 - out**2"""
    return (g * (1.0 - out * out),)


def sigmoid_backward(g: Any, out: Any, a: Any) -> tuple[Any]:
    """d(sigmoid a)/da = sigmoid(a) * (1 - sigmoid(a)) = out * (1 - out)"""
    return (g * out * (1.0 - out),)


def relu_backward(g: Any, out: Any, a: Any) -> tuple[Any]:
    """d(relu a)/da = 0 where a <= 0, else 1 (nan passes the gradient, as torch)"""
    return (0.0 if value_of(a) <= 0 else g,)


def leaky_relu_backward(g: Any, out: Any, a: Any, slope: Any) -> tuple[Any, float]:
    """d(leaky_relu a)/da = 1 where a > 0, else slope (slope at 0, as torch);
    the slope is a constant"""
    return (g if value_of(a) > 0 else g * slope), 0.0


def softplus_backward(g: Any, out: Any, a: Any) -> tuple[Any]:
    """d(log(1 + exp a))/da = sigmoid(a) = exp(a) / (exp(a) + 1); 1 above the
    threshold 20, where softplus(a) is a (as torch)"""
    if value_of(a) > SOFTPLUS_THRESHOLD:
        return (g,)
    z = exp(a)
    return (g * z / (z + 1.0),)


def clamp_backward(g: Any, out: Any, a: Any, lo: Any, hi: Any) -> tuple[Any, float, float]:
    """d(clamp(a, lo, hi))/da = 1 where lo <= a <= hi (bounds included, as
    torch), else 0; the bounds are constants"""
    return (g if value_of(lo) <= value_of(a) <= value_of(hi) else 0.0), 0.0, 0.0


def sin_backward(g: Any, out: Any, a: Any) -> tuple[Any]:
    """d(sin a)/da = cos a"""
    return (g * cos(a),)


def cos_backward(g: Any, out: Any, a: Any) -> tuple[Any]:
    """d(cos a)/da = -sin a"""
    return (g * -sin(a),)


def sqrt_backward(g: Any, out: Any, a: Any) -> tuple[Any]:
    """d(sqrt a)/da = 1 / (2 sqrt a) = 1 / (2 out)"""
    return (g / (2.0 * out),)


def sum_backward(g: Any, out: Any, *xs: Any) -> tuple[Any, ...]:
    """d(x0 + x1 + ...)/dxi = 1"""
    return (g,) * len(xs)


def dot_backward(g: Any, out: Any, *operands: Any) -> tuple[Any, ...]:
    """operands are w0..wn-1, x0..xn-1; d(sum wi*xi)/dwi = xi, /dxi = wi:
    g times the operands with their two halves swapped"""
    half = len(operands) // 2
    return tuple([g * v for v in operands[half:] + operands[:half]])


# --- the table ---------------------------------------------------------------


class Op(str):
    """An op's name, carrying its rules. A node keeps its Op in ``.op``, so
    ``node.op == "exp"`` reads as the name while the engine finds the rule
    without a table lookup, and a node keeps the rules it was made with even
    if ``custom_op(..., replace=True)`` registers new ones later.

    ``domain`` is None, or the open interval ``(lo, hi)`` every input must
    lie in for the op to be differentiable (``log`` is ``(0, inf)``).
    ``builtin`` marks glassgrad's own ops: their rules are known to return
    floats on floats, so the engine checks only custom rules' results.

    Examples:
        >>> OPS["exp"] == "exp", OPS["exp"].backward.__name__
        (True, 'exp_backward')
    """

    forward: Forward
    backward: Rule
    domain: tuple[float, float] | None
    builtin: bool

    def __new__(
        cls,
        name: str,
        forward: Forward,
        backward: Rule,
        domain: tuple[float, float] | None = None,
        builtin: bool = False,
    ) -> Op:
        op = super().__new__(cls, name)
        op.forward, op.backward, op.domain, op.builtin = forward, backward, domain, builtin
        return op

    @property
    def name(self) -> str:
        return str(self)


OPS: dict[str, Op] = {}
"""Every registered op by name: the built-ins and each ``custom_op``."""


def register(
    name: str,
    forward: Forward,
    backward: Rule,
    *,
    domain: tuple[float, float] | None = None,
    replace: bool = False,
) -> Op:
    """Check an op's parts and enter it in ``OPS`` (``custom_op`` is the
    public way in). Errors name the op and the part at fault.

    Examples:
        >>> register("ops_doc_twice", lambda x: 2 * x, lambda g, out, x: (2 * g,))
        'ops_doc_twice'
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"op name must be a non-empty str, got {name!r}")
    if name in OPS and OPS[name].builtin:
        raise ValueError(f"{name!r} is a built-in op and cannot be registered again")
    if name in OPS and not replace:
        raise ValueError(
            f"an op named {name!r} is already registered; "
            f"pass replace=True to register it again (as when re-running a notebook cell)"
        )
    for role, fn in (("forward", forward), ("backward", backward)):
        if not callable(fn):
            raise TypeError(f"{role} of op {name!r} must be callable, got {type(fn).__name__}")
    _check_signatures(name, forward, backward)
    op = OPS[name] = Op(name, forward, backward, _checked_domain(name, domain))
    return op


def _positional_range(fn: Callable[..., Any]) -> tuple[int, float] | None:
    """How many positional arguments fn takes, (fewest, most); None when
    Python cannot tell (some builtins)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = sum(1 for p in positional if p.default is p.empty)
    varargs = any(p.kind == p.VAR_POSITIONAL for p in parameters)
    return required, (INF if varargs else len(positional))


def _check_signatures(name: str, forward: Forward, backward: Rule) -> None:
    forward_range = _positional_range(forward)
    backward_range = _positional_range(backward)
    if forward_range is not None and forward_range[1] < 1:
        raise TypeError(f"forward of op {name!r} must take at least one input")
    if backward_range is None:
        return
    fewest, most = forward_range or (1, INF)
    if backward_range[1] < fewest + 2 or backward_range[0] > most + 2:
        raise TypeError(
            f"backward of op {name!r} ({getattr(backward, '__name__', 'rule')}) must take "
            f"(g, out, *inputs): the gradient of the output, the output, then one argument per "
            f"input of forward"
        )


def _checked_domain(name: str, domain: object) -> tuple[float, float] | None:
    if domain is None:
        return None
    try:
        lo, hi = (float(bound) for bound in domain)  # type: ignore[attr-defined]  # checked here
    except (TypeError, ValueError):
        raise TypeError(
            f"domain of op {name!r} must be None or a pair (lo, hi), got {domain!r}"
        ) from None
    if not lo < hi:
        raise ValueError(f"domain of op {name!r} must have lo < hi, got {domain!r}")
    return lo, hi


def _builtin(
    name: str, forward: Forward, backward: Rule, domain: tuple[float, float] | None = None
) -> Op:
    op = OPS[name] = Op(name, forward, backward, domain, builtin=True)
    return op


POSITIVE = (0.0, INF)

ADD = _builtin("+", operator.add, add_backward)
SUB = _builtin("-", operator.sub, sub_backward)
MUL = _builtin("*", operator.mul, mul_backward)
DIV = _builtin("/", div_float, div_backward)
POW = _builtin("**", pow_float, pow_backward)
NEG = _builtin("neg", operator.neg, neg_backward)
ABS = _builtin("abs", abs, abs_backward)
EXP = _builtin("exp", exp_float, exp_backward)
LOG = _builtin("log", log_float, log_backward, domain=POSITIVE)
TANH = _builtin("tanh", math.tanh, tanh_backward)
SIGMOID = _builtin("sigmoid", sigmoid_float, sigmoid_backward)
RELU = _builtin("relu", relu_float, relu_backward)
LEAKY_RELU = _builtin("leaky_relu", leaky_relu_float, leaky_relu_backward)
SOFTPLUS = _builtin("softplus", softplus_float, softplus_backward)
CLAMP = _builtin("clamp", clamp_float, clamp_backward)
SIN = _builtin("sin", sin_float, sin_backward)
COS = _builtin("cos", cos_float, cos_backward)
SQRT = _builtin("sqrt", sqrt_float, sqrt_backward, domain=POSITIVE)
SUM = _builtin("sum", sum_float, sum_backward)
DOT = _builtin("dot", dot_float, dot_backward)

# Variants of "**" for a plain-number exponent or base, as torch's pow
# overloads: their rules never differentiate the constant, so grad(x ** 2)
# builds no log node. They share the name "**" and stay out of the table.
POW_CONSTANT_EXPONENT = Op("**", pow_float, pow_constant_exponent_backward, builtin=True)
POW_CONSTANT_BASE = Op("**", pow_float, pow_constant_base_backward, builtin=True)

BUILTIN_NAMES = frozenset(name for name, op in OPS.items() if op.builtin)
