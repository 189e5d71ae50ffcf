"""Float math with IEEE 754 results instead of exceptions, as PyTorch's
float64 gives them: the forwards of the built-in ops, ``IEEEFloat`` for rules
that raise on plain floats, and ``as_float`` for what a user passes in.

This is the bottom of the package: it knows floats, nothing else.

Examples:
    >>> exp_float(1000.0), log_float(0.0), div_float(1.0, -0.0), pow_float(-8.0, 1 / 3)
    (inf, -inf, -inf, nan)
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable
from typing import Any

INF = math.inf
NAN = math.nan
SOFTPLUS_THRESHOLD = 20.0  # torch's default: above it softplus(x) is x


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
    return 0.0 if a < 0 else a  # as torch: -0.0 and nan pass through


def leaky_relu_float(a: float, slope: float) -> float:
    return a if a > 0 else a * slope


def softplus_float(a: float) -> float:
    return a if a > SOFTPLUS_THRESHOLD else math.log1p(math.exp(a))


def clamp_float(a: float, lo: float, hi: float) -> float:
    if lo != lo or hi != hi:  # a nan bound, as torch
        return NAN
    return lo if a < lo else hi if a > hi else a  # nan stays nan


def sin_float(a: float) -> float:
    return math.sin(a) if math.isfinite(a) else NAN


def cos_float(a: float) -> float:
    return math.cos(a) if math.isfinite(a) else NAN


def sign_float(x: float) -> float:
    """1, -1, or 0 (for 0 and nan), as torch's sign."""
    return float((x > 0) - (x < 0))


def sum_float(*xs: float) -> float:
    return sum(xs, 0.0)


def dot_float(*operands: float) -> float:
    half = len(operands) // 2
    return sum(map(operator.mul, operands[:half], operands[half:]), 0.0)


class IEEEFloat(float):
    """A float whose arithmetic never raises: ``/`` and ``**`` give inf or
    nan as IEEE 754 does. When a rule raises on plain floats (``g / 0.0``),
    the engine runs it again on these, so its result follows IEEE without
    switching any mode.

    Examples:
        >>> IEEEFloat(1.0) / 0.0, IEEEFloat(-8.0) ** 0.5
        (inf, nan)
    """

    def __add__(self, other: object) -> Any:
        return _ieee(operator.add, self, other)

    def __radd__(self, other: object) -> Any:
        return _ieee(operator.add, other, self)

    def __sub__(self, other: object) -> Any:
        return _ieee(operator.sub, self, other)

    def __rsub__(self, other: object) -> Any:
        return _ieee(operator.sub, other, self)

    def __mul__(self, other: object) -> Any:
        return _ieee(operator.mul, self, other)

    def __rmul__(self, other: object) -> Any:
        return _ieee(operator.mul, other, self)

    def __truediv__(self, other: object) -> Any:
        return _ieee(div_float, self, other)

    def __rtruediv__(self, other: object) -> Any:
        return _ieee(div_float, other, self)

    def __pow__(self, other: object) -> Any:  # type: ignore[override]  # float's overloads
        return _ieee(pow_float, self, other)

    def __rpow__(self, other: object) -> Any:  # type: ignore[override]  # float's overloads
        return _ieee(pow_float, other, self)

    def __neg__(self) -> IEEEFloat:
        return IEEEFloat(-float(self))

    def __abs__(self) -> IEEEFloat:
        return IEEEFloat(abs(float(self)))


def _ieee(fn: Callable[[float, float], float], a: object, b: object) -> Any:
    if not (isinstance(a, int | float) and isinstance(b, int | float)):
        return NotImplemented  # a Value: its own operator takes over
    return IEEEFloat(fn(float(a), float(b)))


def as_float(x: object) -> float:
    """A real number as a float; anything else is a TypeError naming its type."""
    if type(x) is float:
        return x
    if type(x) is int:  # as in x * 2: skip the slower check against numbers.Real
        return float(x)
    if isinstance(x, numbers.Real) or _is_numpy_bool(x):
        return float(x)  # type: ignore[arg-type]  # numbers.Real and numpy.bool_ convert
    raise TypeError(f"expected a real number, got {type(x).__name__}: {x!r}")


def _is_numpy_bool(x: object) -> bool:
    # numpy registers its integer and float scalars as numbers.Real, but not
    # numpy.bool_; recognised by name, as glassgrad does not depend on numpy.
    kind = type(x)
    return kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")
