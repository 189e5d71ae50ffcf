"""Finite-difference gradient checks: ``gradcheck`` and ``gradgradcheck``.

Both record their graphs whatever mode they are called in (they run inside
``enable_grad()``), so a check inside ``no_grad()`` checks the same thing as
one outside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeAlias

from autograd.core.floats import as_float
from autograd.core.grad import grad
from autograd.core.modes import enable_grad
from autograd.core.value import Number, Value

# Central differences err by O(eps**2) in truncation and O(ulp/eps) in
# rounding; eps = 1e-6 balances the two for float64 near 1.
EPS = 1e-6
ATOL = 1e-5
RTOL = 1e-4

LEFT_THE_GRAPH = (
    "An analytic value of exactly 0 against a nonzero numeric one suggests that a backward "
    "rule left the graph: math.* or float() on a Value gives a constant, whose derivative is 0. "
    "Write the rule with Value arithmetic (and the helpers exp, log, power, sin, cos of "
    "autograd.core.ops), so that it also runs on Values."
)

Row = tuple[int, str, float, float, float, float]


class GradcheckError(AssertionError):
    """Analytic and numeric gradients disagree; the message is a table."""


def _table(rows: list[Row]) -> str:
    header = ("input", "label", "analytic", "numeric", "abs err", "rel err")
    lines = [header] + [
        (str(i), label or "-", f"{a:.10g}", f"{n:.10g}", f"{abs_err:.3g}", f"{rel_err:.3g}")
        for i, label, a, n, abs_err, rel_err in rows
    ]
    widths = [max(len(line[k]) for line in lines) for k in range(len(header))]
    return "\n".join(
        "  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)) for line in lines
    )


def _compare(
    what: str,
    analytic: list[float],
    numeric: list[float],
    labels: list[str],
    atol: float,
    rtol: float,
    zero_hint: str = "",
) -> bool:
    """True, or GradcheckError with the table; ``zero_hint`` is added when a
    failing analytic value is exactly 0 and its numeric one is not."""
    rows: list[Row] = []
    failed = hinted = False
    for i, (a, n) in enumerate(zip(analytic, numeric, strict=True)):
        abs_err = abs(a - n)
        rel_err = abs_err / abs(n) if n else (0.0 if a == n else math.inf)
        bad = not abs_err <= atol + rtol * abs(n)  # also catches nan
        failed |= bad
        hinted |= bad and a == 0 and n != 0
        rows.append((i, labels[i], a, n, abs_err, rel_err))
    if failed:
        hint = f"\n{zero_hint}" if hinted and zero_hint else ""
        raise GradcheckError(
            f"{what} disagrees with central differences (atol={atol}, rtol={rtol}):\n"
            f"{_table(rows)}{hint}"
        )
    return True


def _finite(what: str, value: float, point: list[float], where: str = "") -> float:
    """``value`` when finite; else a ValueError saying that no derivative can
    be checked there (the fault is the point, not the backward rule)."""
    if not math.isfinite(value):
        raise ValueError(
            f"{what} is {value} at {point}{where}: central differences need finite values at "
            f"the point and within eps of it, so nothing can be checked there; choose another point"
        )
    return value


def _numeric(
    what: str, f: Callable[[list[float]], float], point: list[float], eps: float
) -> list[float]:
    out = []
    for i in range(len(point)):
        up, down = list(point), list(point)
        up[i] += eps
        down[i] -= eps
        where = f", a step of eps={eps} along input {i} from {point}"
        out.append(
            (_finite(what, f(up), up, where) - _finite(what, f(down), down, where)) / (2 * eps)
        )
    return out


Checked: TypeAlias = "Callable[..., Value]"  # of one Value per input, returning a Value
Inputs: TypeAlias = "Sequence[Value | Number]"


def _leaves(xs: Inputs) -> list[Value]:
    """Fresh leaves at ``xs``: a check never touches the caller's Values."""
    return [Value(x.data, x.label) if isinstance(x, Value) else Value(as_float(x)) for x in xs]


def _output(f: Checked, leaves: list[Value]) -> Value:
    y = f(*leaves)
    if not isinstance(y, Value):
        raise TypeError(f"the checked function must return a Value, got {type(y).__name__}")
    return y


def _start(f: Checked, xs: Inputs) -> tuple[list[Value], list[float], Value]:
    """The leaves at ``xs``, their numbers and ``f`` of them, checked finite."""
    leaves = _leaves(xs)
    point = [x.data for x in leaves]
    y = _output(f, leaves)
    _finite("f", y.data, point)
    return leaves, point, y


def gradcheck(
    f: Checked, xs: Inputs, eps: float = EPS, atol: float = ATOL, rtol: float = RTOL
) -> bool:
    """Check ``backward()`` of ``f(*xs)`` against central differences.

    ``xs`` are numbers (or Values, whose data and labels are used); ``f``
    takes one Value per input and returns a Value. Returns True, or raises
    ``GradcheckError`` with a table of input index, label, analytic and
    numeric gradient and their absolute and relative error. Where ``f`` is
    inf or nan, at ``xs`` or a step of ``eps`` away, it raises ValueError.
    The defaults: ``eps=1e-6``, ``atol=1e-5``, ``rtol=1e-4``.

    At a kink the central difference is the mean of the two one-sided
    slopes, so a check there passes only if the rule's choice is that mean:
    ``abs`` at 0 passes (its rule gives 0, as torch, and so do
    ``(|eps| - |-eps|) / 2eps``), ``relu`` at 0 fails (0 against 0.5).

    Examples:
        >>> gradcheck(lambda a, b: a * b.exp(), [1.0, 2.0])
        True
    """
    with enable_grad():
        leaves, point, y = _start(f, xs)
        y.backward()
        analytic = [x.grad for x in leaves]
        numeric = _numeric("f", lambda p: _output(f, _leaves(p)).data, point, eps)
    return _compare("backward()", analytic, numeric, [x.label for x in leaves], atol, rtol)


def gradgradcheck(
    f: Checked, xs: Inputs, eps: float = EPS, atol: float = ATOL, rtol: float = RTOL
) -> bool:
    """Check second derivatives: for each input i, the gradient of
    ``d f / d x_i`` (from ``grad(..., create_graph=True)``) against central
    differences of ``d f / d x_i`` itself. Failures and non-finite values
    are reported as by ``gradcheck``.

    Examples:
        >>> gradgradcheck(lambda a, b: (a * b).tanh(), [0.3, -0.7])
        True
    """
    with enable_grad():
        leaves, point, y = _start(f, xs)
        labels = [x.label for x in leaves]
        first = grad(y, leaves, create_graph=True)
        for i, d_i in enumerate(first):
            what = f"gradient {i}"
            _finite(what, d_i.data, point)
            analytic = [g.data for g in grad(d_i, leaves)]

            def d_i_at(p: list[float], i: int = i) -> float:
                at = _leaves(p)
                return grad(_output(f, at), [at[i]])[0].data

            numeric = _numeric(what, d_i_at, point, eps)
            _compare(f"d/dx of {what}", analytic, numeric, labels, atol, rtol, LEFT_THE_GRAPH)
    return True
