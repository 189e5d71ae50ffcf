"""What the code writer must know of a graph before writing a line: which
values change from sample to sample, which lead to a parameter (only those
get a gradient: an argument's gradient, which the engine computes, is read
by no one), and how often each value is read."""

from __future__ import annotations

from autograd.compile.graph import Graph
from autograd.core.value import Value


class Analysis:
    def __init__(self, graph: Graph) -> None:
        self.arguments: set[Value | float] = set(graph.argument_leaves())
        self.param_index = {p: i for i, p in enumerate(graph.params)}
        self.per_sample: set[Value | float] = set(self.arguments)
        self.uses: dict[Value | float, int] = {}
        for node in graph.forward:
            inputs = graph.computed_from(node)
            for x in inputs:
                self.uses[x] = self.uses.get(x, 0) + 1
            if any(type(x) is not float and x in self.per_sample for x in inputs):
                self.per_sample.add(node)
        # Gradients flow along recorded edges only: a detached value has none.
        self.leads_to_params: set[Value | float] = set(graph.params)
        for node in graph.forward:
            if any(type(x) is not float and x in self.leads_to_params for x in node.inputs):
                self.leads_to_params.add(node)
