"""Each op's template computes what the op computes: its forward and every
gradient of its rule bit for bit, on ordinary and edge values (signed zeros,
infinities, nan, overflow). Where the template's plain floats raise, the
engine's IEEE result is not finite, so falling back to the engine is what
the compiled call does."""

import itertools
import math
from collections.abc import Sequence

import pytest

from autograd.compile.dialects import PYTHON, literal, namespace
from autograd.compile.templates import Operand, template
from autograd.core import ops
from autograd.core.engine import run_rule

VALUES = [-800.0, -2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, 25.0, 800.0, math.inf, -math.inf, math.nan]
GRADIENTS = [1.0, -0.5, 0.0]

# (op, which operands are constants in the node): the ops' own shapes
CASES = [
    (ops.ADD, ()),
    (ops.SUB, ()),
    (ops.MUL, ()),
    (ops.DIV, ()),
    (ops.POW, ()),
    (ops.POW_CONSTANT_EXPONENT, (1,)),
    (ops.POW_CONSTANT_BASE, (0,)),
    (ops.NEG, ()),
    (ops.ABS, ()),
    (ops.EXP, ()),
    (ops.LOG, ()),
    (ops.TANH, ()),
    (ops.SIGMOID, ()),
    (ops.RELU, ()),
    (ops.LEAKY_RELU, (1,)),
    (ops.SOFTPLUS, ()),
    (ops.CLAMP, (1, 2)),
    (ops.SIN, ()),
    (ops.COS, ()),
    (ops.SQRT, ()),
    (ops.SUM, ()),
    (ops.DOT, ()),
]
ARITY = {"sum": 3, "dot": 4, "clamp": 3, "leaky_relu": 2}


def same(a: float, b: float) -> bool:
    if a != a or b != b:
        return a != a and b != b
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def arguments(op: ops.Op) -> Sequence[tuple[float, ...]]:
    arity = ARITY.get(str(op), 2 if str(op) in "+-*/**" else 1)
    if str(op) == "clamp":  # bounds lo <= hi, as Value.clamp checks
        nan_bounds = [(a, math.nan, 1.0) for a in VALUES] + [(a, -1.0, math.nan) for a in VALUES]
        return [(a, -1.0, 2.0) for a in VALUES] + [(a, 0.0, 0.0) for a in VALUES] + nan_bounds
    if arity > 2:  # n-ary: a few mixes, not every combination
        return [
            tuple(VALUES[(i + k) % len(VALUES)] for k in range(arity)) for i in range(len(VALUES))
        ]
    return list(itertools.product(VALUES, repeat=arity))


def evaluate(source: str, scope: dict[str, float]) -> float | None:
    """The source's value, or None where plain floats raise."""
    try:
        value: float = eval(
            source, namespace(PYTHON), scope
        )  # the template's text, as compiled code runs it
    except (ArithmeticError, ValueError):
        return None
    return value


@pytest.mark.parametrize(("op", "constants"), CASES, ids=[f"{op}-{c}" for op, c in CASES])
def test_each_template_computes_its_ops_forward_and_rule(op, constants):
    found = template(op)
    assert found is not None
    for args in arguments(op):
        scope = {f"x{i}": x for i, x in enumerate(args) if i not in constants}
        operands = [
            Operand(literal(x), x) if i in constants else Operand(f"x{i}")
            for i, x in enumerate(args)
        ]
        out = op.forward(*args)
        if found.terms is not None:
            forward = " + ".join(["0.0", *found.terms(operands)])
        else:
            forward = found.forward(operands, PYTHON)
        got = evaluate(forward, scope)
        assert same(got, out) if got is not None else not math.isfinite(out), (op, args, forward)
        for g in GRADIENTS:
            expected = run_rule(op, g, out, list(args))
            texts = found.backward("g", "out", operands, PYTHON)
            for i, (text, want) in enumerate(zip(texts, expected, strict=True)):
                if i in constants:
                    continue
                got = evaluate(text, {**scope, "g": g, "out": out})
                want = float(want)
                ok = same(got, want) if got is not None else not math.isfinite(want)
                assert ok, (op, args, g, i, text, got, want)
