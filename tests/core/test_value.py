"""Value: what a node holds, how it is built, and what it refuses."""

import copy
import math
import pickle
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from autograd import Value, no_grad


def test_a_leaf_holds_its_data_and_a_zero_gradient():
    x = Value(2, label="x")
    assert (x.data, x.grad, x.label, x.op, x.inputs) == (2.0, 0.0, "x", "", ())
    assert type(x.data) is float


def test_values_are_slotted():
    with pytest.raises(AttributeError):
        Value(1.0).typo = 3  # type: ignore[attr-defined]  # slots refuse it: the point of the test


def test_repr_shows_data_grad_op_and_label():
    o = (Value(1.0) * 2).sigmoid()
    o.label = "o"
    o.backward()
    assert repr(o) == "Value(data=0.880797, grad=1, op='sigmoid', label='o')"


@pytest.mark.parametrize(
    "number",
    [True, 3, 2.5, Fraction(1, 4), np.float64(1.5), np.float32(0.25), np.int64(7), np.bool_(True)],
)
def test_any_real_number_is_accepted_as_a_float(number):
    x = Value(number)
    assert type(x.data) is float and x.data == float(number)


@pytest.mark.parametrize(
    "bad, name",
    [
        ("a", "str"),
        (None, "NoneType"),
        (1j, "complex"),
        ([1.0], "list"),
        (np.array([1.0, 2.0]), "ndarray"),
    ],
)
def test_non_real_data_is_a_type_error_naming_the_type(bad, name):
    with pytest.raises(TypeError, match=name):
        Value(bad)


@pytest.mark.parametrize("number", [True, 3, 2.5, Fraction(1, 4), np.float64(1.5), np.int64(7)])
def test_number_operands_are_stored_as_float_constants(number):
    x = Value(2.0)
    for y in (x * number, number - x, Value.sum([x, number]), Value.dot([x], [number])):
        (constant,) = [c for c in y.inputs if c is not x]
        assert type(constant) is float and constant == float(number)


def test_a_value_subclass_operand_stays_a_node():
    class Tagged(Value):
        __slots__ = ()

    t = Tagged(2.0)
    for y in (t * 3, 3 - t, t.exp(), Value.sum([t, 1]), Value.dot([t], [t])):
        assert any(x is t for x in y.inputs)
    y = t * t + 1
    y.backward()
    assert t.grad == 4.0


def test_a_label_must_be_a_string():
    with pytest.raises(TypeError, match="label must be a str, got int"):
        Value(1.0, label=3)  # type: ignore[arg-type]  # deliberately the wrong type


def test_a_value_cannot_wrap_a_value():
    with pytest.raises(TypeError, match="Value"):
        Value(Value(1.0))


def test_operators_with_a_non_number_raise_type_error():
    with pytest.raises(TypeError, match="unsupported operand.*Value.*str"):
        Value(1.0) + "a"  # type: ignore[operator]  # deliberately the wrong type
    with pytest.raises(TypeError, match="unsupported operand.*NoneType.*Value"):
        None * Value(1.0)  # type: ignore[operator]  # deliberately the wrong type


@pytest.mark.parametrize(
    "make, op, data",
    [
        (lambda a, b: a + b, "+", 5.0),
        (lambda a, b: a - b, "-", -1.0),
        (lambda a, b: a * b, "*", 6.0),
        (lambda a, b: a / b, "/", 2 / 3),
        (lambda a, b: a**b, "**", 8.0),
    ],
)
def test_binary_operators_make_one_node_with_ordered_inputs(make, op, data):
    a, b = Value(2.0), Value(3.0)
    y = make(a, b)
    assert (y.op, y.inputs, y.data) == (op, (a, b), data)


@pytest.mark.parametrize(
    "make, inputs, data",
    [
        (lambda a: a + 1, lambda a: (a, 1.0), 3.0),
        (lambda a: 1 + a, lambda a: (1.0, a), 3.0),
        (lambda a: 10 - a, lambda a: (10.0, a), 8.0),
        (lambda a: 3 * a, lambda a: (3.0, a), 6.0),
        (lambda a: 1 / a, lambda a: (1.0, a), 0.5),
        (lambda a: 3**a, lambda a: (3.0, a), 9.0),
        (lambda a: a**3, lambda a: (a, 3.0), 8.0),
    ],
)
def test_plain_numbers_on_either_side_are_stored_as_float_constants(make, inputs, data):
    a = Value(2.0)
    y = make(a)
    assert y.inputs == inputs(a) and y.data == data
    assert all(type(x) is float for x in y.inputs if x is not a)


def test_subtraction_division_and_negation_are_single_nodes():
    a, b = Value(6.0), Value(3.0)
    assert (a - b).op == "-" and (a - b).inputs == (a, b)
    assert (a / b).op == "/" and (a / b).inputs == (a, b)
    assert (-a).op == "neg" and (-a).inputs == (a,)
    assert abs(Value(-2.0)).op == "abs"


def test_a_times_a_keeps_both_operand_slots():
    a = Value(3.0)
    assert (a * a).inputs == (a, a)


@pytest.mark.parametrize("method", ["exp", "log", "tanh", "sigmoid", "relu", "sqrt"])
def test_methods_record_their_op(method):
    x = Value(0.5)
    y = getattr(x, method)()
    assert (y.op, y.inputs) == (method, (x,))


def test_sum_and_dot_are_one_node_each():
    xs = [Value(float(i)) for i in range(10_000)]
    s = Value.sum(xs)
    assert (s.op, len(s.inputs), s.data) == ("sum", 10_000, sum(range(10_000)))
    ws: list[Value | int] = [Value(2.0), 3]
    d = Value.dot(ws, [4, Value(5.0)])
    assert (d.op, d.data) == ("dot", 23.0)
    assert d.inputs == (ws[0], 3.0, 4.0, d.inputs[3])


