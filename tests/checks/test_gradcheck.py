"""gradcheck and gradgradcheck: they pass correct functions in any mode, fail
wrong rules with a table, and say when a point cannot be checked."""

import math

import pytest

from autograd import GradcheckError, Value, custom_op, gradcheck, gradgradcheck, no_grad
from autograd.core.modes import modes

wrong_cube = custom_op(
    "test_wrong_cube", forward=lambda x: x**3, backward=lambda g, out, x: (2 * x * x * g,)
)  # should be 3x²

# Right first derivatives, 3x², computed so that part of them is a constant
# that create_graph cannot differentiate: their second derivatives are wrong.
frozen_cube = custom_op(
    "test_frozen_cube",
    forward=lambda x: x**3,
    backward=lambda g, out, x: (g * 3 * math.pow(float(x), 2),),
)
half_frozen_cube = custom_op(
    "test_half_frozen_cube",
    forward=lambda x: x**3,
    backward=lambda g, out, x: (g * 3 * x * float(x),),
)


def test_gradcheck_passes_correct_functions():
    assert gradcheck(lambda a, b: (a * b).tanh() + a.exp() / b, [0.3, 1.7])
    assert gradgradcheck(lambda a, b: a * a * b.sigmoid(), [0.3, -1.2])


def test_gradcheck_fails_a_wrong_rule_with_a_table():
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a, b: wrong_cube(a) + b, [Value(2.0, label="a"), 1.0])
    lines = str(info.value).splitlines()
    assert lines[0] == "backward() disagrees with central differences (atol=1e-05, rtol=0.0001):"
    assert lines[1].split() == ["input", "label", "analytic", "numeric", "abs", "err", "rel", "err"]
    row = lines[2].split()
    assert row[:2] == ["0", "a"] and float(row[2]) == 8.0
    assert float(row[3]) == pytest.approx(12.0)
    assert lines[3].split()[:2] == ["1", "-"] and float(lines[3].split()[2]) == 1.0
    assert "left the graph" not in str(info.value)  # the hint is for second derivatives


def test_gradgradcheck_fails_a_rule_that_left_the_graph_and_says_so():
    assert gradcheck(frozen_cube, [1.5])
    with pytest.raises(GradcheckError, match="d/dx of gradient 0") as info:
        gradgradcheck(frozen_cube, [1.5])
    lines = str(info.value).splitlines()
    assert float(lines[2].split()[2]) == 0.0
    assert float(lines[2].split()[3]) == pytest.approx(9.0)  # 6x at 1.5
    assert "left the graph: math.* or float() on a Value" in lines[-1]


def test_gradgradcheck_hints_only_at_an_analytic_zero():
    assert gradcheck(half_frozen_cube, [1.5])
    with pytest.raises(GradcheckError) as info:
        gradgradcheck(half_frozen_cube, [1.5])
    row = str(info.value).splitlines()[2].split()
    assert float(row[2]) == 4.5 and float(row[3]) == pytest.approx(9.0)  # 3x against 6x
    assert "left the graph" not in str(info.value)


def test_the_checkers_record_their_graphs_inside_no_grad():
    with no_grad():
        assert gradcheck(lambda a, b: a * b.exp(), [1.0, 2.0])
        assert gradgradcheck(lambda a, b: (a * b).tanh(), [0.3, -0.7])
        with pytest.raises(GradcheckError, match="left the graph"):
            gradgradcheck(frozen_cube, [1.5])
        assert modes.recording is False  # each check restores the mode it found
    assert modes.recording is True


def test_a_function_that_is_not_finite_at_the_point_is_named_not_backward():
    with pytest.raises(ValueError, match=r"^f is -inf at \[0.0\]: central differences"):
        gradcheck(lambda a: a.log(), [0.0])
    with pytest.raises(ValueError, match=r"^f is nan at \[-1.0\]"):
        gradgradcheck(lambda a: a.sqrt(), [-1.0])


def test_a_function_that_is_not_finite_a_step_away_is_named_with_the_step():
    with pytest.raises(
        ValueError, match=r"^f is nan at \[-1e-06\], a step of eps=1e-06 along input 0 from \[0.0\]"
    ):
        gradcheck(lambda a: a.sqrt(), [0.0])
    with pytest.raises(
        ValueError,
        match=r"^f is inf at \[1.0, 0.5\], a step of eps=0.5 along input 1 from \[1.0, 1.0\]",
    ):
        gradcheck(lambda a, b: a / (b - 0.5), [1.0, 1.0], eps=0.5)


def test_gradgradcheck_names_a_first_derivative_that_is_not_finite():
    with pytest.raises(ValueError, match=r"^gradient 0 is inf at \[0.0\]"):
        gradgradcheck(lambda a: a.sqrt(), [0.0])


def test_at_a_kink_abs_passes_and_relu_fails_as_the_docstring_says():
    # torch's choices at 0: abs'(0) = 0, the mean of the one-sided slopes -1 and 1,
    # and relu'(0) = 0, which is not the mean 0.5 of 0 and 1
    assert gradcheck(abs, [0.0])
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a: a.relu(), [0.0])
    row = str(info.value).splitlines()[2].split()
    assert float(row[2]) == 0.0 and float(row[3]) == pytest.approx(0.5)
