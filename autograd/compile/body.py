"""The body of a generated function: the forward pass, the guards as soon
as what they compare is computed, then the backward pass in the engine's
order, one statement per node, each gradient in its own ``d_`` variable."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from autograd.compile.dialects import NUMPY, PYTHON, literal
from autograd.compile.graph import Detached
from autograd.compile.lines import ADDS_AS_SUM, long_sum
from autograd.compile.program import Program
from autograd.compile.skips import dead_relu_exit, unless_zero, worth_skipping
from autograd.compile.templates import Operand, template
from autograd.core.modes import DataRead
from autograd.core.ops import Op
from autograd.core.value import Value


class BodyWriter:
    def __init__(self, program: Program) -> None:
        self.program = program
        self.graph = program.graph
        self.names = program.names
        self.dialect = program.dialect
        self.analysis = program.analysis

    # --- pieces ---

    def operands(self, inputs: tuple[Value | float, ...]) -> list[Operand]:
        """Inputs as the templates see them. Where every input is an
        argument, each is converted with float(): the engine made them
        floats, and on two ints ``-``, ``*`` or ``**`` would compute in ints."""
        if self.dialect is PYTHON and all(x in self.analysis.arguments for x in inputs):
            return [Operand(f"float({self.names[cast(Value, x)]})") for x in inputs]
        return [
            Operand(literal(x), x) if type(x) is float else Operand(self.names[cast(Value, x)])
            for x in inputs
        ]

    def forward_lines(self, node: Value, loop: bool = False) -> list[str]:
        name = self.names[node]
        wide = self.program.wide
        if wide and node in wide.at:
            return [wide.forward_line(node, name)]
        detached = self.graph.detached.get(node)
        if detached is not None:
            return self._detached_lines(name, detached)
        return self._value_lines(name, cast(Op, node.op), node.inputs, loop)

    def _value_lines(
        self, name: str, op: Op, inputs: tuple[Value | float, ...], loop: bool, note: str = ""
    ) -> list[str]:
        operands = self.operands(inputs)
        found = template(op)
        if found is None:
            function = self.program.custom_function(op, "forward")
            args = ", ".join(x.text for x in operands)
            return [f"{name} = float({function}({args}))  # custom op {str(op)!r}{note}"]
        if found.terms is not None:
            # the batch loop's sums start from their first term (see long_sum)
            comment = f"{found.comment}{note}"
            as_sum = ADDS_AS_SUM and self.dialect is PYTHON
            return long_sum(name, found.terms(operands), comment, zero=not loop, as_sum=as_sum)
        comment = "; ".join(c for c in (found.comment, note.removeprefix("; ")) if c)
        return [
            f"{name} = {found.forward(operands, self.dialect)}" + f"  # {comment}" * bool(comment)
        ]

    def _detached_lines(self, name: str, detached: Detached) -> list[str]:
        """A value fn took out of the graph, computed afresh from its source
        as the engine computes it; no gradient flows back through it."""
        if detached.op is None:
            (source,) = self.operands(detached.inputs)
            return [f"{name} = {source.text}  # detach(): a constant to the backward pass"]
        note = "; under no_grad(): a constant to the backward pass"
        return self._value_lines(name, detached.op, detached.inputs, False, note)

    def gradient_lines(
        self, node: Value, seen: set[Value], accumulate: Callable[[Value], bool]
    ) -> list[str]:
        """The lines adding ``node``'s contributions into its inputs'
        gradients, in input order (the engine's order). ``seen`` holds the
        nodes whose gradient variable exists; ``accumulate(x)`` says whether
        x's variable always exists already (parameters in a batch)."""
        name = self.names[node]
        wide = self.program.wide
        if wide and node in wide.at:
            start, end, _ = wide.at[node]
            seen.update(self.graph.params[start:end])
            return [wide.gradient_line(node, name)]
        op = cast(Op, node.op)
        operands = self.operands(node.inputs)
        found = template(op)
        lines = []
        if found is None:
            function = self.program.custom_function(op, "backward")
            args = ", ".join(x.text for x in operands)
            results = [f"g_{name}_{i}" for i in range(len(operands))]
            lines.append(f"{', '.join(results)}, = {function}(d_{name}, {name}, {args})")
            grads = [f"float({r})" for r in results]
            comment = ""
        else:
            grads = list(found.backward(f"d_{name}", name, operands, self.dialect))
            comment = f"  # {found.gradient_comment}" if found.gradient_comment else ""
        for x, g in zip(node.inputs, grads, strict=True):
            if type(x) is float or x not in self.analysis.leads_to_params:
                continue  # a constant, an argument, or computed from arguments only: unread
            x = cast(Value, x)
            lines.append(self.accumulation(x, g, x in seen or accumulate(x)) + comment)
            seen.add(x)
        return lines

    def accumulation(self, x: Value, g: str, existing: bool) -> str:
        """``d_x = g``, or ``d_x += g`` when d_x exists already. In numpy a
        parameter's gradient is the sum over the batch, kept in the array G."""
        index = self.analysis.param_index
        if self.dialect is NUMPY and x in index:
            return f"G[{index[x]}] += total_gradient({g})  # d_{self.names[x]}"
        return f"d_{self.names[x]} {'+=' if existing else '='} {g}"

    def guard_lines(self, k: int, read: DataRead) -> list[str]:
        subject = self.names[cast(Value, read.node)]  # compile_grad traces Values
        if read.how == "bool":
            condition = f"{subject} != 0.0"
        else:
            other = read.other
            other_text = (
                self.names[other] if isinstance(other, Value) else literal(float(other))  # type: ignore[arg-type]
            )
            condition = f"{subject} {read.how} {other_text}"
        if self.dialect is NUMPY:
            failed = f"not all_samples({condition})" if read.result else f"any_sample({condition})"
        else:
            failed = f"not {condition}" if read.result else condition
        return [
            f"if {failed}:",
            f"    raise GuardFailed({k})  # traced with {condition} {bool(read.result)}",
        ]

    # --- the body ---

    def forward(self, loop: bool) -> list[str]:
        """Every value in order, each guard as soon as what it compares is known."""
        graph, groups = self.graph, self.program.groups
        lines = ["# forward"]
        pending = list(enumerate(graph.guards))
        ready = {*graph.params, *graph.argument_leaves()}

        def flush_guards() -> None:
            nonlocal pending
            later = []
            for k, read in pending:
                needs = [read.node] + ([read.other] if isinstance(read.other, Value) else [])
                if all(n in ready for n in needs):
                    lines.extend(self.guard_lines(k, read))
                else:
                    later.append((k, read))
            pending = later

        flush_guards()
        for node in graph.forward:
            group = groups.of.get(node) if groups else None
            if group is None:
                lines.extend(self.forward_lines(node, loop))
            elif node not in ready:
                lines.extend(groups.forward_lines(group, self.names))  # type: ignore[union-attr]
            ready.update(group or [node])
            flush_guards()
        return lines

    def backward(
        self, accumulate_params: bool, loop: bool, seed: str
    ) -> tuple[list[str], set[Value]]:
        """The backward pass from the root's gradient ``seed``, and the nodes
        that got a gradient."""
        graph, groups = self.graph, self.program.groups
        root = self.names[graph.root]
        params = set(graph.params)
        seen = {graph.root}
        lines = ["# backward: each node's gradient, then what it adds to its inputs'"]
        if graph.root in params:
            lines.append(self.accumulation(graph.root, seed, accumulate_params))
        else:
            lines.append(f"d_{root} = {seed}")
        done: set[Value] = set()
        for node in graph.walk:
            if not (node.inputs and node in seen):  # no parameter depends on it: no gradient
                continue
            group = groups.of.get(node) if groups else None
            if group is None and loop and worth_skipping(node):
                lines.extend(unless_zero(self, node, seen, params))
            elif group is None:
                lines.extend(
                    self.gradient_lines(node, seen, lambda x: accumulate_params and x in params)
                )
            elif node is group[-1]:  # the group's last node in the walk: all theirs are final
                lines.extend(groups.gradient_lines(group, self.names, seen, self.accumulation))  # type: ignore[union-attr]
            done.add(node)
            if loop:
                lines.extend(dead_relu_exit(self, node, seen, done, params))
        return lines, seen

    def body(
        self, accumulate_params: bool, loop: bool = False, seed: str = "1.0"
    ) -> tuple[list[str], set[Value]]:
        """Forward, guards, then backward from the root's gradient ``seed``,
        for one sample (or one batch of arrays in numpy); and the nodes that
        got a gradient."""
        lines = self.forward(loop)
        if loop:
            lines.append(f"total_loss += {self.names[self.graph.root]}")
        backward, seen = self.backward(accumulate_params, loop, seed)
        return lines + backward, seen
