"""``Program``: one recorded graph, ready to be written in one dialect: its
analysis, its variables' names, the dots written whole, the custom ops'
functions and numpy's index tables. ``functions.py`` writes the functions
themselves (one call, a batch loop, a numpy batch, a training loop)."""

from __future__ import annotations

from collections.abc import Callable

from autograd.compile.analysis import Analysis
from autograd.compile.dialects import NUMPY, PYTHON, Dialect
from autograd.compile.dots import DotGroups, WideDots
from autograd.compile.graph import Graph, NotCompilable
from autograd.compile.names import Names, identifier
from autograd.core.ops import Op
from autograd.core.value import Value


class Program:
    def __init__(self, graph: Graph, dialect: Dialect = PYTHON) -> None:
        self.graph = graph
        self.dialect = dialect
        self.analysis = Analysis(graph)
        self.names = _names(graph)
        self.custom: dict[str, Callable[..., object]] = {}  # custom ops' forwards and rules
        self.wide = WideDots(graph, self.analysis) if dialect is PYTHON else None
        self.groups = DotGroups(graph, self.analysis) if dialect is NUMPY else None

    @property
    def constants(self) -> dict[str, object]:
        """Tables the numpy code reads (made into arrays when it is compiled)."""
        return self.groups.constants if self.groups else {}

    def custom_function(self, op: Op, role: str) -> str:
        """The name the code calls ``op``'s forward or backward by."""
        base = identifier(str(op)) or "custom_op"
        function = getattr(op, role)
        for name, known in self.custom.items():
            if known is function and name.startswith(f"{base}_{role}"):
                return name
        if self.dialect is NUMPY:
            raise NotCompilable(f"op {str(op)!r} has no numpy template")
        name = f"{base}_{role}"
        k = 1
        while name in self.custom or name in self.names.taken:
            k += 1
            name = f"{base}_{role}_{k}"
        self.custom[name] = function
        return name


def _names(graph: Graph) -> Names:
    """Every value's variable, claimed in the order a reader meets them: the
    arguments (each argument's own name first: it is a parameter of the
    generated function), their nested lists and numbers, the parameters,
    then each computed value."""
    names = Names([a.name for a in graph.arguments])
    for argument in graph.arguments:
        if isinstance(argument.structure, Value):
            names.of[argument.structure] = argument.name
            continue
        for path, _ in argument.containers()[1:]:  # the outermost list is the argument
            names.claim_list(path)
        for leaf, path in argument.leaves():
            names.claim(leaf, path)
    for k, (p, name) in enumerate(zip(graph.params, graph.param_names, strict=True)):
        fallback = f"v{graph.numbering[p]}" if p in graph.numbering else f"param_{k}"
        names.claim(p, name or p.label, fallback)
    for node in graph.forward:
        wanted = "loss" if node is graph.root and not node.label else node.label
        names.claim(node, wanted, f"v{graph.numbering[node]}")
    return names
