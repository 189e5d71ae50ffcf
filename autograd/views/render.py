"""``draw_graph``: a graph as a ``graphviz.Digraph`` to render or show.

Rendering needs Graphviz's ``dot`` program; where it is missing, rendering
says how to install it, and ``to_dot`` still gives the text.
"""

from __future__ import annotations

from typing import Any

import graphviz  # type: ignore[import-untyped]  # graphviz ships no type hints

from autograd.core.value import Value
from autograd.views.dot import dot_lines
from autograd.views.plan import MAX_NODES, Collapse, NamedParams, Rankdir, checked_plan

INSTALL_HINT = (
    "Graphviz's `dot` program is needed to render graphs. Install "
    "it with `sudo apt-get install graphviz` (Debian, Ubuntu), "
    "`brew install graphviz` (macOS) or from https://graphviz.org; "
    "to_dot() works without it."
)


class GraphvizNotInstalled(graphviz.ExecutableNotFound):  # type: ignore[misc]  # untyped base
    """``dot`` is missing; the message says how to install it."""

    def __init__(self) -> None:
        RuntimeError.__init__(self, INSTALL_HINT)


class GraphDrawing(graphviz.Digraph):  # type: ignore[misc]  # untyped base
    """A ``graphviz.Digraph`` whose rendering explains a missing ``dot``."""

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotInstalled() from None

    def render(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotInstalled() from None


def draw_graph(
    root: Value,
    *,
    params: NamedParams = None,
    collapse: Collapse | None = None,
    max_nodes: int | None = MAX_NODES,
    rankdir: Rankdir = "LR",
    format: str = "svg",
) -> GraphDrawing:
    """root's graph as a ``graphviz.Digraph``: ``.render("loss")`` writes
    ``loss.svg``, and Jupyter displays it. Rendering needs ``dot``. The
    options are ``to_dot``'s, and ``format`` any of ``graphviz.FORMATS``.

    Examples:
        >>> from autograd import Value
        >>> g = draw_graph(Value(1.0).exp())
        >>> g.source.count("->")
        2
    """
    if not (isinstance(format, str) and format in graphviz.FORMATS):
        raise ValueError(f"format must be one of graphviz.FORMATS such as 'svg', got {format!r}")
    plan = checked_plan(root, params, collapse, max_nodes, rankdir)
    drawing = GraphDrawing(format=format)
    drawing.body.extend(line + "\n" for line in dot_lines(plan, rankdir))
    return drawing
