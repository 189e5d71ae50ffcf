"""How Jupyter shows a Value: its graph as SVG, or a summary when it is big."""

import graphviz  # type: ignore[import-untyped]  # graphviz ships no type hints

from autograd.views.notebook import mimebundle
from tests.views.drawings import batch_loss, needs_dot, small_graph


@needs_dot
def test_jupyter_shows_a_small_graph_as_svg() -> None:
    y = small_graph()
    bundle = mimebundle(y)
    assert "<svg" in bundle["image/svg+xml"] and bundle["text/plain"] == repr(y)
    assert set(mimebundle(y, include={"text/plain"})) == {"text/plain"}
    assert set(mimebundle(y, exclude={"text/plain"})) == {"image/svg+xml"}


def test_jupyter_shows_a_big_graph_as_a_summary_without_rendering(monkeypatch) -> None:
    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered")

    monkeypatch.setattr(graphviz.Digraph, "pipe", no_rendering)
    model, xs, loss = batch_loss()
    bundle = mimebundle(loss)
    assert set(bundle) == {"text/plain", "text/html"}
    text = bundle["text/plain"]
    assert text.startswith(repr(loss) + "\n") and "2,139 nodes" in text
    assert "collapse='neurons'" in text and "max_nodes=None" in text
    assert bundle["text/html"].startswith("<pre>") and "&#x27;neurons&#x27;" in bundle["text/html"]
