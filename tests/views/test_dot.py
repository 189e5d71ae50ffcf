"""to_dot: the DOT text of a graph, at any size, collapsed or not, and what
Graphviz's dot makes of it."""

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import GraphTooLarge, Value, backward_steps, custom_op, draw_graph, to_dot
from autograd.core.engine import topological_order
from autograd.views.plan import node_ids
from nn import MLP, mse_loss, sse_loss
from tests.views.drawings import (
    SVG,
    batch_loss,
    line_of,
    needs_dot,
    node_texts,
    render,
    small_graph,
    title,
    width_pt,
)


def test_to_dot_is_deterministic_and_shows_labels_data_grads_and_ops() -> None:
    text = to_dot(small_graph())
    assert text == to_dot(small_graph())
    assert text.startswith("digraph {") and text.endswith("}")
    assert "<TD>y</TD><TD>data 1</TD><TD>grad 1</TD>" in line_of(text, "v0")
    assert "<TD>v1</TD><TD>data 6</TD><TD>grad 2.458e-05</TD>" in line_of(text, "v1")
    assert "<TD>x</TD><TD>data 2</TD><TD>grad 7.373e-05</TD>" in line_of(text, "v2")
    assert "label=<tanh>" in line_of(text, "v0_op") and "label=<*>" in line_of(text, "v1_op")
    # ids are walk positions: y is v0, its tanh input v1, x is v2
    assert sorted(set(re.findall(r"\bv\d+\b", text))) == ["v0", "v1", "v2"]


def test_unlabelled_nodes_show_the_names_backward_steps_uses() -> None:
    a, b = Value(1.5), Value(2.0, label="b")
    y = (a - b) * a
    text = to_dot(y)
    names = [str(step).split(" = ")[0] for step in backward_steps(y)]
    assert names == ["v0", "v1", "b", "v3"]
    for node, vid in node_ids(y).items():
        shown = node.label or vid
        assert f"<TD>{shown}</TD>" in line_of(text, vid)
    assert "<TD>v3</TD><TD>data 1.5</TD>" in line_of(text, "v3")


def test_inputs_parameters_intermediates_constants_and_non_finite_are_told_apart() -> None:
    model = MLP(1, [1], seed=0, bias=False)
    x = Value(0.5, label="x")
    loss = model([x]) / 0.0
    text = to_dot(loss, params=model.named_parameters())
    w_id = node_ids(loss)[model.parameters()[0]]
    assert 'BGCOLOR="#ffe08a"><TR><TD>w.0 <FONT' in line_of(text, w_id)  # parameter
    assert f">{w_id}</FONT>" in line_of(text, w_id)  # and its walk name
    assert 'BGCOLOR="#cfe8ff"><TR><TD>x</TD>' in text  # input
    assert 'BGCOLOR="#ff8a8a"' in line_of(text, "v0")  # inf
    constant = line_of(text, "v0_c1")  # the divisor 0.0, a small grey box
    assert "shape=box" in constant and "label=<0>" in constant and "#eeeeee" in constant


def test_edges_into_ops_whose_operands_do_not_commute_say_which_operand_they_are() -> None:
    a, b = Value(3.0, label="a"), Value(2.0, label="b")
    ids = lambda y: node_ids(y)  # noqa: E731
    minus = a - b
    assert f"{ids(minus)[a]} -> v0_op [label=<a>]" in to_dot(minus)
    assert f"{ids(minus)[b]} -> v0_op [label=<b>]" in to_dot(minus)
    text = to_dot(2.0**a)
    assert "v0_c0 -> v0_op [label=<a>]" in text and "v1 -> v0_op [label=<b>]" in text
    text = to_dot(a / 4)
    assert "v1 -> v0_op [label=<a>]" in text and "v0_c1 -> v0_op [label=<b>]" in text
    dot = Value.dot([a, 5.0], [b, 7.0])
    text = to_dot(dot)
    for operand, source in [("w0", "v1"), ("w1", "v0_c1"), ("x0", "v2"), ("x1", "v0_c3")]:
        assert f"{source} -> v0_op [label=<{operand}>]" in text
    # + and * commute: no labels; a*a keeps both of its edges
    assert "label=<a>" not in to_dot(a + b) and to_dot(a * a).count("v1 -> v0_op\n") == 2


