"""How a generated function takes its inputs apart and hands its results
back: the parameters, their gradients and the arguments unpacked into
variables (a wide dot's run kept as a slice), each sample's variables named
first in a loop, and the returned gradients in ``params`` order."""

from __future__ import annotations

from autograd.compile.graph import Structure
from autograd.compile.lines import LINE_LENGTH, indented, rows, wrapped
from autograd.compile.program import Program
from autograd.core.value import Value

FAST_LOCALS = 256
"""Python numbers a function's variables in order of appearance, and from
the 257th on each use costs an extra instruction (``EXTENDED_ARG``, after
which 3.11 runs the instruction unspecialized). The loops name each
sample's variables before the parameters, so the most used are fast."""


class Unpacking:
    def __init__(self, program: Program) -> None:
        self.program = program
        self.graph = program.graph
        self.names = program.names

    def gradient_list(self, reached: set[Value]) -> list[str]:
        return [f"d_{self.names[p]}" if p in reached else "0.0" for p in self.graph.params]

    def return_lines(self, reached: set[Value]) -> list[str]:
        """``return loss, [d_a, d_b, ...]``, in params order; a wide dot's
        gradients join as their list."""
        loss = self.names[self.graph.root]
        if self.graph.root in self.program.analysis.arguments:  # as the engine: a float
            loss = f"float({loss})"
        names = [f"d_{self.names[p]}" for p in self.graph.params]
        wide = self.program.wide
        if not wide:
            return wrapped(names, f"return {loss}, [", "]")
        parts = []
        for start, end, named in wide.segments():
            if named:
                parts.extend(wrapped(names[start:end], "[", "]"))
            else:
                parts.append(f"d_params_{start}_{end}")
        if len(parts) == 1:
            return [f"return {loss}, {parts[0]}"]
        return [
            f"return {loss}, (",
            *indented([f"{part} +" for part in parts[:-1]] + parts[-1:]),
            ")",
        ]

    def params_lines(self) -> list[str]:
        """The parameters unpacked into their variables (a wide dot's run is
        read as a slice of ``params`` instead)."""
        return self._unpacked("params", "", "# parameters, in order")

    def grads_lines(self) -> list[str]:
        return self._unpacked("grads", "d_", "# their gradients so far")

    def _unpacked(self, source: str, prefix: str, comment: str) -> list[str]:
        params = self.graph.params
        if not params:
            return []
        wide = self.program.wide
        if not wide:
            names = [prefix + self.names[p] for p in params]
            one_line = f"{', '.join(names)}{',' if len(names) == 1 else ''} = {source}"
            if len(one_line) <= LINE_LENGTH:
                return [comment, one_line]
            return [comment, *wrapped(names, "(", f",) = {source}")]
        lines = [comment]
        for start, end, named in wide.segments():
            if named:
                names = [prefix + self.names[p] for p in params[start:end]]
                lines.extend(wrapped(names, "(", f",) = {source}[{start}:{end}]"))
        return lines if len(lines) > 1 else []

    def arguments_lines(self) -> list[str]:
        """Each argument unpacked into its leaves' variables. They are used as
        given: ints and floats compute alike wherever a float meets them, and
        an op on arguments alone converts them first (see ``operands``)."""
        wide = self.program.wide
        lines = ["# arguments"] if self.graph.arguments else []
        for argument in self.graph.arguments:
            if wide and argument.name in wide.arguments:
                continue  # read whole by a wide dot
            lists = {argument.name: argument.name, **self.names.lists}
            for path, children in argument.containers():
                targets = [
                    self.names[c] if isinstance(c, Value) else lists[f"{path}_{i}"]
                    for i, c in enumerate(children)
                ]
                unpacked = targets[0] + "," if len(targets) == 1 else ", ".join(targets)
                lines.append(f"{unpacked} = {lists[path]}")
        return lines if len(lines) > 1 else []

    def sample_target(self) -> str:
        """The loop target that takes one sample apart: ``(x_0, x_1), y``."""
        parts = [self._structure_text(a.structure) for a in self.graph.arguments]
        return f"({', '.join(parts)},)" if len(parts) == 1 else f"({', '.join(parts)})"

    def _structure_text(self, item: Structure) -> str:
        if isinstance(item, Value):
            return self.names[item]
        return f"({', '.join(self._structure_text(x) for x in item)},)"

    def sample_variables_lines(self, seen: set[Value], parameters: int) -> list[str]:
        """Each sample's variables named first (see FAST_LOCALS), after the
        function's ``parameters``, those read by the most nodes (and their
        gradients) first. None, not a number: a read before the loop assigns
        it would fail (and the batch fall back), not compute on."""
        uses = self.program.analysis.uses
        wide = self.program.wide
        leaves = [
            leaf
            for a in self.graph.arguments
            if not (wide and a.name in wide.arguments)
            for leaf, _ in a.leaves()
        ]
        variables = [(self.names[n], uses.get(n, 0)) for n in leaves + self.graph.forward]
        variables += [
            (f"d_{self.names[n]}", uses.get(n, 0)) for n in self.graph.forward if n in seen
        ]
        variables.sort(key=lambda v: -v[1])
        chosen = [name for name, _ in variables[: FAST_LOCALS - parameters]]
        if not chosen:
            return []
        return [
            "# each sample's variables, named first: Python reads a function's first 256 faster",
            *[f"{row} = None" for row in rows(chosen, " = ")],
        ]
