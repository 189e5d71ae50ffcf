"""Whole generated functions around a body: one call (``single``), a loop
over a batch (``batch``), a batch as numpy arrays (``numpy_batch``) and a
training loop (``train``): their signatures, how they unpack parameters,
gradients and arguments, and what they return."""

from __future__ import annotations

from autograd.compile.body import BodyWriter
from autograd.compile.lines import indented, rows, wrapped
from autograd.compile.program import Program
from autograd.compile.unpacking import Unpacking
from autograd.core.value import Value


class Functions:
    def __init__(self, program: Program) -> None:
        self.program = program
        self.graph = program.graph
        self.names = program.names
        self.writer = BodyWriter(program)
        self.unpack = Unpacking(program)

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
            *indented(
                self.unpack.params_lines()
                + self.unpack.grads_lines()
                + self.unpack.arguments_lines()
                + body
            ),
            *indented(self.unpack.return_lines(reached)),
        ]
        return "\n".join(lines) + "\n", reached

    def batch(self, name: str) -> str:
        """``name(params, samples, seed) -> (summed loss, summed gradients)``:
        one loop, parameter gradients summed in locals. Each sample's loss
        has gradient ``seed``: 1.0 for the sum, 1.0 / n for the mean, as the
        engine passes it back from ``total / n``."""
        body, reached = self.writer.body(accumulate_params=True, loop=True, seed="seed")
        # The sums start from -0.0, the identity of +: a .grad of None then
        # takes the contributions as they are, as the engine does, signed zeros too.
        start = [*self.zero_lines(reached, "-0.0"), "total_loss = 0.0"]
        start += self.finite_lines(body, "params")
        lines = [
            f"def {name}(params, samples, seed):",
            *indented(
                self.unpack.sample_variables_lines(reached, 3) + self.unpack.params_lines() + start
            ),
            *indented([self.loop_line(), *indented(self.unpack.arguments_lines() + body)]),
            *indented(wrapped(self.unpack.gradient_list(reached), "return total_loss, [", "]")),
        ]
        return "\n".join(lines) + "\n"

    def train(self, name: str) -> str:
        """``name(params, samples, steps, lr, seed) -> (loss, weights,
        gradients)``: ``steps`` times, the batch loop (``seed`` as in
        ``batch``) from zeroed gradients, then ``p.data -= lr * p.grad``, the
        weights in local variables throughout. It returns the last
        iteration's summed loss and gradients."""
        body, reached = self.writer.body(accumulate_params=True, loop=True, seed="seed")
        params = [p for p in self.graph.params if p in reached]
        names = [self.names[p] for p in params]
        per_step = [
            "# zero the gradients, then the batch loop",
            *self.zero_lines(reached, "0.0"),
            "total_loss = 0.0",
            *self.finite_lines(body, f"({', '.join(names)},)"),
            self.loop_line(),
            *indented(self.unpack.arguments_lines() + body),
            "# SGD: p.data -= lr * p.grad",
            *[f"{n} -= lr * d_{n}" for n in names],
        ]
        lines = [
            f"def {name}(params, samples, steps, lr, seed):",
            *indented(self.unpack.sample_variables_lines(reached, 5) + self.unpack.params_lines()),
            "    for iteration in range(steps):",
            *indented(indented(per_step)),
            *indented(wrapped([self.names[p] for p in self.graph.params], "weights = [", "]")),
            *indented(
                wrapped(self.unpack.gradient_list(reached), "return total_loss, weights, [", "]")
            ),
        ]
        return "\n".join(lines) + "\n"

    def numpy_batch(self, name: str) -> str:
        """``name(params, samples, seed) -> (summed loss, summed gradients)``
        with every per-sample value an array over the batch (``seed`` as in
        ``batch``)."""
        body, _ = self.writer.body(accumulate_params=False, seed="full(batch_size, seed)")
        leaves = [self.names[leaf] for leaf in self.graph.argument_leaves()]
        columns = []
        if leaves:
            row, target = f"({', '.join(leaves)},)", self.unpack.sample_target()
            columns = [
                f"columns = array([{row} for {target} in samples], dtype=float)",
                *wrapped(leaves, "(", ",) = columns.T"),
            ]
        root = self.names[self.graph.root]
        per_sample = self.graph.root in self.program.analysis.per_sample
        loss = f"total({root})" if per_sample else f"batch_size * {root}"
        start = ["batch_size = len(samples)", "P = array(params)", "G = full(len(params), -0.0)"]
        lines = [
            f"def {name}(params, samples, seed):",
            *indented(self.unpack.params_lines() + start + columns + body),
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