def test_a_node_whose_only_inputs_are_constants_draws() -> None:
    text = to_dot(Value.sum([2.0]) + 1)
    assert "v1_c0 -> v1_op" in text and "v0_c1 -> v0_op" in text
    assert "label=<sum>" in line_of(text, "v1_op")
    softsign = custom_op(
        "viz_softsign",
        forward=lambda x: x / (1 + abs(x)),
        backward=lambda g, out, x: (g / (1 + abs(x)) ** 2,),
        replace=True,
    )
    text = to_dot(softsign(2.0))
    assert "<TD>data 0.6667</TD>" in line_of(text, "v0") and "label=<2>" in text


def test_a_parameter_name_without_a_dot_belongs_to_no_cluster() -> None:
    w = Value(0.5)
    y = w * 2
    text = to_dot(y, params=[("w", w)])
    assert "<TD>w <FONT" in line_of(text, "v1") and "subgraph" not in text
    with pytest.warns(UserWarning, match=r"1 parameter name\(s\) hold no neuron path.*'w'"):
        text = to_dot(y, params=[("w", w)], collapse="neurons")  # no neuron to collapse
    assert "<TD>w <FONT" in line_of(text, "v1") and "m0" not in text


NASTY = 'a{b}|c<d>"e\\f & \\N \\l ü λ 🙂 ]]> &amp;'


@needs_dot
def test_labels_with_dot_syntax_and_unicode_render_exactly_once_escaped() -> None:
    x = Value(1.0, label=NASTY + "\nsecond line\r\nthird")
    y = x * 2
    y.label = "y\\"  # a trailing backslash must not eat the closing quote
    svg = render(to_dot(y))
    texts = node_texts(svg)
    assert texts["v1"][:3] == [NASTY, "second line", "third"]
    assert texts["v0"][0] == "y\\"


@needs_dot
@settings(max_examples=12, deadline=None)
@given(st.text())
def test_any_label_text_gives_dot_that_dot_accepts(label) -> None:
    x = Value(1.0, label=label)
    texts = node_texts(render(to_dot(x.exp())))
    shown = "\n".join(texts["v1"][:-2])  # the name cell's lines; data and grad follow
    if label.isprintable():  # (unprintable characters are shown as symbols)
        assert " ".join(shown.split()) == " ".join((label or "v1").split())


def test_only_the_four_directions_reach_the_dot_text() -> None:
    y = small_graph()
    for rankdir in ("TB", "LR", "BT", "RL"):
        assert f"graph [rankdir={rankdir}," in to_dot(y, rankdir=rankdir)
    for bad in ["lr", "LR]; x [label=1", "", None, 3]:
        with pytest.raises(ValueError, match="rankdir must be one of TB, LR, BT, RL"):
            to_dot(y, rankdir=bad)  # type: ignore[arg-type]  # deliberately wrong types


def test_options_are_keyword_only() -> None:
    y = small_graph()
    with pytest.raises(TypeError, match="positional"):
        to_dot(y, "TB")  # type: ignore[arg-type, call-arg]  # the misuse under test
    with pytest.raises(TypeError, match="positional"):
        draw_graph(y, "TB")  # type: ignore[arg-type, call-arg]  # the misuse under test


@pytest.mark.parametrize(
    "options, error, message",
    [
        ({"collapse": "neuron"}, ValueError, "collapse must be None, 'neurons' or 'layers'"),
        ({"collapse": "neurons"}, ValueError, "pass params=model.named_parameters"),
        ({"max_nodes": 0}, ValueError, "max_nodes must be a positive int or None"),
        ({"max_nodes": "500"}, ValueError, "max_nodes must be a positive int or None"),
        ({"params": MLP(1, [1], seed=0)}, TypeError, "such as model.named_parameters"),
        ({"params": [("w", 1.0)]}, TypeError, r"found \('w', 1.0\)"),
        ({"params": "w"}, TypeError, "got str"),
    ],
)
def test_bad_options_say_what_is_wrong(options, error, message) -> None:
    with pytest.raises(error, match=message):
        to_dot(small_graph(), **options)


