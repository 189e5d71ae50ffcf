"""Each op as source: the templates generated code is written with.

Every built-in op has a template that copies its rule in ``core/ops.py``
operation for operation (``sigmoid_backward`` computes ``g * out * (1.0 -
out)``, so its template writes ``d_o * o * (1.0 - o)``: same operations, same
order, same rounding, so the compiled code gives the engine's numbers bit
for bit). Forwards are plain float expressions that raise exactly where the
op's IEEE forward would give inf or nan (``exp`` overflows, ``log(-1)``), so
the compiled call can fall back to the engine there.

A template is two named functions, as a rule is: ``mul_forward(x, d)``
writes the value from the operands ``x`` in dialect ``d``, and
``mul_backward(g, out, x, d)`` one gradient per input, so a traceback or
``break autograd.compile.templates.mul_backward`` names the template.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd.compile.dialects import NUMPY, Dialect, literal
from autograd.compile.lines import ADDS_AS_SUM
from autograd.core import floats, ops


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
    """An op as source: ``forward(operands, dialect)`` is its value;
    ``backward(g, out, operands, dialect)`` one gradient per input, copying
    the rule's arithmetic; ``terms`` (sum and dot) lists what is added, so
    long ones can be split over lines.

    ``zero_preserving``: the rule gives exact zeros for a zero gradient where
    what it reads is finite (no division, log or power of it), so the batch
    loop may skip it. ``finite_inputs``: the op only adds, subtracts and
    multiplies, so its value is finite only where every input is, and one
    ``isfinite`` of the value checks them all."""

    forward: Forward
    backward: Backward
    comment: str = ""
    gradient_comment: str = ""
    terms: Callable[[Sequence[Operand]], list[str]] | None = None
    zero_preserving: bool = False
    finite_inputs: bool = False


def texts(x: Sequence[Operand]) -> list[str]:
    return [operand.text for operand in x]


# --- arithmetic ------------------------------------------------------------------


def add_forward(x: Sequence[Operand], d: Dialect) -> str:
    return " + ".join(texts(x))


def add_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [g, g]


def sub_forward(x: Sequence[Operand], d: Dialect) -> str:
    return " - ".join(texts(x))


def sub_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [g, f"-{g}"]


def mul_forward(x: Sequence[Operand], d: Dialect) -> str:
    return " * ".join(texts(x))


def mul_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    a, b = texts(x)
    return [f"{g} * {b}", f"{g} * {a}"]


def div_forward(x: Sequence[Operand], d: Dialect) -> str:
    return " / ".join(texts(x))


def div_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    a, b = texts(x)
    return [f"{g} / {b}", f"-{g} * (({a} / {b}) / {b})"]


def neg_forward(x: Sequence[Operand], d: Dialect) -> str:
    return f"-{x[0].text}"


def neg_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [f"-{g}"]


def abs_forward(x: Sequence[Operand], d: Dialect) -> str:
    return f"abs({x[0].text})"


def abs_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [f"{g} * sign({x[0].text})"]


# --- powers ------------------------------------------------------------------------


def pow_forward(x: Sequence[Operand], d: Dialect) -> str:
    a, b = x
    never_complex = (b.constant is not None and b.constant.is_integer()) or (
        a.constant is not None and a.constant >= 0
    )
    # ``**`` would return a complex number for (-8.0) ** (1/3); math.pow raises,
    # and the compiled call falls back to the engine (pow_float gives nan)
    return f"{a.text} ** {b.text}" if never_complex else f"power({a.text}, {b.text})"


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


def pow_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [_pow_base_grad(g, x[0], x[1], d), _pow_exponent_grad(g, out, x[0], x[1], d)]


def pow_constant_exponent_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [_pow_base_grad(g, x[0], x[1], d), "0.0"]


def pow_constant_base_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return ["0.0", _pow_exponent_grad(g, out, x[0], x[1], d)]


# --- functions -----------------------------------------------------------------------


def exp_forward(x: Sequence[Operand], d: Dialect) -> str:
    return f"exp({x[0].text})"


def exp_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [f"{g} * {out}"]


def log_forward(x: Sequence[Operand], d: Dialect) -> str:
    return f"log({x[0].text})"


def log_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [f"{g} / {x[0].text}"]


def tanh_forward(x: Sequence[Operand], d: Dialect) -> str:
    return f"tanh({x[0].text})"


def tanh_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [f"{g} * (1.0 - {out} * {out})"]


def sigmoid_forward(x: Sequence[Operand], d: Dialect) -> str:
    a = x[0].text
    return d.where(f"{a} >= 0.0", f"1.0 / (1.0 + exp(-{a}))", f"exp({a}) / (1.0 + exp({a}))")


def sigmoid_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [f"{g} * {out} * (1.0 - {out})"]


def relu_forward(x: Sequence[Operand], d: Dialect) -> str:
    a = x[0].text
    return d.where(f"{a} < 0.0", "0.0", a)


def relu_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [d.where(f"{x[0].text} <= 0.0", "0.0", g)]


def leaky_relu_forward(x: Sequence[Operand], d: Dialect) -> str:
    a, slope = texts(x)
    return d.where(f"{a} > 0.0", a, f"{a} * {slope}")


def leaky_relu_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    a, slope = texts(x)
    return [d.where(f"{a} > 0.0", g, f"{g} * {slope}"), "0.0"]


def softplus_forward(x: Sequence[Operand], d: Dialect) -> str:
    a = x[0].text
    return d.where(f"{a} > {literal(floats.SOFTPLUS_THRESHOLD)}", a, f"log1p(exp({a}))")


def softplus_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    a = x[0].text
    threshold = literal(floats.SOFTPLUS_THRESHOLD)
    return [d.where(f"{a} > {threshold}", g, f"{g} * exp({a}) / (exp({a}) + 1.0)")]


def clamp_forward(x: Sequence[Operand], d: Dialect) -> str:
    a, lo, hi = texts(x)
    if any(bound.constant is not None and bound.constant != bound.constant for bound in x[1:]):
        return "NAN"  # a nan bound, as floats.clamp_float gives
    return d.where(f"{a} < {lo}", lo, d.where(f"{a} > {hi}", hi, a))


def clamp_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    a, lo, hi = texts(x)
    return [d.where(d.between(lo, a, hi), g, "0.0"), "0.0", "0.0"]


def sin_forward(x: Sequence[Operand], d: Dialect) -> str:
    return f"sin({x[0].text})"


def sin_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [f"{g} * cos({x[0].text})"]


def cos_forward(x: Sequence[Operand], d: Dialect) -> str:
    return f"cos({x[0].text})"


def cos_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [f"{g} * -sin({x[0].text})"]


def sqrt_forward(x: Sequence[Operand], d: Dialect) -> str:
    return f"sqrt({x[0].text})"


def sqrt_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [f"{g} / (2.0 * {out})"]


# --- n-ary: written from their terms, over several lines when long ------------------


def sum_terms(x: Sequence[Operand]) -> list[str]:
    return texts(x)


def sum_forward(x: Sequence[Operand], d: Dialect) -> str:
    return _added(sum_terms(x), d)  # as floats.sum_float: sum(xs, 0.0)


def sum_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    return [g] * len(x)


def dot_terms(x: Sequence[Operand]) -> list[str]:
    half = len(x) // 2
    return [f"{w.text} * {v.text}" for w, v in zip(x[:half], x[half:], strict=True)]


def dot_forward(x: Sequence[Operand], d: Dialect) -> str:
    return _added(dot_terms(x), d)  # as floats.dot_float


def _added(terms: list[str], d: Dialect) -> str:
    """``0.0 + t0 + ...``, or where Python's sum() of floats compensates
    its rounding (lines.ADDS_AS_SUM) a call of sum(), as the engine adds."""
    if ADDS_AS_SUM and d is not NUMPY:
        return f"sum(({', '.join(terms)},), 0.0)"
    return " + ".join(["0.0", *terms])


def dot_backward(g: str, out: str, x: Sequence[Operand], d: Dialect) -> list[str]:
    half = len(x) // 2
    return [f"{g} * {v.text}" for v in list(x[half:]) + list(x[:half])]


# --- the table: each built-in rule's template ---------------------------------------

TEMPLATES: dict[Callable[..., object], Template] = {
    ops.add_backward: Template(add_forward, add_backward, zero_preserving=True, finite_inputs=True),
    ops.sub_backward: Template(sub_forward, sub_backward, zero_preserving=True, finite_inputs=True),
    ops.mul_backward: Template(mul_forward, mul_backward, zero_preserving=True, finite_inputs=True),
    ops.div_backward: Template(div_forward, div_backward),
    ops.pow_backward: Template(
        pow_forward, pow_backward, gradient_comment="b * a ** (b - 1); a ** b * log(a)"
    ),
    ops.pow_constant_exponent_backward: Template(
        pow_forward, pow_constant_exponent_backward, gradient_comment="c * a ** (c - 1)"
    ),
    ops.pow_constant_base_backward: Template(
        pow_forward, pow_constant_base_backward, gradient_comment="c ** b * log(c)"
    ),
    ops.neg_backward: Template(neg_forward, neg_backward, zero_preserving=True, finite_inputs=True),
    ops.abs_backward: Template(
        abs_forward, abs_backward, gradient_comment="sign(a), 0 at 0", zero_preserving=True
    ),
    ops.exp_backward: Template(
        exp_forward, exp_backward, gradient_comment="exp", zero_preserving=True
    ),
    ops.log_backward: Template(log_forward, log_backward),
    ops.tanh_backward: Template(
        tanh_forward, tanh_backward, gradient_comment="tanh: 1 - out**2", zero_preserving=True
    ),
    ops.sigmoid_backward: Template(
        sigmoid_forward,
        sigmoid_backward,
        comment="sigmoid",
        gradient_comment="sigmoid: out * (1 - out)",
        zero_preserving=True,
    ),
    ops.relu_backward: Template(relu_forward, relu_backward, "relu", "relu", zero_preserving=True),
    ops.leaky_relu_backward: Template(
        leaky_relu_forward, leaky_relu_backward, "leaky_relu", "leaky_relu", zero_preserving=True
    ),
    ops.softplus_backward: Template(
        softplus_forward, softplus_backward, "softplus", "softplus: sigmoid(a)"
    ),
    ops.clamp_backward: Template(
        clamp_forward,
        clamp_backward,
        "clamp",
        "clamp: 1 inside the bounds",
        zero_preserving=True,
    ),
    ops.sin_backward: Template(sin_forward, sin_backward),
    ops.cos_backward: Template(cos_forward, cos_backward),
    ops.sqrt_backward: Template(sqrt_forward, sqrt_backward, gradient_comment="sqrt: 1 / (2 out)"),
    ops.sum_backward: Template(
        sum_forward, sum_backward, "sum", terms=sum_terms, zero_preserving=True, finite_inputs=True
    ),
    ops.dot_backward: Template(
        dot_forward, dot_backward, "dot", terms=dot_terms, zero_preserving=True, finite_inputs=True
    ),
}

# The built-in ops are the Op objects ops.py defines at module level (the
# "**" variants included); a custom op never is one.
_BUILTIN_FORWARDS = {op.backward: op.forward for op in vars(ops).values() if isinstance(op, ops.Op)}


def template(op: ops.Op) -> Template | None:
    """The template for ``op``, or None when it is not a built-in (its rule
    and forward are not the ones the templates copy)."""
    found = TEMPLATES.get(op.backward)
    if found is None or _BUILTIN_FORWARDS.get(op.backward) is not op.forward:
        return None
    return found


def is_dot(op: ops.Op) -> bool:
    return template(op) is TEMPLATES[ops.dot_backward]


def is_relu(op: ops.Op) -> bool:
    return template(op) is TEMPLATES[ops.relu_backward]
