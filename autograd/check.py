"""Finite-difference gradient checks: ``gradcheck`` and ``gradgradcheck``."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from autograd.engine import grad
from autograd.value import Value, as_float

# Central differences err by O(eps**2) in truncation and O(ulp/eps) in
# rounding; eps = 1e-6 balances the two for float64 near 1.
EPS = 1e-6
ATOL = 1e-5
RTOL = 1e-4


class GradcheckError(AssertionError):
    """Analytic and numeric gradients disagree; the message is a table."""


def _table(rows: list[tuple]) -> str:
    header = ("input", "label", "analytic", "numeric", "abs err", "rel err")
    lines = [header] + [
        (str(i), label or "-", f"{a:.10g}", f"{n:.10g}", f"{abs_err:.3g}", f"{rel_err:.3g}")
        for i, label, a, n, abs_err, rel_err in rows
    ]
    widths = [max(len(line[k]) for line in lines) for k in range(len(header))]
    return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(line, widths)) for line in lines)


def _compare(
    what: str,
    analytic: list[float],
    numeric: list[float],
    labels: list[str],
    atol: float,
    rtol: float,
) -> bool:
    rows = []
    failed = False
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        abs_err = abs(a - n)
        rel_err = abs_err / abs(n) if n else (0.0 if a == n else math.inf)
        bad = not abs_err <= atol + rtol * abs(n)  # also catches nan
        failed |= bad
        rows.append((i, labels[i], a, n, abs_err, rel_err))
    if failed:
        raise GradcheckError(
            f"{what} disagrees with central differences (atol={atol}, rtol={rtol}):\n{_table(rows)}"
        )
    return True


def _numeric(f: Callable[[list[float]], float], xs: list[float], eps: float) -> list[float]:
    out = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += eps
        down[i] -= eps
        out.append((f(up) - f(down)) / (2 * eps))
    return out


def _leaves(xs: Sequence) -> list[Value]:
    return [Value(x.data, x.label) if isinstance(x, Value) else Value(as_float(x)) for x in xs]


def _output(f: Callable[..., Value], leaves: list[Value]) -> Value:
    y = f(*leaves)
    if not isinstance(y, Value):
        raise TypeError(f"the checked function must return a Value, got {type(y).__name__}")
    return y


def gradcheck(
    f: Callable[..., Value], xs: Sequence, eps: float = EPS, atol: float = ATOL, rtol: float = RTOL
) -> bool:
    """Check ``backward()`` of ``f(*xs)`` against central differences.

    ``xs`` are numbers (or Values, whose data and labels are used); ``f``
    takes one Value per input and returns a Value. Returns True, or raises
    ``GradcheckError`` with a table of input index, label, analytic and
    numeric gradient and their absolute and relative error.

    >>> gradcheck(lambda a, b: a * b.exp(), [1.0, 2.0])
    True
    """
    leaves = _leaves(xs)
    _output(f, leaves).backward()
    analytic = [x.grad for x in leaves]
    numeric = _numeric(lambda p: _output(f, _leaves(p)).data, [x.data for x in leaves], eps)
    return _compare("backward()", analytic, numeric, [x.label for x in leaves], atol, rtol)


def gradgradcheck(
    f: Callable[..., Value], xs: Sequence, eps: float = EPS, atol: float = ATOL, rtol: float = RTOL
) -> bool:
    """Check second derivatives: for each input i, the gradient of
    ``d f / d x_i`` (from ``grad(..., create_graph=True)``) against central
    differences of ``d f / d x_i`` itself.

    >>> gradgradcheck(lambda a, b: (a * b).tanh(), [0.3, -0.7])
    True
    """
    leaves = _leaves(xs)
    labels = [x.label for x in leaves]
    first = grad(_output(f, leaves), leaves, create_graph=True)
    for i, d_i in enumerate(first):
        analytic = [g.data for g in grad(d_i, leaves)]

        def d_i_at(point, i=i):
            at = _leaves(point)
            return grad(_output(f, at), [at[i]])[0].data

        numeric = _numeric(d_i_at, [x.data for x in leaves], eps)
        _compare(f"d/dx of gradient {i}", analytic, numeric, labels, atol, rtol)
    return True