def test_a_network_graph_groups_each_neuron_in_a_cluster_in_parameter_order() -> None:
    model = MLP(2, [16, 16, 1], seed=0)
    loss = sse_loss([model([0.3, -0.2])], [1.0])
    text = to_dot(loss, params=model.named_parameters())
    labels = re.findall(r"subgraph cluster_\d+ \{\nlabel=<([^>]*)>", text)
    expected = []
    for i, n in enumerate([16, 16, 1]):
        expected += [f"layers.{i}"] + [f"layers.{i}.neurons.{j}" for j in range(n)]
    assert labels == expected
    # neurons nest in their layer: layers.0's cluster closes after its 16th neuron
    layer = text.split("label=<layers.0>")[1].split("subgraph cluster_17 {")[0]
    assert layer.count("subgraph cluster_") == 16
    assert layer.count("{") == 16 and layer.count("}") == 17
    assert text.count("{") == text.count("}")


def test_clusters_follow_the_order_of_params_not_the_alphabet() -> None:
    enc, dec = Value(1.0), Value(2.0)
    y = enc * 3 + dec * 4
    text = to_dot(y, params=[("encoder.w.0", enc), ("decoder.w.0", dec), ("a.1", Value(0.0))])
    assert re.findall(r"label=<(\w+)>; style", text) == ["encoder", "decoder"]


def test_too_many_nodes_is_a_clear_error_suggesting_collapse() -> None:
    model, xs, loss = batch_loss()
    assert len(topological_order(loss)) == 2139
    with pytest.raises(GraphTooLarge, match=r"2,139 nodes, more than max_nodes=500") as e:
        to_dot(loss, params=model.named_parameters())
    assert "collapse='neurons'" in str(e.value) and "max_nodes=None" in str(e.value)
    assert isinstance(e.value, ValueError)
    with pytest.raises(GraphTooLarge, match="2,139 nodes, more than max_nodes=2138"):
        draw_graph(loss, max_nodes=2138)
    ops = sum(1 for node in topological_order(loss) if node.inputs)
    assert to_dot(loss, max_nodes=None).count("_op [shape=ellipse") == ops == 2139 - 337


def test_collapse_neurons_draws_each_neuron_as_one_table() -> None:
    model, xs, loss = batch_loss()
    params = model.named_parameters()
    ids = node_ids(loss, params=params, collapse="neurons")
    drawn = set(ids.values())
    modules = sorted(i for i in drawn if i.startswith("m"))
    assert len(modules) == 16 + 16 + 1 and len(drawn) < 80  # from 2,139 nodes
    neuron = model.layers[0].neurons[1]
    w0, w1, b = neuron.w[0], neuron.w[1], dict(neuron.named_parameters())["b"]
    assert ids[w0] == ids[b] == "m1"  # params order: layers.0.neurons.1
    text = to_dot(loss, params=params, collapse="neurons")
    table = line_of(text, "m1")
    assert "<B>layers.0.neurons.1</B>" in table
    for k, (name, p) in enumerate([("w.0", w0), ("w.1", w1), ("b", b)]):
        assert f'<TD PORT="p{k}">{name}</TD><TD COLSPAN="2">{p.data:.4g}</TD>' in table
        assert f'<TD COLSPAN="2">{p.grad:.4g}</TD>' in table
    # the first samples' pre-activation z = w·x + b and tanh(z), each with its grad
    assert "<TD>sample</TD><TD>z</TD><TD>grad</TD><TD>tanh</TD><TD>grad</TD>" in table
    z = w0.data * xs[0][0] + w1.data * xs[0][1] + b.data
    pre = {v.inputs[0]: v for v, i in ids.items() if i == "m1" and v.op == "tanh"}
    z_node = next(v for v in pre if isinstance(v, Value) and abs(v.data - z) < 1e-12)
    first = pre[z_node]
    assert f"<TR><TD>1</TD><TD>{z:.4g}</TD><TD>{z_node.grad:.4g}</TD>" in table
    assert f"<TD>{first.data:.4g}</TD><TD>{first.grad:.4g}</TD></TR>" in table
    assert "… 14 more samples" in table
    # one edge per pair of connected neurons, whatever the batch size, ending
    # at the weight it is multiplied by: neuron 1 of layer 0 meets w.1 (port p1)
    assert text.count("m1 -> m17:p1\n") == 1 and "m1 -> m16:p1\n" in text
    assert '<TD PORT="p1">w.1</TD>' in line_of(text, "m17")
    assert not re.search(r"\bm1_op\b|\bm1_c", text)


