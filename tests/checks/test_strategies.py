"""The hypothesis strategies: random expressions that stay inside every op's
domain, print as formulas, and catch wrong rules."""

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings

import autograd
from autograd import GradcheckError, Value, custom_op, gradcheck, gradgradcheck
from autograd.core.ops import BUILTIN_NAMES, OPS
from autograd.strategies import BINARY, KINKED, UNARY, Constant, Expression, Input, expressions

PACKAGE = Path(autograd.__file__).parent


# Correct ops with restricted domains, and ops named like the leaves used to be.
log1p = custom_op(
    "test_log1p",
    forward=math.log1p,
    backward=lambda g, out, x: (g / (1 + x),),
    domain=(-1.0, math.inf),
)
asin = custom_op(
    "test_asin",
    forward=math.asin,
    backward=lambda g, out, x: (g / (1 - x * x) ** 0.5,),
    domain=(-1.0, 1.0),
)
log_of_negative = custom_op(
    "test_log_of_negative",
    forward=lambda x: math.log(-x),
    backward=lambda g, out, x: (g / x,),
    domain=(-math.inf, 0.0),
)
double = custom_op("x", forward=lambda x: 2 * x, backward=lambda g, out, x: (2 * g,))
square = custom_op("c", forward=lambda x: x * x, backward=lambda g, out, x: (2 * x * g,))
wrong_square = custom_op(
    "test_wrong_square", forward=lambda x: x * x, backward=lambda g, out, x: (x * g,)
)  # should be 2x

RESTRICTED: dict[str, tuple[float, float]] = {
    op.op: op.op.domain for op in (log1p, asin, log_of_negative) if op.op.domain is not None
}


def recording(forward, arguments):
    def forward_and_record(*args):
        arguments.append(args)
        return forward(*args)

    return forward_and_record


FIND_AND_SHRINK = (Phase.generate, Phase.shrink)  # no explain phase: it takes seconds


def float_functions():
    return {name: op.forward for name, op in OPS.items()}


@settings(max_examples=100, deadline=None)
@given(expressions())
def test_every_builtin_rule_passes_on_random_expressions(case):
    f, xs = case
    assert gradcheck(f, xs)


@settings(max_examples=25, deadline=None)
@given(expressions(max_inputs=2, max_leaves=5))
def test_every_builtin_rule_passes_gradgradcheck_on_random_expressions(case):
    f, xs = case
    assert gradgradcheck(f, xs)


@settings(max_examples=100, deadline=None)
@given(expressions())
def test_builtin_ops_see_arguments_inside_their_domains(case):
    f, xs = case
    seen: dict[str, list[tuple[float, ...]]] = {n: [] for n in ("log", "sqrt", "/", "**", "exp")}
    functions = float_functions()
    for name in seen:
        functions[name] = recording(OPS[name].forward, seen[name])
    f.evaluate(xs, functions)
    assert all(x >= 0.5 for (x,) in seen["log"] + seen["sqrt"])
    assert all(divisor >= 0.5 for _, divisor in seen["/"])
    # an exponent of exactly 0 would mask the base's second derivative (as torch)
    assert all(base >= 0.5 and 0 < exponent < 1 for base, exponent in seen["**"])
    assert all(-1 <= x <= 1 for (x,) in seen["exp"])


def test_the_default_ops_are_every_builtin_without_a_kink():
    assert set(UNARY) | set(BINARY) | set(KINKED) | {"sum", "dot"} == BUILTIN_NAMES
    assert {"sin", "cos", "softplus"} <= set(UNARY)
    assert set(KINKED) == {"abs", "relu", "leaky_relu", "clamp"}
    assert not set(KINKED) & set(UNARY)


@settings(max_examples=50, deadline=None)
@given(expressions(unary=KINKED))
def test_kinked_ops_compute_on_values_what_their_forwards_compute(case):
    f, xs = case
    assert f(*[Value(x) for x in xs]).data == f.evaluate(xs, float_functions())


def test_kinked_ops_are_drawn_by_name_with_their_constant_operands():
    f, _ = find(
        expressions(unary=KINKED),
        lambda case: "clamp(" in repr(case[0]) and "leaky_relu(" in repr(case[0]),
        settings=settings(
            database=None, max_examples=2000, phases=[Phase.generate]
        ),  # no shrinking: it takes seconds
    )
    assert ", -1.0, 1.0)" in repr(f) and ", 0.01)" in repr(f)


def test_an_expression_prints_as_its_formula_and_computes_it():
    f = Expression(
        (
            "-",
            ("neg", Input(0)),
            ("clamp", ("**", Input(1), Constant(2.0)), Constant(-1.0), Constant(1.0)),
        ),
        2,
    )
    assert repr(f) == "(-x0 - clamp((x1 ** 2.0), -1.0, 1.0))"
    y = f(Value(3.0), Value(0.5))
    assert y.data == -3.25
    power: Any = y.inputs[1].inputs[0]  # type: ignore[union-attr]  # made as x1 ** 2.0 is in code
    assert power.op.backward.__name__ == "pow_constant_exponent_backward"  # a constant exponent


def test_hypothesis_reports_a_failing_case_as_its_formula():
    @settings(max_examples=50, database=None, phases=FIND_AND_SHRINK)
    @given(expressions(max_inputs=1))
    def always_fails(case):
        raise AssertionError

    with pytest.raises(AssertionError) as info:
        always_fails()
    assert info.value.__notes__[0].splitlines()[1] == "    case=((x0 + x0), [0.0]),"


def test_hypothesis_finds_and_shrinks_a_wrong_rule_to_a_small_formula():
    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=FIND_AND_SHRINK,
    )
    @given(expressions(unary=("neg", "test_wrong_square", "tanh")))
    def check(case):
        f, xs = case
        gradcheck(f, xs)

    with pytest.raises(GradcheckError) as info:
        check()
    assert "    case=((test_wrong_square(x0) + x0), [" in info.value.__notes__[0]


@settings(max_examples=100, deadline=None)
@given(expressions(unary=("x", "c", "tanh")))
def test_custom_ops_named_x_and_c_are_ops_not_leaves(case):
    f, xs = case
    assert gradcheck(f, xs)


def test_an_op_named_x_prints_and_computes_as_a_call():
    f = Expression(("+", ("x", Input(0)), ("c", Constant(3.0))), 1)
    assert repr(f) == "(x(x0) + c(3.0))"
    assert f(Value(0.5)).data == 10.0


@settings(max_examples=100, deadline=None)
@given(expressions(unary=(*RESTRICTED, "tanh", "exp"), max_inputs=2))
def test_ops_with_a_domain_see_only_arguments_inside_it(case):
    f, xs = case
    seen: dict[str, list[tuple[float, ...]]] = {name: [] for name in RESTRICTED}
    functions = float_functions()
    for name in RESTRICTED:
        functions[name] = recording(OPS[name].forward, seen[name])
    f.evaluate(xs, functions)
    for name, (lo, hi) in RESTRICTED.items():
        assert all(lo < x < hi for (x,) in seen[name]), (name, seen[name])
    assert gradcheck(f, xs)


def test_unknown_op_names_and_no_ops_at_all_are_refused_when_the_strategy_is_made():
    with pytest.raises(ValueError, match="no op named 'test_unregistered' is registered"):
        expressions(binary=("+", "test_unregistered"))
    with pytest.raises(ValueError, match="needs at least one op"):
        expressions(unary=(), binary=())
