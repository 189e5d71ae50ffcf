"""Drawing graphs: ``to_dot`` (pure DOT text) and ``draw_graph`` (graphviz).

Every Value becomes a record ``label | data | grad``; every op a small
ellipse between its inputs and its result; every constant a plain number.
Leaves you pass in are blue, parameters gold, intermediates white, and a
nan or inf anywhere is red. Node ids follow the walk order (``v0`` is the
output), never ``id()``, so the same graph always gives the same text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import graphviz

from autograd.engine import topological_order

INSTALL_HINT = (
    "Graphviz's `dot` program is needed to render graphs. Install "
    "it with `sudo apt-get install graphviz` (Debian, Ubuntu), "
    "`brew install graphviz` (macOS) or from https://graphviz.org; "
    "to_dot() works without it."
)

COLORS = {
    "input": "#cfe8ff",
    "parameter": "#ffe08a",
    "intermediate": "#ffffff",
    "non-finite": "#ff8a8a",
}


class GraphvizNotInstalled(graphviz.ExecutableNotFound):
    """``dot`` is missing; the message says how to install it."""

    def __init__(self) -> None:
        RuntimeError.__init__(self, INSTALL_HINT)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _record_text(text: str) -> str:
    for ch in '\\{}|<>"':
        text = text.replace(ch, "\\" + ch)
    return text


def _number(x: float) -> str:
    return f"{x:.4g}"


def _cluster_of(name: str) -> str:
    """``layers.0.neurons.1.w.2`` -> ``layers.0.neurons.1`` (the neuron)."""
    parts = name.split(".")
    return ".".join(parts[:-2] if parts[-2] == "w" else parts[:-1])


def _clusters(order: list, params: dict[int, str]) -> dict[int, str]:
    """Which neuron each node belongs to: a parameter's own, a node that reads
    a parameter (the dot, the bias add), and an activation of such a node."""
    cluster = {key: _cluster_of(name) for key, name in params.items()}
    for node in reversed(order):  # inputs before the nodes that use them
        inputs = [x for x in node.inputs if type(x) is not float]
        for x in inputs:
            if id(x) in params:
                cluster[id(node)] = cluster[id(x)]
                break
        else:
            if len(node.inputs) == 1 and id(inputs[0]) in cluster:
                cluster[id(node)] = cluster[id(inputs[0])]
    return cluster


def _body(root, params: Iterable[tuple[str, object]] | None) -> list[str]:
    order = topological_order(root)
    names = {id(p): name for name, p in (params or ())}
    ids = {id(node): f"v{i}" for i, node in enumerate(order)}
    cluster = _clusters(order, names)
    lines = [
        'node [fontname="Helvetica", fontsize=10]',
        'edge [fontname="Helvetica", fontsize=9, arrowsize=0.6]',
    ]
    members: dict[str, list[str]] = {}
    constants = 0
    for node in order:
        vid = ids[id(node)]
        # in its neuron's cluster a parameter needs only its own part: w.0, b
        label = node.label or names.get(id(node), "").removeprefix(cluster.get(id(node), "") + ".")
        finite = math.isfinite(node.data) and math.isfinite(float(node.grad))
        kind = (
            "non-finite"
            if not finite
            else "parameter"
            if id(node) in names
            else "input"
            if not node.inputs
            else "intermediate"
        )
        text = (
            f"{{{_record_text(label)} | data {_number(node.data)} | "
            f"grad {_number(float(node.grad))}}}"
            if label
            else f"{{data {_number(node.data)} | grad {_number(float(node.grad))}}}"
        )
        node_lines = [
            f'{vid} [shape=record, style=filled, fillcolor="{COLORS[kind]}", label={_quote(text)}]'
        ]
        if node.inputs:
            node_lines.append(
                f"{vid}_op [shape=ellipse, label={_quote(node.op)}, "
                "width=0.3, height=0.3, margin=0.02]"
            )
            node_lines.append(f"{vid}_op -> {vid}")
            for x in node.inputs:
                if type(x) is float:
                    constants += 1
                    node_lines.append(f"c{constants} [shape=plaintext, label={_quote(_number(x))}]")
                    node_lines.append(f"c{constants} -> {vid}_op")
                else:
                    lines.append(f"{ids[id(x)]} -> {vid}_op")
        members.setdefault(cluster.get(id(node), ""), []).extend(node_lines)
    lines.extend(members.pop("", []))
    lines.extend(_nested_clusters(members))
    return lines


def _nested_clusters(members: dict[str, list[str]]) -> list[str]:
    """Clusters nest by path: ``layers.0`` holds ``layers.0.neurons.1``."""
    paths = set(members)
    for path in list(paths):
        parts = path.split(".")
        paths.update(".".join(parts[:k]) for k in range(2, len(parts), 2))
    lines: list[str] = []
    open_paths: list[str] = []
    for path in sorted(paths, key=lambda p: [int(s) if s.isdigit() else s for s in p.split(".")]):
        while open_paths and not path.startswith(open_paths[-1] + "."):
            open_paths.pop()
            lines.append("}")
        lines.append(f"subgraph {_quote('cluster_' + path)} {{")
        lines.append(f'label={_quote(path)}; style="rounded,dashed"; color="#999999"')
        lines.extend(members.get(path, []))
        open_paths.append(path)
    lines.extend("}" for _ in open_paths)
    return lines


def to_dot(root, params: Iterable[tuple[str, object]] | None = None, rankdir: str = "LR") -> str:
    """DOT source for root's graph; needs no Graphviz program.

    Pass ``params=model.named_parameters()`` to label parameters and group
    each neuron's nodes in a cluster named after its path.

    >>> from autograd import Value
    >>> print(to_dot(Value(2.0, label="x") * 3))  # doctest: +ELLIPSIS
    digraph {
    rankdir=LR
    ...
    v0_op [shape=ellipse, label="*", width=0.3, height=0.3, margin=0.02]
    ...
    """
    return "\n".join(["digraph {", f"rankdir={rankdir}", *_body(root, params), "}"])


class GraphDrawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose rendering explains a missing ``dot``."""

    def pipe(self, *args, **kwargs):
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotInstalled() from None

    def render(self, *args, **kwargs):
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotInstalled() from None


def draw_graph(
    root,
    rankdir: str = "LR",
    params: Iterable[tuple[str, object]] | None = None,
    format: str = "svg",
) -> GraphDrawing:
    """root's graph as a ``graphviz.Digraph``: ``.render("loss")`` writes
    ``loss.svg``, and Jupyter displays it. Rendering needs ``dot``.

    >>> from autograd import Value
    >>> g = draw_graph(Value(1.0).exp())
    >>> g.source.count("->")
    2
    """
    drawing = GraphDrawing(format=format, graph_attr={"rankdir": rankdir})
    drawing.body.extend(line + "\n" for line in _body(root, params))
    return drawing
