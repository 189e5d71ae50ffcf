"""How Jupyter shows a Value: its graph as SVG, or a short summary where
drawing would be slow or impossible. ``autograd`` registers ``mimebundle``
with the core (``register_display``) when it is imported.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from autograd.core.engine import topological_order
from autograd.core.value import Value
from autograd.views.plan import MAX_NODES
from autograd.views.render import INSTALL_HINT, GraphvizNotInstalled, draw_graph


def mimebundle(
    value: Value, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
) -> dict[str, str]:
    """What Jupyter shows for a Value: its graph as SVG when it has at most
    ``MAX_NODES`` nodes and ``dot`` is installed, else a short summary that
    says how to draw it, so displaying a big loss costs one graph walk and
    never a long render. ``include``/``exclude`` filter the MIME types.

    Examples:
        >>> from autograd import Value
        >>> x = Value(1.0)
        >>> for _ in range(600):
        ...     x = x * 2
        >>> print(mimebundle(x, include={"text/plain"})["text/plain"])  # doctest: +ELLIPSIS
        Value(data=4.149...e+180, grad=0, op='*', label='')
        a graph of 601 nodes, too many to draw here (more than 500): ...
    """
    count = len(topological_order(value))
    if count > MAX_NODES:
        bundle = _summary(
            value,
            f"a graph of {count:,} nodes, too many to draw here (more than {MAX_NODES}): "
            "draw a network's loss with draw_graph(loss, params=model.named_parameters(), "
            "collapse='neurons'), or all of it with draw_graph(loss, max_nodes=None)",
        )
    else:
        try:
            svg = draw_graph(value).pipe(format="svg", encoding="utf-8")
            bundle = {"image/svg+xml": svg, "text/plain": repr(value)}
        except GraphvizNotInstalled:
            bundle = _summary(value, INSTALL_HINT)
    return {
        kind: text
        for kind, text in bundle.items()
        if (include is None or kind in include) and (exclude is None or kind not in exclude)
    }


def _summary(value: Value, note: str) -> dict[str, str]:
    text = f"{value!r}\n{note}"
    return {"text/plain": text, "text/html": f"<pre>{html.escape(text)}</pre>"}