def test_dot_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="2 and 3"):
        Value.dot([1, 2], [1, 2, 3])


def test_comparisons_read_the_data_but_equality_is_identity():
    a, b = Value(1.0), Value(1.0)
    assert a < 2 and a <= b and b >= a and not a > b
    assert a != b and a == a
    assert len({a, b}) == 2


def test_no_grad_records_nothing_and_survives_exceptions():
    a = Value(2.0)
    with pytest.raises(RuntimeError):
        with no_grad():
            y = a * a
            assert (y.data, y.op, y.inputs) == (4.0, "", ())
            raise RuntimeError("boom")
    assert (a * a).inputs == (a, a)


def test_float_of_a_value_is_its_data():
    assert float(Value(2.5)) == 2.5
    assert math.isnan(float(Value(math.nan)))


# --- the operator protocol: unknown types get their turn ------------------------


def test_unknown_operand_types_get_to_answer_for_themselves():
    class Meters:
        def __radd__(self, other):
            return "Meters.__radd__"

        def __rmul__(self, other):
            return "Meters.__rmul__"

    assert Value(1.0) + Meters() == "Meters.__radd__"
    assert Value(1.0) * Meters() == "Meters.__rmul__"


def test_numpy_arrays_broadcast_on_either_side():
    a = np.array([1.0, 2.0])
    # numpy answers for Value(3.0) * a too (Value returns NotImplemented): arrays of Values
    left: Any = Value(3.0) * a
    right: Any = a * Value(3.0)
    assert [v.data for v in left] == [v.data for v in right] == [3.0, 6.0]


def test_non_operators_still_name_the_bad_type():
    from autograd import custom_op

    pair = custom_op("test_pair", forward=lambda a, b: a + b, backward=lambda g, o, a, b: (g, g))
    with pytest.raises(TypeError, match="str"):
        pair(Value(1.0), "a")  # type: ignore[arg-type]  # deliberately the wrong type
    with pytest.raises(TypeError, match="str"):
        Value.sum([Value(1.0), "a"])  # type: ignore[list-item]  # deliberately the wrong type
    with pytest.raises(TypeError, match="str"):
        Value.dot([Value(1.0)], ["a"])  # type: ignore[list-item]  # deliberately the wrong type
    with pytest.raises(TypeError, match="not supported|unsupported"):
        assert Value(1.0) < "a"  # type: ignore[operator]  # deliberately the wrong type


# --- PyTorch and micrograd habits -------------------------------------------------


def test_item_format_round_int_and_bool_read_the_data():
    x = Value(2.675, label="x")
    assert x.item() == 2.675 and type(x.item()) is float
    assert f"{x:.2f}" == format(2.675, ".2f") and f"{x:>8.1e}" == format(2.675, ">8.1e")
    assert f"{x}" == str(x) == repr(x)
    assert round(x) == 3 and round(x, 1) == round(2.675, 1)
    assert int(Value(-2.7)) == -2
    assert bool(Value(0.0)) is False and bool(Value(-0.0)) is False
    assert bool(Value(0.1)) is True and bool(Value(math.nan)) is True


def test_detach_is_a_new_leaf_with_the_same_data():
    x = Value(3.0)
    y = x * x
    d = y.detach()
    assert (d.data, d.op, d.inputs, d.grad) == (9.0, "", (), 0.0) and d is not y
    (d * x).backward()
    assert x.grad == 9.0  # no gradient flowed through the detached branch


def test_a_hook_handle_removes_its_hook_once():
    x = Value(2.0)
    seen = []
    first = x.register_hook(lambda g: seen.append(("first", g)))
    x.register_hook(lambda g: seen.append(("second", g)))
    first.remove()
    first.remove()
    (x * 3).backward()
    assert seen == [("second", 3.0)]


# --- pickling and copying carry the number, not the graph ----------------------


@pytest.mark.parametrize(
    "copy_of",
    [lambda v: pickle.loads(pickle.dumps(v)), copy.deepcopy, copy.copy],
    ids=["pickle", "deepcopy", "copy"],
)
def test_copies_are_leaves_with_data_grad_and_label_even_for_deep_graphs(copy_of):
    x = Value(1.0)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.label = "deep"
    y.backward()
    copied = copy_of(y)
    assert (copied.data, copied.grad, copied.label, copied.op, copied.inputs) == (
        y.data,
        1.0,
        "deep",
        "",
        (),
    )


def test_a_model_deepcopies_with_independent_parameters():
    from nn import MLP

    model = MLP(2, [3, 1], seed=0)
    twin = copy.deepcopy(model)
    assert twin.state_dict() == model.state_dict()
    twin.parameters()[0].data += 1.0
    assert twin.state_dict() != model.state_dict()


# --- grad = None, a PyTorch habit ---------------------------------------------------


def test_a_grad_of_none_prints_and_counts_as_zero():
    p = Value(2.0)
    p.grad = None  # type: ignore[assignment]  # a PyTorch habit the engine tolerates
    assert "grad=None" in repr(p)
    (p * 3).backward()
    assert p.grad == 3.0
    p.grad = None  # type: ignore[assignment]  # a PyTorch habit the engine tolerates
    (p * p).backward()  # p as the root's input twice
    assert p.grad == 4.0


def test_jupyter_shows_a_value_as_viz_would_never_rendering_a_huge_graph():
    from autograd.views.notebook import mimebundle

    small = Value(2.0, label="x").exp()
    assert small._repr_mimebundle_() == mimebundle(small)
    big = Value(1.0)
    for _ in range(600):
        big = big * 1.0001
    bundle = big._repr_mimebundle_()
    assert "image/svg+xml" not in bundle and "601 nodes" in bundle["text/plain"]
