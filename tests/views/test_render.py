"""draw_graph: a graphviz.Digraph that renders, and says how to install dot
where it is missing."""

import xml.etree.ElementTree as ET

import graphviz  # type: ignore[import-untyped]  # graphviz ships no type hints
import pytest

from autograd import draw_graph, to_dot
from autograd.views.notebook import mimebundle
from autograd.views.render import INSTALL_HINT, GraphvizNotInstalled
from tests.views.drawings import needs_dot, node_texts, small_graph


@needs_dot
def test_rendering_writes_real_files(tmp_path) -> None:
    for fmt, magic in [("svg", b"<svg"), ("png", b"\x89PNG")]:
        path = draw_graph(small_graph()).render(tmp_path / "g", format=fmt, cleanup=True)
        with open(path, "rb") as f:
            assert magic in f.read(400)
    texts = node_texts(ET.parse(tmp_path / "g.svg").getroot())
    assert texts["v2"] == ["x", "data 2", "grad 7.373e-05"]


def test_draw_graph_checks_its_format_and_what_it_draws() -> None:
    with pytest.raises(ValueError, match="format must be one of graphviz.FORMATS"):
        draw_graph(small_graph(), format="svgg")
    with pytest.raises(TypeError, match="expected a Value to draw, got float"):
        to_dot(3.0)  # type: ignore[arg-type]  # the misuse under test


def test_draw_graph_is_a_digraph_with_to_dots_body() -> None:
    y = small_graph()
    g = draw_graph(y, rankdir="TB")
    assert isinstance(g, graphviz.Digraph)
    assert g.source == to_dot(y, rankdir="TB") + "\n"


def test_without_dot_drawing_still_works_and_rendering_says_how_to_install(
    monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    y = small_graph()
    assert "digraph" in to_dot(y)
    with pytest.raises(GraphvizNotInstalled, match="apt-get install graphviz"):
        draw_graph(y).pipe(format="svg")
    bundle = mimebundle(y)
    assert bundle["text/plain"] == repr(y) + "\n" + INSTALL_HINT
