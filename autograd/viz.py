"""Drawing graphs: ``to_dot`` (pure DOT text) and ``draw_graph`` (graphviz).

Every Value becomes a small table ``name | data | grad``; every op a small
ellipse between its inputs and its result; every constant a small grey box.
Leaves you pass in are blue, parameters gold, intermediates white, and a nan
or inf anywhere is red. A node's name is its label, else its parameter name,
else ``v3``: its position in ``topological_order(root)``, the name
``backward_steps`` gives it too. Edges into an op whose operands do not
commute say which operand they are: ``a``/``b`` for ``-``, ``/``, ``**``,
``w0``.../``x0``... for ``dot``.

Every text is data: labels go into DOT as escaped HTML-like labels (line
breaks included), and nothing a user passes is pasted into DOT otherwise.

At scale:

- ``max_nodes`` (500 by default) stops a drawing that would be too big to
  read or to render quickly, with an error saying what to do instead.
- ``collapse="neurons"`` (with ``params=model.named_parameters()``) draws
  each neuron as one node: a table headed by its path (``layers.0.neurons.1``)
  with its weights and bias (data and grad), then one row per sample with its
  pre-activation ``z`` and activation (data and grad). A batch runs every
  neuron once per sample, so a neuron stands for all of its samples' nodes;
  the first ``SAMPLES_SHOWN`` samples get a row each and a last row counts
  the others, so a node stays small however big the batch. An edge between
  neurons ends at the row of the weight it meets.
  ``collapse="layers"`` draws each layer as one node: how many parameters and
  outputs it has, and the range of their data and grads.
- A graph deeper than fits across a page (a 2,000-op chain) wraps into rows
  of ``RANKS_PER_ROW`` ranks that read like lines of text: the inputs start
  the top row, and an edge that wraps runs from a row's end to the next
  row's start.

DOT node ids are stable, never ``id()``; ``node_ids`` documents them.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import graphviz  # type: ignore[import-untyped]  # graphviz ships no type hints

from autograd.collapse import LEVELS, Module, find_modules, owner
from autograd.engine import topological_order
from autograd.value import Value

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
    "constant": "#eeeeee",
}

RANKDIRS = ("TB", "LR", "BT", "RL")
Rankdir: TypeAlias = Literal["TB", "LR", "BT", "RL"]
Collapse: TypeAlias = Literal["neurons", "layers"]
MAX_NODES = 500
SAMPLES_SHOWN = 4
# A rank across the page (LR) holds a table ~150 pt wide, a rank down the
# page one ~40 pt tall: 40 ranks make a row ~5,000 pt wide, 150 a column
# ~6,000 pt tall.
RANKS_PER_ROW = {"LR": 40, "RL": 40, "TB": 150, "BT": 150}
# Placing the nodes of a wrapped (long) drawing is most of dot's time: cap
# its iterations at this multiple of the node count (rows stay straight).
WRAPPED_NSLIMIT = 0.2
COMMUTATIVE = frozenset({"+", "*", "sum"})

Params = Iterable[tuple[str, Value]] | None


class GraphvizNotInstalled(graphviz.ExecutableNotFound):  # type: ignore[misc]  # untyped base
    """``dot`` is missing; the message says how to install it."""

    def __init__(self) -> None:
        RuntimeError.__init__(self, INSTALL_HINT)


class GraphTooLarge(ValueError):
    """A drawing would have more nodes than ``max_nodes``."""


# --- text -------------------------------------------------------------------

# Characters XML cannot hold (graphviz parses HTML-like labels as XML): C0
# controls become their Unicode control pictures, the rest U+FFFD.
_UNPRINTABLE = {
    **{c: 0x2400 + c for c in range(0x20)},
    0x7F: 0x2421,
    **{c: 0xFFFD for c in range(0xD800, 0xE000)},
    0xFFFE: 0xFFFD,
    0xFFFF: 0xFFFD,
}


def _html(text: str) -> str:
    """Any text as the text of an HTML-like label, line breaks kept.

    Graphviz expands ``\\N`` (the node's id), ``\\G`` and the like even in
    HTML-like labels, and reads ``\\\\`` as one backslash: hence the doubling.
    """
    lines = re.split(r"\r\n|\r|\n", str(text))
    return "<BR/>".join(
        html.escape(line.translate(_UNPRINTABLE)).replace("\\", "\\\\") for line in lines
    )


def _number(x: float) -> str:
    return f"{x:.4g}"


def _table(rows: list[str], color: str) -> str:
    return (
        f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3" '
        f'BGCOLOR="{color}">{"".join(rows)}</TABLE>>'
    )


def _row(*cells: str, span: int = 1, port: str = "") -> str:
    """One table row; ``span`` widens every cell but the first, and ``port``
    names the first for edges to end at."""
    wide = f' COLSPAN="{span}"' if span > 1 else ""
    first, *rest = cells
    named = f' PORT="{port}"' if port else ""
    return f"<TR><TD{named}>{first}</TD>{''.join(f'<TD{wide}>{c}</TD>' for c in rest)}</TR>"


def _heading(text: str, columns: int, color: str) -> str:
    return f'<TR><TD COLSPAN="{columns}" BGCOLOR="{color}"><B>{text}</B></TD></TR>'


def _finite(node: Value) -> bool:
    return math.isfinite(node.data) and math.isfinite(float(node.grad))


def _range(xs: list[float]) -> str:
    return f"{_number(min(xs))} … {_number(max(xs))}" if xs else "none"


# --- which DOT node shows which Value ----------------------------------------


@dataclass
class _Plan:
    """What to draw: the nodes in walk order, each one's DOT id, and the
    modules (neurons or layers) drawn as one node each or as clusters."""

    order: list[Value]
    ids: dict[Value, str]  # every Value -> "v3", or its module's "m2"
    names: dict[Value, str]  # parameter -> its name (relative to its module)
    module_of: dict[Value, Module]
    modules: list[Module]  # in params order; module k is DOT node "m{k}"
    collapse: str | None

    def drawn_nodes(self) -> int:
        return len(set(self.ids.values()))


def _plan(root: Value, params: Params, collapse: str | None) -> _Plan:
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value to draw, got {type(root).__name__}")
    if collapse is not None and collapse not in LEVELS:
        raise ValueError(f"collapse must be None, 'neurons' or 'layers', got {collapse!r}")
    named = _named(params)
    if collapse and not named:
        raise ValueError(
            f"collapse={collapse!r} finds the {collapse} from the parameters' names: "
            "pass params=model.named_parameters() too"
        )
    order = topological_order(root)
    module_of = find_modules(root, named, collapse or "neurons")
    modules = list(dict.fromkeys(module_of.values()))
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    if collapse:
        number = {module: f"m{k}" for k, module in enumerate(modules)}
        ids.update((node, number[module]) for node, module in module_of.items() if node in ids)
    names = {p: name for name, p in named}
    for module in modules:
        names.update((p, name) for name, p in module.parameters)
    return _Plan(order, ids, names, module_of, modules, collapse)


def _named(params: Params) -> list[tuple[str, Value]]:
    if params is None:
        return []
    if isinstance(params, (str, bytes)) or not isinstance(params, Iterable):
        raise TypeError(
            f"params must be (name, Value) pairs such as model.named_parameters(), "
            f"got {type(params).__name__}"
        )
    named = list(params)
    for item in named:
        if not (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], Value)
        ):
            raise TypeError(
                f"params must be (name, Value) pairs such as model.named_parameters(), "
                f"found {item!r}"
            )
    return named


def node_ids(
    root: Value, *, params: Params = None, collapse: str | None = None
) -> dict[Value, str]:
    """The DOT node id that shows each Value of root's graph, in the drawing
    ``to_dot``/``draw_graph`` make with the same ``params`` and ``collapse``.

    Ids (graphviz writes each as the ``<title>`` of the node's ``<g
    class="node">`` in SVG, and an edge ``A -> B`` as the title
    ``A&#45;&gt;B``):

    - ``v{i}``: the Value at index i of ``topological_order(root)``; the root
      is ``v0``. ``backward_steps`` calls unlabelled nodes by the same names.
    - ``v{i}_op``: the ellipse of v{i}'s op; edges run ``v{j} -> v{i}_op``
      for each input v{j} and ``v{i}_op -> v{i}``.
    - ``v{i}_c{k}``: the constant that is v{i}'s k-th input (``v{i}_c{k} ->
      v{i}_op``).
    - ``m{k}``: with ``collapse``, the k-th module (neuron or layer) in
      ``params`` order among those root's graph uses, standing for all of
      its Values; its op ellipses and
      constants are not drawn, and an edge into it (``v{j} -> m{k}``,
      ``m{j} -> m{k}``) is drawn once however many samples it carries. With
      ``collapse="neurons"`` an input of a neuron's ``dot`` ends at the row
      of the weight it meets, port ``p{n}`` for the neuron's n-th parameter:
      ``m0 -> m16:p0`` (SVG title ``m0&#45;&gt;m16:p0``). Edges out of a
      module run ``m{k} -> v{i}_op``.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = x * 3
    >>> node_ids(y) == {y: "v0", x: "v1"}
    True
    """
    return _plan(root, params, collapse).ids


# --- DOT ----------------------------------------------------------------------


def _value_node(plan: _Plan, node: Value, vid: str) -> str:
    name = plan.names.get(node)
    if node.label:
        title = _html(node.label)
    elif name is not None:
        title = f'{_html(name)} <FONT COLOR="#777777" POINT-SIZE="8">{vid}</FONT>'
    else:
        title = vid
    kind = (
        "non-finite"
        if not _finite(node)
        else "parameter"
        if name is not None
        else "input"
        if not node.inputs
        else "intermediate"
    )
    cells = (title, f"data {_number(node.data)}", f"grad {_number(float(node.grad))}")
    return f"{vid} [label={_table([_row(*cells)], COLORS[kind])}]"


def _operand_names(node: Value) -> list[str]:
    """What each edge into node's op is labelled: nothing where operands
    commute, else ``a``/``b``, ``w0``.../``x0``... for dot, or ``x0``..."""
    n = len(node.inputs)
    if n < 2 or node.op in COMMUTATIVE:
        return [""] * n
    if node.op == "dot":
        return [f"w{k}" for k in range(n // 2)] + [f"x{k}" for k in range(n // 2)]
    if n == 2:
        return ["a", "b"]
    return [f"x{k}" for k in range(n)]


def _module_node(module: Module, mid: str, level: str) -> str:
    members = [p for _, p in module.parameters] + module.nodes
    color = COLORS["parameter"] if all(map(_finite, members)) else COLORS["non-finite"]
    rows = _neuron_rows(module) if level == "neurons" else _layer_rows(module)
    has_activation = any(a is not None for _, a in module.outputs())
    columns = 5 if level == "neurons" and has_activation else 3
    heading = _heading(_html(module.path), columns, color)
    return f"{mid} [label={_table([heading, *rows], '#ffffff')}]"


def _neuron_rows(module: Module) -> list[str]:
    outputs = module.outputs()
    activation = next((str(a.op) for _, a in outputs if a is not None), "")
    span = 2 if activation else 1
    rows = [
        _row(_html(name), _number(p.data), _number(float(p.grad)), span=span, port=f"p{k}")
        for k, (name, p) in enumerate(module.parameters)
    ]
    header = ["sample", "z", "grad"] + ([_html(activation), "grad"] if activation else [])
    rows.append(_row(*header))
    for k, (z, a) in enumerate(outputs[:SAMPLES_SHOWN]):
        cells = [str(k + 1), _number(z.data), _number(float(z.grad))]
        if activation:
            cells += [_number(a.data), _number(float(a.grad))] if a is not None else ["", ""]
        rows.append(_row(*cells))
    hidden = len(outputs) - SAMPLES_SHOWN
    if hidden > 0:
        columns = 5 if activation else 3
        rows.append(f'<TR><TD COLSPAN="{columns}">… {hidden} more samples</TD></TR>')
    return rows


def _layer_rows(module: Module) -> list[str]:
    params = [p for _, p in module.parameters]
    outputs = [z if a is None else a for z, a in module.outputs()]
    ops = sorted({str(node.op) for node in outputs})
    neurons = len({owner(name) for name, _ in module.parameters})
    return [
        _row(f"{neurons} neuron{'s' * (neurons != 1)}", "data", "grad"),
        _row(
            f"{len(params)} parameters",
            _range([p.data for p in params]),
            _range([float(p.grad) for p in params]),
        ),
        _row(
            f"{len(outputs)} outputs ({_html(', '.join(ops))})",
            _range([node.data for node in outputs]),
            _range([float(node.grad) for node in outputs]),
        ),
    ]


def _depths(order: list[Value]) -> dict[Value, int]:
    """Each Value's rank in the drawing if nothing wrapped: leaves at 0, a
    result two ranks (its op ellipse, then itself) past its deepest input."""
    depth: dict[Value, int] = {}
    for node in reversed(order):  # inputs first
        inputs = [depth[x] for x in node.inputs if isinstance(x, Value)]
        depth[node] = max(inputs, default=-2) + 2 if node.inputs else 0
    return depth


def _body(plan: _Plan, rankdir: str) -> list[str]:
    depth = _depths(plan.order)
    rank: dict[str, int] = {}  # DOT id -> rank; a module's is its deepest node's
    for node, d in depth.items():
        rank[plan.ids[node]] = max(rank.get(plan.ids[node], 0), d)
    per_row = RANKS_PER_ROW[rankdir]
    wraps = max(depth.values()) >= per_row

    def edge(src: str, dst: str, operand: str = "", port: str = "") -> str:
        wrapped = wraps and rank[src] // per_row != rank[dst] // per_row
        attrs = [f"label=<{operand}>"] * bool(operand) + ["constraint=false"] * wrapped
        return f"{src} -> {dst}{port}" + (f" [{', '.join(attrs)}]" if attrs else "")

    # Node statements by (row, module); edges come last, outside every
    # cluster, as an edge inside a cluster would pull both its ends in.
    statements: dict[tuple[int, Module | None], list[str]] = {}
    edges: list[str] = []
    if plan.collapse:
        for k, whole in enumerate(plan.modules):
            mid = f"m{k}"
            statements.setdefault((rank[mid] // per_row, None), []).append(
                _module_node(whole, mid, plan.collapse)
            )
    drawn_into_modules: set[str] = set()
    # An input of a collapsed neuron's dot ends at the row of its weight.
    weight_ports: dict[Value | float | None, str] = {}
    if plan.collapse == "neurons":
        for whole in plan.modules:
            weight_ports.update((p, f":p{k}") for k, (_, p) in enumerate(whole.parameters))
    for node in plan.order:
        vid = plan.ids[node]
        module = plan.module_of.get(node)
        if plan.collapse and module is not None:
            for k, x in enumerate(node.inputs):
                if not isinstance(x, Value) or plan.ids[x] == vid:
                    continue  # a module's constants and its inner edges are not drawn
                into = edge(plan.ids[x], vid, port=weight_ports.get(_weight_of(node, k), ""))
                if into not in drawn_into_modules:
                    drawn_into_modules.add(into)
                    edges.append(into)
            continue
        cluster = None if plan.collapse else module
        row = statements.setdefault((rank[vid] // per_row, cluster), [])
        row.append(_value_node(plan, node, vid))
        if node.inputs:
            op = f"{vid}_op"
            rank[op] = rank[vid] - 1
            row = statements.setdefault((rank[op] // per_row, cluster), [])
            row.append(
                f"{op} [shape=ellipse, label=<{_html(node.op)}>, width=0.3, height=0.3, "
                "margin=0.02]"
            )
            edges.append(edge(op, vid))
            for k, (x, operand) in enumerate(zip(node.inputs, _operand_names(node))):
                if isinstance(x, Value):
                    edges.append(edge(plan.ids[x], op, operand))
                else:
                    constant = f"{vid}_c{k}"
                    rank[constant] = rank[op]  # kept in its op's row
                    row.append(_constant_node(constant, x))
                    edges.append(edge(constant, op, operand))
    lines = [
        f'graph [rankdir={rankdir}, fontname="Helvetica", fontsize=10'
        + (f", nslimit={WRAPPED_NSLIMIT}]" if wraps else "]"),
        'node [shape=plain, fontname="Helvetica", fontsize=10]',
        'edge [fontname="Helvetica", fontsize=8, arrowsize=0.6]',
    ]
    for row_number in sorted({r for r, _ in statements}):
        in_row = statements.get((row_number, None), []) + _clusters(
            plan.modules,
            {m: s for (r, m), s in statements.items() if r == row_number and m is not None},
            f"cluster_{row_number}_" if wraps else "cluster_",
        )
        # A row's own invisible cluster keeps its nodes apart from other
        # rows', so rows read like lines of text.
        lines += (
            [f"subgraph cluster_row{row_number} {{", "style=invis", *in_row, "}"]
            if wraps
            else in_row
        )
    return lines + edges


def _weight_of(node: Value, k: int) -> Value | float | None:
    """The weight that input k of a ``dot`` node is multiplied by, if any."""
    half = len(node.inputs) // 2
    return node.inputs[k - half] if node.op == "dot" and k >= half else None


def _constant_node(cid: str, x: float) -> str:
    return (
        f'{cid} [shape=box, style="rounded,filled", fillcolor="{COLORS["constant"]}", '
        f'fontsize=8, width=0, height=0, margin="0.04,0.02", label=<{_html(_number(x))}>]'
    )


def _clusters(modules: list[Module], lines: dict[Module, list[str]], prefix: str) -> list[str]:
    """Each module's nodes in a cluster labelled with its path, nested as the
    paths are (``layers.0`` holds ``layers.0.neurons.1``), in params order."""
    children: dict[str, list[str]] = {}
    content: dict[str, list[str]] = {}
    seen = {""}
    for module in modules:
        if module not in lines:
            continue
        path = module.path
        content[path] = lines[module]
        while path not in seen:  # hang it, and its owners, under their owners
            seen.add(path)
            children.setdefault(owner(path), []).append(path)
            path = owner(path)
    result: list[str] = []
    stack: list[str | None] = list(reversed(children.get("", [])))
    k = 0
    while stack:
        top = stack.pop()
        if top is None:  # the end of a cluster whose children are written
            result.append("}")
            continue
        path = top
        result.append(f"subgraph {prefix}{k} {{")
        result.append(f'label=<{_html(path)}>; style="rounded,dashed"; color="#999999"')
        result += content.get(path, [])
        k += 1
        stack.append(None)
        stack.extend(reversed(children.get(path, [])))
    return result


# --- the public functions -----------------------------------------------------


def _checked(
    root: Value, params: Params, collapse: str | None, max_nodes: int | None, rankdir: str
) -> _Plan:
    if not (isinstance(rankdir, str) and rankdir in RANKDIRS):
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if max_nodes is not None and (
        isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1
    ):
        raise ValueError(f"max_nodes must be a positive int or None, got {max_nodes!r}")
    plan = _plan(root, params, collapse)
    count = plan.drawn_nodes()
    if max_nodes is not None and count > max_nodes:
        advice = (
            "collapse='layers'"
            if collapse == "neurons"
            else "collapse='neurons' (with params=model.named_parameters())"
        )
        raise GraphTooLarge(
            f"the drawing would have {count:,} nodes, more than max_nodes={max_nodes}: "
            f"pass {advice} to draw each {'layer' if collapse else 'neuron'} as one node, "
            "or max_nodes=None to draw them all"
        )
    return plan


def to_dot(
    root: Value,
    *,
    params: Params = None,
    collapse: Collapse | None = None,
    max_nodes: int | None = MAX_NODES,
    rankdir: Rankdir = "LR",
) -> str:
    """DOT source for root's graph; needs no Graphviz program.

    ``params=model.named_parameters()`` names the parameters and groups each
    neuron's nodes in a cluster named after its path; with it,
    ``collapse="neurons"`` or ``"layers"`` draws each neuron or layer as one
    node. More than ``max_nodes`` nodes to draw is a ``GraphTooLarge``
    (a ValueError); ``max_nodes=None`` draws any size. ``rankdir`` is the
    direction of the arrows: "LR", "TB", "RL" or "BT".

    >>> from autograd import Value
    >>> print(to_dot(Value(2.0, label="x") - 3))  # doctest: +ELLIPSIS
    digraph {
    graph [rankdir=LR, fontname="Helvetica", fontsize=10]
    ...
    v0_op [shape=ellipse, label=<->, width=0.3, height=0.3, margin=0.02]
    ...
    v0_op -> v0
    v1 -> v0_op [label=<a>]
    v0_c1 -> v0_op [label=<b>]
    }
    """
    plan = _checked(root, params, collapse, max_nodes, rankdir)
    return "\n".join(["digraph {", *_body(plan, rankdir), "}"])


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
    params: Params = None,
    collapse: Collapse | None = None,
    max_nodes: int | None = MAX_NODES,
    rankdir: Rankdir = "LR",
    format: str = "svg",
) -> GraphDrawing:
    """root's graph as a ``graphviz.Digraph``: ``.render("loss")`` writes
    ``loss.svg``, and Jupyter displays it. Rendering needs ``dot``. The
    options are ``to_dot``'s, and ``format`` any of ``graphviz.FORMATS``.

    >>> from autograd import Value
    >>> g = draw_graph(Value(1.0).exp())
    >>> g.source.count("->")
    2
    """
    if not (isinstance(format, str) and format in graphviz.FORMATS):
        raise ValueError(f"format must be one of graphviz.FORMATS such as 'svg', got {format!r}")
    plan = _checked(root, params, collapse, max_nodes, rankdir)
    drawing = GraphDrawing(format=format)
    drawing.body.extend(line + "\n" for line in _body(plan, rankdir))
    return drawing


def mimebundle(
    value: Value, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
) -> dict[str, str]:
    """What Jupyter shows for a Value: its graph as SVG when it has at most
    ``MAX_NODES`` nodes and ``dot`` is installed, else a short summary that
    says how to draw it, so displaying a big loss costs one graph walk and
    never a long render. ``include``/``exclude`` filter the MIME types.

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
