"""``backward_steps``: the backward pass one node at a time, for reading and
for stepping through in a debugger."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from autograd.core.engine import rule_gradients, run_rule, start_backward
from autograd.core.ops import Op
from autograd.core.value import Value

INFIX = {"+", "-", "*", "/", "**"}


@dataclass(frozen=True)
class Step:
    """One node of the backward pass, after its gradient reached its inputs.

    ``contributions`` holds ``(input, local derivative, contribution)`` for
    each input Value, where ``contribution = grad * local derivative`` is what
    this node added to that input's gradient."""

    node: Value
    grad: float
    contributions: list[tuple[Value, float, float]]
    names: dict[Value, str]

    def name(self, x: Value | float) -> str:
        """A node's label, else its position in the walk (``v3``, as in
        ``to_dot``); a constant's value."""
        if isinstance(x, float):
            return f"{x:g}"
        return x.label or self.names[x]

    def formula(self) -> str:
        """How the node was computed, by names: ``w * h``, ``tanh(v3)``, or
        ``leaf``."""
        node = self.node
        if not node.inputs:
            return "leaf"
        args = [self.name(x) for x in node.inputs]
        if node.op in INFIX:
            return f" {node.op} ".join(args)
        if len(args) > 4:
            args = args[:3] + ["…"]
        return f"{node.op}({', '.join(args)})"

    def __str__(self) -> str:
        head = f"{self.name(self.node)} = {self.formula()} grad={self.grad:.4g}"
        flows = [
            f"{self.name(x)} += {self.grad:.4g} * {local:.4g} = {c:.4g}"
            for x, local, c in self.contributions
        ]
        return head + "".join(
            f" -> {flow}" if i == 0 else f"; {flow}" for i, flow in enumerate(flows)
        )


def backward_steps(root: Value, seed: float = 1.0) -> Generator[Step, None, None]:
    """Run ``root.backward(seed)`` lazily, one Step per node (leaves
    included), each node before its inputs; each step's ``grad`` is final.
    Exhausting it leaves every ``.grad`` exactly as ``backward()`` would.
    The leaves' gradients are held back until the walk completes, so a walk
    abandoned midway (closed, or dropped) writes none of them.

    Examples:
        >>> w, h = Value(0.4, label="w"), Value(2.0, label="h")
        >>> z = w * h; z.label = "z"
        >>> for step in backward_steps(z):
        ...     print(step)
        z = w * h grad=1 -> w += 1 * 2 = 2; h += 1 * 0.4 = 0.4
        w = leaf grad=2
        h = leaf grad=0.4
    """
    order = start_backward(root, seed, leaves=True)
    names = {node: f"v{i}" for i, node in enumerate(order)}
    held: dict[Value, float] = {}  # leaf -> its .grad with this walk's contributions so far
    for node in order:
        g = held.get(node, node.grad) if not node.inputs else node.grad
        input_grads = rule_gradients(node, g, create_graph=False)
        for x, x_grad in zip(node.inputs, input_grads):
            if isinstance(x, Value):
                if x.inputs:
                    x.grad = x.grad + x_grad  # as backward() sums them, in the same order
                else:
                    before = held.get(x, x.grad)
                    held[x] = x_grad if before is None else before + x_grad
        yield Step(node, g, _contributions(node, input_grads), names)
    for leaf, g in held.items():
        leaf.grad = g


def _contributions(node: Value, input_grads: tuple[float, ...]) -> list[tuple[Value, float, float]]:
    if not node.inputs:
        return []
    args = [x if isinstance(x, float) else x.data for x in node.inputs]
    op: Op = node.op  # type: ignore[assignment]  # a node with inputs has an Op
    locals_ = run_rule(op, 1.0, node.data, args)
    return [
        (x, float(local), float(contribution))
        for x, local, contribution in zip(node.inputs, locals_, input_grads)
        if isinstance(x, Value)
    ]
