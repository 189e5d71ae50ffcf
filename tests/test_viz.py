"""to_dot text, and real rendering with Graphviz's dot."""

import math
import re
import shutil
import sys

import graphviz
import pytest

from autograd import Value, draw_graph, to_dot
from autograd.viz import GraphvizNotInstalled
from nn import MLP, sse_loss

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed"
)


def small_graph():
    x = Value(2.0, label="x")
    y = (x * 3).tanh()
    y.label = "y"
    y.backward()
    return y


def test_to_dot_is_deterministic_and_shows_labels_data_grads_and_ops():
    text = to_dot(small_graph())
    assert text == to_dot(small_graph())
    assert text.startswith("digraph {") and text.endswith("}")
    assert "{y | data 1 | grad 1}" in text
    assert "{x | data 2 | grad 7.373e-05}" in text
    assert 'label="tanh"' in text and 'label="*"' in text and 'label="3"' in text
    # ids are walk positions: y is v0, its tanh input v1, x is v2
    assert sorted(set(re.findall(r"\bv\d+\b", text))) == ["v0", "v1", "v2"]
    assert "v2 [shape=record" in text and "{x |" in text.split("v2 [")[1].split("\n")[0]


def test_inputs_parameters_intermediates_and_non_finite_are_told_apart():
    model = MLP(1, [1], seed=0, bias=False)
    x = Value(0.5, label="x")
    loss = model([x]) / 0.0
    text = to_dot(loss, params=model.named_parameters())
    assert '"#ffe08a", label="{w.0 |' in text  # parameter
    assert '"#cfe8ff", label="{x |' in text  # input
    assert '"#ff8a8a"' in text and math.isinf(loss.data)  # non-finite


def test_a_network_graph_groups_each_neuron_in_a_named_cluster():
    model = MLP(2, [16, 16, 1], seed=0)
    loss = sse_loss([model([0.3, -0.2])], [1.0])
    text = to_dot(loss, params=model.named_parameters())
    for path in ("layers.0", "layers.0.neurons.15", "layers.1.neurons.3", "layers.2.neurons.0"):
        assert f'subgraph "cluster_{path}" {{' in text
    assert text.count("{") == text.count("}")


def test_a_100000_node_graph_draws_without_recursion():
    x = Value(1.0)
    for _ in range(100_000):
        x = x + 1.0
    assert sys.getrecursionlimit() < 100_000
    assert to_dot(x).count("_op ->") == 100_000


def test_draw_graph_is_a_digraph_with_the_same_body():
    g = draw_graph(small_graph(), rankdir="TB")
    assert isinstance(g, graphviz.Digraph) and "rankdir=TB" in g.source
    assert "{y | data 1 | grad 1}" in g.source


@needs_dot
@pytest.mark.parametrize("fmt, magic", [("svg", b"<svg"), ("png", b"\x89PNG")])
def test_rendering_writes_real_files(tmp_path, fmt, magic):
    path = draw_graph(small_graph()).render(tmp_path / "g", format=fmt, cleanup=True)
    data = open(path, "rb").read()
    assert magic in data[:400]
    if fmt == "svg":
        text = data.decode()
        assert "tanh" in text and "data 2" in text and "grad 7.373e&#45;05" in text


@needs_dot
def test_jupyter_displays_a_value_as_its_graph():
    bundle = small_graph()._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


def test_without_dot_rendering_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizNotInstalled, match="apt-get install graphviz"):
        draw_graph(small_graph()).pipe(format="svg")
    assert small_graph()._repr_mimebundle_() == {"text/plain": repr(small_graph())}
