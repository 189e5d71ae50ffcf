"""What a drawing shows: parameter names that would merge two neurons are
refused, and names that hold no neuron path are said, not silently drawn."""

import warnings

import pytest

from autograd import Value, to_dot
from autograd.core.engine import topological_order
from autograd.views.plan import node_ids
from nn import MLP, mse_loss
from tests.views.drawings import small_graph


def two_models_loss():
    a, b = MLP(2, [2, 1], seed=0), MLP(2, [2, 1], seed=1)
    loss = mse_loss([a([1.0, 2.0]), b([1.0, 2.0])], [0.0, 1.0])
    return loss, a, b


def test_two_models_named_alike_are_refused_rather_than_drawn_as_one():
    loss, a, b = two_models_loss()
    with pytest.raises(ValueError, match="names 'layers.0.neurons.0.w.0' more than once"):
        to_dot(loss, params=a.named_parameters() + b.named_parameters(), collapse="neurons")
    prefixed = [(f"a.{n}", p) for n, p in a.named_parameters()]
    prefixed += [(f"b.{n}", p) for n, p in b.named_parameters()]
    text = to_dot(loss, params=prefixed, collapse="neurons")
    assert "a.layers.0.neurons.0" in text and "b.layers.0.neurons.0" in text
    assert text.count("<B>") == 6  # six neurons, each a table


def test_a_value_under_two_names_is_refused():
    w = Value(1.0)
    with pytest.raises(ValueError, match="under two names"):
        to_dot(w * 2, params=[("n.w.0", w), ("n.w.1", w)])


def test_names_without_a_neuron_path_are_said_when_collapsing():
    w, v = Value(0.5), Value(1.5)
    y = w * v
    with pytest.warns(UserWarning, match=r"2 parameter name\(s\) hold no neuron path.*'w', 'v'"):
        to_dot(y, params=[("w", w), ("v", v)], collapse="neurons")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        to_dot(y, params=[("w", w), ("v", v)])  # not collapsing: nothing to say


def test_a_layers_names_hold_neurons_but_no_layer():
    from nn import Layer

    layer = Layer(2, 2, seed=0)
    out = layer([1.0, 2.0])[0]
    with pytest.warns(UserWarning, match="hold no layer path"):
        to_dot(out, params=layer.named_parameters(), collapse="layers")


def test_node_ids_name_each_value_by_its_walk_position() -> None:
    y = small_graph()
    order = topological_order(y)
    assert node_ids(y) == {node: f"v{i}" for i, node in enumerate(order)}
