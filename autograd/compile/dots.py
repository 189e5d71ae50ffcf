"""Dots written other than one term at a time.

``WideDots`` (plain Python): a dot of ``WIDE`` or more pairs whose weights
are a run of parameters used nowhere else, over every number of one list
argument, is written with lists (``sum(map(mul, params[i:j], x), 0.0)``,
dot_float's own expression): a line per pair would be 300,000 lines to
compile.

``DotGroups`` (numpy): dots with parameter weights over the same per-sample
inputs (the neurons of a layer) become one matrix product over the batch.
"""

from __future__ import annotations

from collections.abc import Callable

from autograd.compile.analysis import Analysis
from autograd.compile.graph import Graph
from autograd.compile.names import Names
from autograd.compile.templates import is_dot
from autograd.core.value import Value

WIDE = 256  # pairs from which a dot over a parameter run and a list argument uses lists


class WideDots:
    def __init__(self, graph: Graph, analysis: Analysis) -> None:
        self.params = graph.params
        self.at: dict[Value, tuple[int, int, str]] = {}  # dot -> (start, end, list argument)
        self.arguments: set[str] = set()
        lists: dict[tuple[object, ...], str] = {
            tuple(a.structure): a.name
            for a in graph.arguments
            if isinstance(a.structure, list) and all(isinstance(x, Value) for x in a.structure)
        }
        uses = analysis.uses
        for node in graph.forward:
            half = len(node.inputs) // 2
            if half < WIDE or not is_dot(node.op):  # type: ignore[arg-type]  # a node's Op
                continue
            ws, xs = node.inputs[:half], node.inputs[half:]
            first = analysis.param_index.get(ws[0])  # type: ignore[arg-type]
            argument = lists.get(xs)
            if first is None or argument is None or argument in self.arguments:
                continue
            run = graph.params[first : first + half]
            if list(ws) == run and all(uses[w] == 1 for w in ws) and all(uses[x] == 1 for x in xs):
                self.at[node] = (first, first + half, argument)
                self.arguments.add(argument)

    def __bool__(self) -> bool:
        return bool(self.at)

    def forward_line(self, node: Value, name: str) -> str:
        start, end, argument = self.at[node]
        return (
            f"{name} = sum(map(mul, {_run(start, end, len(self.params))}, {argument}), 0.0)  # dot"
        )

    def gradient_line(self, node: Value, name: str) -> str:
        start, end, argument = self.at[node]
        # map with a C function, as dot_backward's g * x for every x, in order
        return f"d_params_{start}_{end} = list(map(mul, repeat(d_{name}), {argument}))  # dot"

    def indices(self) -> list[int]:
        """The parameters whose gradients a wide dot returns as its list."""
        return [i for start, end, _ in self.at.values() for i in range(start, end)]

    def segments(self) -> list[tuple[int, int, bool]]:
        """``params`` cut into runs: (start, end, True) for named parameters,
        (start, end, False) for a wide dot's run."""
        cuts = sorted((start, end) for start, end, _ in self.at.values())
        segments, at = [], 0
        for start, end in cuts:
            if at < start:
                segments.append((at, start, True))
            segments.append((start, end, False))
            at = end
        if at < len(self.params):
            segments.append((at, len(self.params), True))
        return segments


def _run(start: int, end: int, count: int) -> str:
    """``params[start:end]``, or ``params`` itself when that is all of it."""
    return "params" if (start, end) == (0, count) else f"params[{start}:{end}]"


class DotGroups:
    def __init__(self, graph: Graph, analysis: Analysis) -> None:
        self.analysis = analysis
        self.groups: list[list[Value]] = []
        self.of: dict[Value, list[Value]] = {}
        self.constants: dict[str, object] = {}  # index tables the code reads
        by_inputs: dict[tuple[Value | float, ...], list[Value]] = {}
        for node in graph.forward:
            if not node.inputs or not is_dot(node.op):  # type: ignore[arg-type]  # a node's Op
                continue
            half = len(node.inputs) // 2
            ws, xs = node.inputs[:half], node.inputs[half:]
            index = analysis.param_index
            if all(w in index for w in ws) and all(x in analysis.per_sample for x in xs):
                by_inputs.setdefault(xs, []).append(node)
        # Members in walk order, so the last one the walk reaches closes the group.
        position = {node: i for i, node in enumerate(graph.walk)}
        for members in by_inputs.values():
            members.sort(key=lambda n: position.get(n, -1))
            self.groups.append(members)
            for node in members:
                self.of[node] = members

    def _index(self, group: list[Value]) -> list[list[int]]:
        half = len(group[0].inputs) // 2
        return [[self.analysis.param_index[w] for w in node.inputs[:half]] for node in group]  # type: ignore[index]

    def forward_lines(self, group: list[Value], names: Names) -> list[str]:
        k = self.groups.index(group)
        first = group[0]
        half = len(first.inputs) // 2
        xs = ", ".join(names[x] for x in first.inputs[half:])  # type: ignore[index]
        self.constants[f"W_{k}_INDEX"] = self._index(group)
        return [
            f"# dot of {len(group)} nodes over the same inputs, as one matrix product",
            f"X_{k} = array(({xs},))",
            f"W_{k} = P[W_{k}_INDEX]  # their weights, a {len(group)} x {half} matrix",
            f"{', '.join(names[node] for node in group)}, = W_{k} @ X_{k}",
        ]

    def gradient_lines(
        self,
        group: list[Value],
        names: Names,
        seen: set[Value],
        accumulation: Callable[[Value, str, bool], str],
    ) -> list[str]:
        k = self.groups.index(group)
        first = group[0]
        half = len(first.inputs) // 2
        grads = ", ".join(f"d_{names[n]}" if n in seen else "zeros(batch_size)" for n in group)
        flat = [i for row in self._index(group) for i in row]
        add = f"G[W_{k}_INDEX] += " if len(set(flat)) == len(flat) else f"add_at(G, W_{k}_INDEX, "
        lines = [
            f"D_{k} = array(({grads},))",
            f"{add}D_{k} @ X_{k}.T{'' if add.startswith('G') else ')'}",
        ]
        leads = self.analysis.leads_to_params
        if any(x in leads for x in first.inputs[half:]):
            lines.append(f"dX_{k} = W_{k}.T @ D_{k}")
        for i, x in enumerate(first.inputs[half:]):
            if x in leads:
                lines.append(accumulation(x, f"dX_{k}[{i}]", x in seen))  # type: ignore[arg-type]
                seen.add(x)  # type: ignore[arg-type]
        return lines
