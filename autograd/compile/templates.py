"""Each op as source: the templates generated code is written with.

Every built-in op has a template that copies its rule in ``autograd/ops.py``
operation for operation (``sigmoid_backward`` computes ``g * out * (1.0 - out)``,
so the template writes ``d_o * o * (1.0 - o)``: same operations, same order,
same rounding, so the compiled code gives the engine's numbers bit for bit).
Forwards are plain float expressions where they raise exactly where the
op's IEEE forward would give inf or nan (``exp`` overflows, ``log(-1)``), so
the compiled call can fall back to the engine there.

The same templates write numpy code, where every per-sample scalar is an
array over a batch (``Dialect``): ``a if c else b`` becomes ``where(c, a, b)``;
``namespace`` binds the names they use (``exp``, ``log``...) to math's
functions or numpy's.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd.core import floats, ops


def literal(c: float) -> str:
    """A float constant as Python source that evaluates to exactly ``c``.

    >>> [literal(x) for x in (0.5, -2.0, math.inf, -math.inf)]
    ['0.5', '(-2.0)', 'INF', '(-INF)']
    """
    if c != c:
        return "NAN"
    if c in (math.inf, -math.inf):
        return "INF" if c > 0 else "(-INF)"
    text = repr(float(c))
    return f"({text})" if text.startswith("-") else text


# --- dialects: plain floats, or numpy arrays over a batch ---------------------


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


# --- templates: each built-in op's forward and rule, as source -----------------


@dataclass(frozen=True)
class Operand:
    """One input of a node as the template sees it: its source text, and
    its value when it is a constant (templates fold what depends on it)."""

    text: str
    constant: float | None = None


Forward = Callable[[Sequence[Operand], Dialect], str]
Backward = Callable[[str, str, Sequence[Operand], Dialect], Sequence[str]]


@dataclass(frozen=True)
class Template:
    """An op as source: ``forward(operands)`` is its value; ``backward(g,
    out, operands)`` one gradient per input, copying the rule's arithmetic;
    ``terms`` (sum and dot) lists what is added, so long ones can be split."""

    forward: Forward
    backward: Backward
    comment: str = ""
    gradient_comment: str = ""
    terms: Callable[[Sequence[Operand]], list[str]] | None = None


def _texts(operands: Sequence[Operand]) -> list[str]:
    return [x.text for x in operands]


def _pow_base_grad(g: str, a: Operand, b: Operand, d: Dialect) -> str:
    """``ops._pow_base_grad``: g * (b * a**(b-1)), 0 where b = 0."""
    if b.constant is not None:
        if b.constant == 0:
            return "0.0"
        exponent = b.constant - 1.0
        if exponent == 1.0:
            power = a.text
        elif exponent.is_integer():  # ** never goes complex on an integral exponent
            power = f"{a.text} ** {literal(exponent)}"
        else:
            power = f"power({a.text}, {literal(exponent)})"
        return f"{g} * ({b.text} * {power})"
    return d.where(f"{b.text} == 0.0", "0.0", f"{g} * ({b.text} * power({a.text}, {b.text} - 1.0))")


def _pow_exponent_grad(g: str, out: str, a: Operand, b: Operand, d: Dialect) -> str:
    """``ops._pow_exponent_grad``: g * (out * log(a)), g * 0 where a = 0 and b >= 0."""
    if a.constant is not None and a.constant != 0:
        return f"{g} * ({out} * {literal(floats.log_float(a.constant))})"
    masked = d.where(
        d.both(f"{a.text} == 0.0", f"{b.text} >= 0.0"), "0.0", f"{out} * log({a.text})"
    )
    return f"{g} * ({masked})"


def _pow_forward(x: Sequence[Operand], d: Dialect) -> str:
    a, b = x
    never_complex = (b.constant is not None and b.constant.is_integer()) or (
        a.constant is not None and a.constant >= 0
    )
    # ``**`` would return a complex number for (-8.0) ** (1/3); math.pow raises,
    # and the compiled call falls back to the engine (pow_float gives nan)
    return f"{a.text} ** {b.text}" if never_complex else f"power({a.text}, {b.text})"


def _sigmoid(x: Sequence[Operand], d: Dialect) -> str:
    (a,) = _texts(x)
    return d.where(f"{a} >= 0.0", f"1.0 / (1.0 + exp(-{a}))", f"exp({a}) / (1.0 + exp({a}))")


def _clamp(x: Sequence[Operand], d: Dialect) -> str:
    a, lo, hi = _texts(x)
    if any(bound.constant is not None and math.isnan(bound.constant) for bound in x[1:]):
        return "NAN"  # a nan bound, as ops.clamp_float gives
    return d.where(f"{a} < {lo}", lo, d.where(f"{a} > {hi}", hi, a))


def _call(function: str) -> Forward:
    return lambda x, d: f"{function}({x[0].text})"


def _dot_terms(x: Sequence[Operand]) -> list[str]:
    half = len(x) // 2
    return [f"{w.text} * {v.text}" for w, v in zip(x[:half], x[half:], strict=True)]


def _dot_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    half = len(x) // 2
    swapped = list(x[half:]) + list(x[:half])
    return [f"{g} * {v.text}" for v in swapped]


TEMPLATES: dict[Callable[..., object], Template] = {
    ops.add_backward: Template(lambda x, d: " + ".join(_texts(x)), lambda g, o, x, d: [g, g]),
    ops.sub_backward: Template(lambda x, d: " - ".join(_texts(x)), lambda g, o, x, d: [g, f"-{g}"]),
    ops.mul_backward: Template(
        lambda x, d: " * ".join(_texts(x)),
        lambda g, o, x, d: [f"{g} * {x[1].text}", f"{g} * {x[0].text}"],
    ),
    ops.div_backward: Template(
        lambda x, d: " / ".join(_texts(x)),
        lambda g, o, x, d: [
            f"{g} / {x[1].text}",
            f"-{g} * (({x[0].text} / {x[1].text}) / {x[1].text})",
        ],
    ),
    ops.pow_backward: Template(
        _pow_forward,
        lambda g, o, x, d: [
            _pow_base_grad(g, x[0], x[1], d),
            _pow_exponent_grad(g, o, x[0], x[1], d),
        ],
        gradient_comment="b * a ** (b - 1); a ** b * log(a)",
    ),
    ops.pow_constant_exponent_backward: Template(
        _pow_forward,
        lambda g, o, x, d: [_pow_base_grad(g, x[0], x[1], d), "0.0"],
        gradient_comment="c * a ** (c - 1)",
    ),
    ops.pow_constant_base_backward: Template(
        _pow_forward,
        lambda g, o, x, d: ["0.0", _pow_exponent_grad(g, o, x[0], x[1], d)],
        gradient_comment="c ** b * log(c)",
    ),
    ops.neg_backward: Template(lambda x, d: f"-{x[0].text}", lambda g, o, x, d: [f"-{g}"]),
    ops.abs_backward: Template(
        lambda x, d: f"abs({x[0].text})",
        lambda g, o, x, d: [f"{g} * sign({x[0].text})"],
        gradient_comment="sign(a), 0 at 0",
    ),
    ops.exp_backward: Template(
        _call("exp"), lambda g, o, x, d: [f"{g} * {o}"], gradient_comment="exp"
    ),
    ops.log_backward: Template(_call("log"), lambda g, o, x, d: [f"{g} / {x[0].text}"]),
    ops.tanh_backward: Template(
        _call("tanh"),
        lambda g, o, x, d: [f"{g} * (1.0 - {o} * {o})"],
        gradient_comment="tanh: 1 - out**2",
    ),
    ops.sigmoid_backward: Template(
        _sigmoid,
        lambda g, o, x, d: [f"{g} * {o} * (1.0 - {o})"],
        comment="sigmoid",
        gradient_comment="sigmoid: out * (1 - out)",
    ),
    ops.relu_backward: Template(
        lambda x, d: d.where(f"{x[0].text} < 0.0", "0.0", x[0].text),
        lambda g, o, x, d: [d.where(f"{x[0].text} <= 0.0", "0.0", g)],
        comment="relu",
        gradient_comment="relu",
    ),
    ops.leaky_relu_backward: Template(
        lambda x, d: d.where(f"{x[0].text} > 0.0", x[0].text, f"{x[0].text} * {x[1].text}"),
        lambda g, o, x, d: [d.where(f"{x[0].text} > 0.0", g, f"{g} * {x[1].text}"), "0.0"],
        comment="leaky_relu",
        gradient_comment="leaky_relu",
    ),
    ops.softplus_backward: Template(
        lambda x, d: d.where(
            f"{x[0].text} > {literal(floats.SOFTPLUS_THRESHOLD)}",
            x[0].text,
            f"log1p(exp({x[0].text}))",
        ),
        lambda g, o, x, d: [
            d.where(
                f"{x[0].text} > {literal(floats.SOFTPLUS_THRESHOLD)}",
                g,
                f"{g} * exp({x[0].text}) / (exp({x[0].text}) + 1.0)",
            )
        ],
        comment="softplus",
        gradient_comment="softplus: sigmoid(a)",
    ),
    ops.clamp_backward: Template(
        _clamp,
        lambda g, o, x, d: [
            d.where(d.between(x[1].text, x[0].text, x[2].text), g, "0.0"),
            "0.0",
            "0.0",
        ],
        comment="clamp",
        gradient_comment="clamp: 1 inside the bounds",
    ),
    ops.sin_backward: Template(_call("sin"), lambda g, o, x, d: [f"{g} * cos({x[0].text})"]),
    ops.cos_backward: Template(_call("cos"), lambda g, o, x, d: [f"{g} * -sin({x[0].text})"]),
    ops.sqrt_backward: Template(
        _call("sqrt"),
        lambda g, o, x, d: [f"{g} / (2.0 * {o})"],
        gradient_comment="sqrt: 1 / (2 out)",
    ),
    ops.sum_backward: Template(
        lambda x, d: "", lambda g, o, x, d: [g] * len(x), comment="sum", terms=_texts
    ),
    ops.dot_backward: Template(lambda x, d: "", _dot_backward, comment="dot", terms=_dot_terms),
}

# The built-in ops are the Op objects ops.py defines at module level (the
# "**" variants included); a custom op never is one.
_BUILTIN_FORWARDS = {op.backward: op.forward for op in vars(ops).values() if isinstance(op, ops.Op)}


# Rules that give exact zeros for a zero gradient and finite values (no
# division, log or power of what they read).
ZERO_PRESERVING: set[Template | None] = {
    TEMPLATES[rule]
    for rule in (
        ops.add_backward,
        ops.sub_backward,
        ops.mul_backward,
        ops.neg_backward,
        ops.abs_backward,
        ops.exp_backward,
        ops.tanh_backward,
        ops.sigmoid_backward,
        ops.relu_backward,
        ops.leaky_relu_backward,
        ops.clamp_backward,
        ops.sum_backward,
        ops.dot_backward,
    )
}

# Ops whose result is finite only where every input is: they only add,
# subtract and multiply (inf - inf and 0 * inf are nan), with no division or
# clipping (exp(-inf) and relu(-inf) are finite). One isfinite() of such a
# node's value checks all its inputs, as isfinite() of their sum would.
FINITE_INPUTS: set[Template | None] = {
    TEMPLATES[rule]
    for rule in (
        ops.add_backward,
        ops.sub_backward,
        ops.mul_backward,
        ops.neg_backward,
        ops.sum_backward,
        ops.dot_backward,
    )
}


def template(op: ops.Op) -> Template | None:
    """The template for ``op``, or None when it is not a built-in (its rule
    and forward are not the ones the templates copy)."""
    found = TEMPLATES.get(op.backward)
    if found is None or _BUILTIN_FORWARDS.get(op.backward) is not op.forward:
        return None
    return found


NAMESPACE_NAMES = (
    "INF NAN exp log log1p tanh sin cos sqrt power sign where ones total array all_samples "
    "any_sample GuardFailed params samples columns batch_size total_loss float map abs P G "
    "zeros add_at mul isfinite values_read grads params_finite"
).split()


class GuardFailed(Exception):
    """Raised by generated code when a value takes the other side of a
    comparison than it did in the trace; ``args[0]`` is the guard's number."""


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
            "array": np.array,
            "all_samples": np.all,
            "zeros": np.zeros,
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
        "sign": ops._sign,  # the rule's own: 1, -1, 0, or nan
        "isfinite": math.isfinite,
        "GuardFailed": GuardFailed,
    }
