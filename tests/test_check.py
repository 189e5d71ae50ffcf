"""gradcheck and the hypothesis strategies catch wrong rules."""

import pytest
from hypothesis import HealthCheck, given, settings

from autograd import GradcheckError, Value, custom_op, gradcheck, gradgradcheck
from autograd.strategies import expressions

wrong_cube = custom_op(
    "test_wrong_cube", forward=lambda x: x**3, backward=lambda g, out, x: (2 * x * x * g,)
)  # should be 3x²


def test_gradcheck_passes_correct_functions():
    assert gradcheck(lambda a, b: (a * b).tanh() + a.exp() / b, [0.3, 1.7])
    assert gradgradcheck(lambda a, b: a * a * b.sigmoid(), [0.3, -1.2])


def test_gradcheck_fails_a_wrong_rule_with_a_table():
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a, b: wrong_cube(a) + b, [Value(2.0, label="a"), 1.0])
    lines = str(info.value).splitlines()
    assert lines[1].split() == ["input", "label", "analytic", "numeric", "abs", "err", "rel", "err"]
    row = lines[2].split()
    assert row[:2] == ["0", "a"] and float(row[2]) == 8.0
    assert float(row[3]) == pytest.approx(12.0)


def test_gradgradcheck_fails_a_rule_that_is_wrong_only_in_its_derivative():
    # right value of the first derivative at x, wrong slope: 3*x0**2 frozen
    frozen = custom_op(
        "test_frozen_cube",
        forward=lambda x: x**3,
        backward=lambda g, out, x: (g * 3 * float(x) ** 2,),
    )
    assert gradcheck(lambda a: frozen(a), [1.5])
    with pytest.raises(GradcheckError, match="gradient 0"):
        gradgradcheck(lambda a: frozen(a), [1.5])


@settings(max_examples=100, deadline=None)
@given(expressions())
def test_every_builtin_rule_passes_on_random_expressions(case):
    f, xs = case
    assert gradcheck(f, xs)


def test_hypothesis_finds_and_shrinks_a_wrong_rule_to_a_small_expression():
    seen = []

    @settings(
        max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(expressions(unary=("neg", "test_wrong_cube", "tanh")))
    def check(case):
        f, xs = case
        seen.append(f)
        gradcheck(f, xs)

    with pytest.raises(GradcheckError):
        check()
    minimal = repr(seen[-1])
    assert "test_wrong_cube" in minimal and len(minimal) < 40, minimal
