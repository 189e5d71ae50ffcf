"""``to_dot``: a graph as DOT text, which needs no Graphviz program.

Every Value becomes a small table ``name | data | grad``; every op a small
ellipse between its inputs and its result; every constant a small grey box.
Leaves you pass in are blue, parameters gold, intermediates white, and a nan
or inf anywhere is red. A node's name is its label, else its parameter name,
else ``v3``: its position in ``topological_order(root)``, the name
``backward_steps`` gives it too. Edges into an op whose operands do not
commute say which operand they are: ``a``/``b`` for ``-``, ``/``, ``**``,
``w0``.../``x0``... for ``dot``.

At scale:

- ``max_nodes`` (500 by default) stops a drawing that would be too big to
  read or to render quickly, with an error saying what to do instead.
- ``collapse="neurons"`` (with ``params=model.named_parameters()``) draws
  each neuron as one node (``rows.py``), and an edge between neurons ends at
  the row of the weight it meets; ``collapse="layers"`` draws each layer as
  one node.
- A graph deeper than fits across a page (a 2,000-op chain) wraps into rows
  of ``RANKS_PER_ROW`` ranks that read like lines of text: the inputs start
  the top row, and an edge that wraps runs from a row's end to the next
  row's start.
"""

from __future__ import annotations

from autograd.core.value import Value
from autograd.views.groups import Group, owner
from autograd.views.labels import COLORS, finite, number, row, table, text
from autograd.views.plan import (
    MAX_NODES,
    Collapse,
    NamedParams,
    Plan,
    Rankdir,
    checked_plan,
)
from autograd.views.rows import group_node

# A rank across the page (LR) holds a table ~150 pt wide, a rank down the
# page one ~40 pt tall: 40 ranks make a row ~5,000 pt wide, 150 a column
# ~6,000 pt tall.
RANKS_PER_ROW = {"LR": 40, "RL": 40, "TB": 150, "BT": 150}
# Placing the nodes of a wrapped (long) drawing is most of dot's time: cap
# its iterations at this multiple of the node count (rows stay straight).
WRAPPED_NSLIMIT = 0.2
COMMUTATIVE = frozenset({"+", "*", "sum"})


def dot_lines(plan: Plan, rankdir: str) -> list[str]:
    """The statements inside ``digraph { ... }`` for a checked plan."""
    layout = _Layout(plan, rankdir)
    if plan.collapse:
        layout.add_groups()
    for node in plan.order:
        if plan.collapse and node in plan.group_of:
            layout.add_edges_into_group(node)
        else:
            layout.add_value(node, None if plan.collapse else plan.group_of.get(node))
    return layout.lines()