def test_a_module_the_graph_does_not_use_is_not_drawn() -> None:
    used, unused = Value(1.0), Value(2.0)
    y = (used * 3).tanh()
    params = [("unused.w.0", unused), ("used.w.0", used)]
    assert set(node_ids(y, params=params, collapse="neurons").values()) == {"m0"}
    assert "<B>used</B>" in line_of(to_dot(y, params=params, collapse="neurons"), "m0")
    assert "unused" not in to_dot(y, params=params)


def test_a_dead_relu_neuron_still_shows_its_activation() -> None:
    model = MLP(1, [1], output_activation="relu", seed=0)
    w, b = model.parameters()
    w.data, b.data = 1.0, -5.0  # relu(x - 5) is 0 for both samples
    loss = mse_loss([model([1.0]), model([2.0])], [1.0, 1.0])
    loss.backward()
    params = model.named_parameters()
    table = line_of(to_dot(loss, params=params, collapse="neurons"), "m0")
    assert '<TD COLSPAN="5" BGCOLOR' in table
    assert "<TD>relu</TD><TD>grad</TD>" in table and "<TR><TD>1</TD><TD>-4</TD>" in table
    assert "<TD>0</TD><TD>-1</TD></TR>" in table  # relu 0, its grad (0 - 1) * 2 / 2
    layer = line_of(to_dot(loss, params=params, collapse="layers"), "m0")
    assert "<TD>2 outputs (relu)</TD>" in layer


def test_collapse_layers_draws_each_layer_as_one_summary() -> None:
    model, xs, loss = batch_loss()
    ids = node_ids(loss, params=model.named_parameters(), collapse="layers")
    assert sorted(i for i in set(ids.values()) if i.startswith("m")) == ["m0", "m1", "m2"]
    assert len(set(ids.values())) < 50
    text = to_dot(loss, params=model.named_parameters(), collapse="layers")
    table = line_of(text, "m0")
    assert "<B>layers.0</B>" in table and "<TD>16 neurons</TD>" in table
    assert "<TD>48 parameters</TD>" in table and "<TD>288 outputs (tanh)</TD>" in table
    low = min(p.data for p in model.layers[0].parameters())
    assert f"<TD>{low:.4g} … " in table
    assert "<TD>1 neuron</TD>" in line_of(text, "m2")
    assert sorted(re.findall(r"^m\d -> m\d", text, re.M)) == ["m0 -> m1", "m1 -> m2"]


@needs_dot
def test_the_batch_drawings_render_small_and_their_ids_are_the_svg_titles() -> None:
    model, xs, loss = batch_loss()
    params = model.named_parameters()
    for collapse in ("neurons", "layers"):
        svg = render(to_dot(loss, params=params, collapse=collapse))
        titles = set(node_texts(svg))
        assert set(node_ids(loss, params=params, collapse=collapse).values()) <= titles
        edges = {title(g) for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"}
        assert ("m0->m16:p0" if collapse == "neurons" else "m0->m1") in edges
        assert width_pt(svg) < 5000


@needs_dot
def test_a_2001_node_chain_wraps_into_rows_no_wider_than_20000_pt() -> None:
    x = Value(1.0, label="x")
    for _ in range(1000):
        x = x * 1.0001 + 0.0001
    assert len(topological_order(x)) == 2001
    text = to_dot(x, max_nodes=None)
    assert text.count("subgraph cluster_row") == 101 and "constraint=false" in text
    svg = render(text)
    assert width_pt(svg) <= 20_000  # unwrapped: about 480,000 pt
    assert len(node_texts(svg)) == 2001 + 2000 + 2000  # Values, ops, constants


def test_a_100000_node_graph_draws_without_recursion() -> None:
    x = Value(1.0)
    for _ in range(100_000):
        x = x + 1.0
    assert sys.getrecursionlimit() < 100_000
    assert to_dot(x, max_nodes=None).count("_op [shape=ellipse") == 100_000
