"""How generated code is written and what it runs with.

``PYTHON`` writes plain float code; ``NUMPY`` writes the same statements
over arrays, one element per sample of a batch (``a if c else b`` becomes
``where(c, a, b)``). ``namespace`` binds the names the code uses (``exp``,
``log``...) to math's functions or numpy's; ``literal`` writes a float
constant so that it reads back exactly.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
from dataclasses import dataclass

from autograd.core.floats import sign_float


@dataclass(frozen=True)
class Dialect:
    """How a template's choices are written: Python's conditional expression
    on floats, or numpy's ``where`` on arrays."""

    name: str

    def where(self, condition: str, yes: str, no: str) -> str:
        if self.name == "numpy":
            return f"where({condition}, {yes}, {no})"
        return f"{yes} if {condition} else {no}"

    def between(self, lo: str, x: str, hi: str) -> str:
        if self.name == "numpy":
            return f"({lo} <= {x}) & ({x} <= {hi})"
        return f"{lo} <= {x} <= {hi}"

    def both(self, a: str, b: str) -> str:
        return f"({a}) & ({b})" if self.name == "numpy" else f"{a} and {b}"


PYTHON = Dialect("python")
NUMPY = Dialect("numpy")


def literal(c: float) -> str:
    """A float constant as Python source that evaluates to exactly ``c``.

    Examples:
        >>> [literal(x) for x in (0.5, -2.0, math.inf, -math.inf)]
        ['0.5', '(-2.0)', 'INF', '(-INF)']
    """
    if c != c:
        return "NAN"
    if c in (math.inf, -math.inf):
        return "INF" if c > 0 else "(-INF)"
    text = repr(float(c))
    return f"({text})" if text.startswith("-") else text


class GuardFailed(Exception):
    """Raised by generated code when a value takes the other side of a
    comparison than it did in the trace; ``args[0]`` is the guard's number."""


# Every name the generated code uses for itself: the namespace's, its
# functions' parameters and its own variables. No user's label or argument
# name may take one (see names.py).
NAMESPACE_NAMES = (
    "INF NAN exp log log1p tanh sin cos sqrt power sign where ones total total_gradient array "
    "all_samples any_sample GuardFailed params samples columns batch_size total_loss float map "
    "abs P G zeros full add_at mul isfinite values_read grads params_finite steps lr count "
    "weights iteration range repeat list len"
).split()


def namespace(dialect: Dialect) -> dict[str, object]:
    """The globals the generated code runs with: the same names, bound to
    math's functions on floats or numpy's on arrays."""
    if dialect is NUMPY:
        import numpy as np

        return {
            "INF": math.inf,
            "NAN": math.nan,
            "exp": np.exp,
            "log": np.log,
            "log1p": np.log1p,
            "tanh": np.tanh,
            "sin": np.sin,
            "cos": np.cos,
            "sqrt": np.sqrt,
            "power": np.power,
            "sign": np.sign,
            "where": np.where,
            "ones": np.ones,
            "total": np.sum,
            # a gradient's sum over the batch starts from -0.0, as the loop's do
            "total_gradient": functools.partial(np.add.reduce, initial=-0.0),
            "array": np.array,
            "all_samples": np.all,
            "zeros": np.zeros,
            "full": np.full,
            "add_at": np.add.at,
            "any_sample": np.any,
            "GuardFailed": GuardFailed,
        }
    return {
        "INF": math.inf,
        "NAN": math.nan,
        "exp": math.exp,  # raises on overflow, and the call falls back to the engine
        "log": math.log,
        "log1p": math.log1p,
        "tanh": math.tanh,
        "sin": math.sin,
        "cos": math.cos,
        "sqrt": math.sqrt,
        "power": math.pow,
        "mul": operator.mul,
        "repeat": itertools.repeat,
        "sign": sign_float,  # the rule's own: 1, -1 or 0
        "isfinite": math.isfinite,
        "GuardFailed": GuardFailed,
    }