class _Layout:
    """A drawing's statements, each in the row its rank falls in (a deep
    graph wraps into rows) and in its group's cluster; edges come last,
    outside every cluster, as an edge inside a cluster would pull both its
    ends in."""

    def __init__(self, plan: Plan, rankdir: str) -> None:
        self.plan = plan
        self.rankdir = rankdir
        depth = _depths(plan.order)
        self.rank: dict[str, int] = {}  # DOT id -> rank; a group's is its deepest node's
        for node, d in depth.items():
            self.rank[plan.ids[node]] = max(self.rank.get(plan.ids[node], 0), d)
        self.per_row = RANKS_PER_ROW[rankdir]
        self.wraps = max(depth.values()) >= self.per_row
        self.statements: dict[tuple[int, Group | None], list[str]] = {}
        self.edges: list[str] = []
        self.drawn_edges: set[str] = set()  # into collapsed groups: once for all samples
        # An input of a collapsed neuron's dot ends at the row of its weight.
        self.weight_ports: dict[Value | float | None, str] = {}
        if plan.collapse == "neurons":
            for group in plan.groups:
                self.weight_ports.update((p, f":p{k}") for k, (_, p) in enumerate(group.parameters))

    def place(self, dot_id: str, group: Group | None, statement: str) -> None:
        self.statements.setdefault((self.rank[dot_id] // self.per_row, group), []).append(statement)

    def edge(self, src: str, dst: str, operand: str = "", port: str = "") -> str:
        wrapped = self.wraps and self.rank[src] // self.per_row != self.rank[dst] // self.per_row
        attrs = [f"label=<{operand}>"] * bool(operand) + ["constraint=false"] * wrapped
        return f"{src} -> {dst}{port}" + (f" [{', '.join(attrs)}]" if attrs else "")

    def add_groups(self) -> None:
        assert self.plan.collapse is not None  # only collapsed drawings draw groups as nodes
        for k, group in enumerate(self.plan.groups):
            self.place(f"m{k}", None, group_node(group, f"m{k}", self.plan.collapse))

    def add_edges_into_group(self, node: Value) -> None:
        """The edges from outside a collapsed group into it; its constants
        and its inner edges are not drawn."""
        gid = self.plan.ids[node]
        for k, x in enumerate(node.inputs):
            if not isinstance(x, Value) or self.plan.ids[x] == gid:
                continue
            into = self.edge(
                self.plan.ids[x], gid, port=self.weight_ports.get(_weight_of(node, k), "")
            )
            if into not in self.drawn_edges:
                self.drawn_edges.add(into)
                self.edges.append(into)

    def add_value(self, node: Value, cluster: Group | None) -> None:
        """A Value's table, and for a result its op's ellipse, its constants
        and the edges into the op and out of it."""
        vid = self.plan.ids[node]
        self.place(vid, cluster, _value_node(self.plan, node, vid))
        if not node.inputs:
            return
        op = f"{vid}_op"
        self.rank[op] = self.rank[vid] - 1
        self.place(
            op,
            cluster,
            f"{op} [shape=ellipse, label=<{text(node.op)}>, width=0.3, height=0.3, margin=0.02]",
        )
        self.edges.append(self.edge(op, vid))
        for k, (x, operand) in enumerate(zip(node.inputs, _operand_names(node))):
            if isinstance(x, Value):
                self.edges.append(self.edge(self.plan.ids[x], op, operand))
            else:
                constant = f"{vid}_c{k}"
                self.rank[constant] = self.rank[op]  # kept in its op's row
                self.place(constant, cluster, _constant_node(constant, x))
                self.edges.append(self.edge(constant, op, operand))

    def lines(self) -> list[str]:
        lines = [
            f'graph [rankdir={self.rankdir}, fontname="Helvetica", fontsize=10'
            + (f", nslimit={WRAPPED_NSLIMIT}]" if self.wraps else "]"),
            'node [shape=plain, fontname="Helvetica", fontsize=10]',
            'edge [fontname="Helvetica", fontsize=8, arrowsize=0.6]',
        ]
        for row_number in sorted({r for r, _ in self.statements}):
            in_row = self.statements.get((row_number, None), []) + _clusters(
                self.plan.groups,
                {
                    g: s
                    for (r, g), s in self.statements.items()
                    if r == row_number and g is not None
                },
                f"cluster_{row_number}_" if self.wraps else "cluster_",
            )
            # A row's own invisible cluster keeps its nodes apart from other
            # rows', so rows read like lines of text.
            lines += (
                [f"subgraph cluster_row{row_number} {{", "style=invis", *in_row, "}"]
                if self.wraps
                else in_row
            )
        return lines + self.edges


def _value_node(plan: Plan, node: Value, vid: str) -> str:
    name = plan.names.get(node)
    if node.label:
        title = text(node.label)
    elif name is not None:
        title = f'{text(name)} <FONT COLOR="#777777" POINT-SIZE="8">{vid}</FONT>'
    else:
        title = vid
    kind = (
        "non-finite"
        if not finite(node)
        else "parameter"
        if name is not None
        else "input"
        if not node.inputs
        else "intermediate"
    )
    cells = (title, f"data {number(node.data)}", f"grad {number(float(node.grad))}")
    return f"{vid} [label={table([row(*cells)], COLORS[kind])}]"


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


def _depths(order: list[Value]) -> dict[Value, int]:
    """Each Value's rank in the drawing if nothing wrapped: leaves at 0, a
    result two ranks (its op ellipse, then itself) past its deepest input."""
    depth: dict[Value, int] = {}
    for node in reversed(order):  # inputs first
        inputs = [depth[x] for x in node.inputs if isinstance(x, Value)]
        depth[node] = max(inputs, default=-2) + 2 if node.inputs else 0
    return depth


def _weight_of(node: Value, k: int) -> Value | float | None:
    """The weight that input k of a ``dot`` node is multiplied by, if any."""
    half = len(node.inputs) // 2
    return node.inputs[k - half] if node.op == "dot" and k >= half else None


def _constant_node(cid: str, x: float) -> str:
    return (
        f'{cid} [shape=box, style="rounded,filled", fillcolor="{COLORS["constant"]}", '
        f'fontsize=8, width=0, height=0, margin="0.04,0.02", label=<{text(number(x))}>]'
    )


def _clusters(groups: list[Group], lines: dict[Group, list[str]], prefix: str) -> list[str]:
    """Each group's nodes in a cluster labelled with its path, nested as the
    paths are (``layers.0`` holds ``layers.0.neurons.1``), in params order."""
    children: dict[str, list[str]] = {}
    content: dict[str, list[str]] = {}
    seen = {""}
    for group in groups:
        if group not in lines:
            continue
        path = group.path
        content[path] = lines[group]
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
        result.append(f'label=<{text(path)}>; style="rounded,dashed"; color="#999999"')
        result += content.get(path, [])
        k += 1
        stack.append(None)
        stack.extend(reversed(children.get(path, [])))
    return result


def to_dot(
    root: Value,
    *,
    params: NamedParams = None,
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

    Examples:
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
    plan = checked_plan(root, params, collapse, max_nodes, rankdir)
    return "\n".join(["digraph {", *dot_lines(plan, rankdir), "}"])
