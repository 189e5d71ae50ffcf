"""Whole generated functions around a body: one call (``single``), a loop
over a batch (``batch``), a batch as numpy arrays (``numpy_batch``) and a
training loop (``train``): their signatures, how they unpack parameters,
gradients and arguments, and what they return."""

from __future__ import annotations

from autograd.compile.body import BodyWriter
from autograd.compile.graph import Structure
from autograd.compile.lines import LINE_LENGTH, indented, rows, wrapped
from autograd.compile.program import Program
from autograd.core.value import Value

FAST_LOCALS = 256
"""Python numbers a function's variables in order of appearance, and from
the 257th on each use costs an extra instruction (``EXTENDED_ARG``, after
which 3.11 runs the instruction unspecialized). The loops name each
sample's variables before the parameters, so the most used are fast."""


class Functions:
    def __init__(self, program: Program) -> None:
        self.program = program
        self.graph = program.graph
        self.names = program.names
        self.writer = BodyWriter(program)

    # --- the functions ---

    def single(self, name: str) -> tuple[str, set[Value]]:
        """``name(params, grads, *args) -> (loss, gradients)`` for one call:
        each parameter's gradient starts from ``grads`` (its ``.grad``, or -0.0
        for none: -0.0 + g is g) and adds the contributions in the engine's
        order, as ``backward()`` adds into ``.grad``. A wide dot's run (one
        contribution each) returns the contributions alone: the caller adds
        them to the starting values (``WideDots.indices``)."""
        body, reached = self.writer.body(accumulate_params=True)
        signature = ", ".join(["params", "grads", *(a.name for a in self.graph.arguments)])
        lines = [
            f"def {name}({signature}):",
            *indented(self.params_lines() + self.grads_lines() + self.arguments_lines() + body),
            *indented(self.return_lines(reached)),
        ]
        return "\n".join(lines) + "\n", reached

    def batch(self, name: str) -> str:
        """``name(params, samples) -> (summed loss, summed gradients)``: one
        loop, parameter gradients summed in locals."""
        body, reached = self.writer.body(accumulate_params=True, loop=True)
        # The sums start from -0.0, the identity of +: a .grad of None then
        # takes the contributions as they are, as the engine does, signed zeros too.
        start = [*self.zero_lines(reached, "-0.0"), "total_loss = 0.0"]
        start += self.finite_lines(body, "params")
        lines = [
            f"def {name}(params, samples):",
            *indented(self.sample_variables_lines(reached, 2) + self.params_lines() + start),
            *indented([self.loop_line(), *indented(self.arguments_lines() + body)]),
            *indented(wrapped(self.gradient_list(reached), "return total_loss, [", "]")),
        ]
        return "\n".join(lines) + "\n"

    def train(self, name: str, mean: bool) -> str:
        """``name(params, samples, steps, lr, count) -> (loss, weights,
        gradients)``: ``steps`` times, the batch loop from zeroed gradients,
        then ``p.data -= lr * p.grad`` (``p.grad`` the mean over ``count``
        samples when ``mean``), the weights in local variables throughout.
        It returns the last iteration's summed loss and gradients."""
        body, reached = self.writer.body(accumulate_params=True, loop=True)
        params = [p for p in self.graph.params if p in reached]
        names = [self.names[p] for p in params]
        per_step = [
            "# zero the gradients, then the batch loop",
            *self.zero_lines(reached, "0.0"),
            "total_loss = 0.0",
            *self.finite_lines(body, f"({', '.join(names)},)"),
            self.loop_line(),
            *indented(self.arguments_lines() + body),
            f"# SGD: p.data -= lr * p.grad{', the mean over the samples' if mean else ''}",
            *[f"{n} -= lr * (d_{n} / count)" if mean else f"{n} -= lr * d_{n}" for n in names],
        ]
        lines = [
            f"def {name}(params, samples, steps, lr, count):",
            *indented(self.sample_variables_lines(reached, 5) + self.params_lines()),
            "    for iteration in range(steps):",
            *indented(indented(per_step)),
            *indented(wrapped([self.names[p] for p in self.graph.params], "weights = [", "]")),
            *indented(wrapped(self.gradient_list(reached), "return total_loss, weights, [", "]")),
        ]
        return "\n".join(lines) + "\n"

    def numpy_batch(self, name: str) -> str:
        """``name(params, samples) -> (summed loss, summed gradients)`` with
        every per-sample value an array over the batch."""
        body, _ = self.writer.body(accumulate_params=False)
        leaves = [self.names[leaf] for leaf in self.graph.argument_leaves()]
        columns = []
        if leaves:
            row = f"({', '.join(leaves)},)"
            columns = [
                f"columns = array([{row} for {self.sample_target()} in samples], dtype=float)",
                *wrapped(leaves, "(", ",) = columns.T"),
            ]
        root = self.names[self.graph.root]
        per_sample = self.graph.root in self.program.analysis.per_sample
        loss = f"total({root})" if per_sample else f"batch_size * {root}"
        start = ["batch_size = len(samples)", "P = array(params)", "G = full(len(params), -0.0)"]
        lines = [
            f"def {name}(params, samples):",
            *indented(self.params_lines() + start + columns + body),
            f"    return {loss}, G.tolist()",
        ]
        return "\n".join(lines) + "\n"

    # --- pieces ---

    def zero_lines(self, reached: set[Value], zero: str) -> list[str]:
        gradients = [f"d_{self.names[p]}" for p in self.graph.params if p in reached]
        return [f"{row} = {zero}" for row in rows(gradients, " = ")] if gradients else []

    def finite_lines(self, body: list[str], params: str) -> list[str]:
        """``params_finite``, where the body's skips read it."""
        if not any("params_finite" in line for line in body):
            return []
        return [f"params_finite = isfinite(sum({params}, 0.0))"]

    def loop_line(self) -> str:
        names = [a.name for a in self.graph.arguments]
        return f"for {names[0] + ',' if len(names) == 1 else ', '.join(names) or '()'} in samples:"

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
            for path, children in argument.containers():
                targets = [
                    self.names[c] if isinstance(c, Value) else f"{path}_{i}"
                    for i, c in enumerate(children)
                ]
                unpacked = targets[0] + "," if len(targets) == 1 else ", ".join(targets)
                lines.append(f"{unpacked} = {path}")
            leaf = argument.structure
            if isinstance(leaf, Value) and self.names[leaf] != argument.name:
                lines.append(f"{self.names[leaf]} = {argument.name}")
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
