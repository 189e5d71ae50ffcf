"""``backward_steps``: the backward pass one node at a time, for reading and
for stepping through in a debugger."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from autograd import ops
from autograd.engine import rule_on_floats, start_backward, walk

INFIX = {"+", "-", "*", "/", "**"}


@dataclass(frozen=True)
class Step:
    """One node of the backward pass, after its gradient reached its inputs.

    ``contributions`` holds ``(input, local derivative, contribution)`` for
    each input Value, where ``contribution = grad * local derivative`` is what
    this node added to that input's gradient."""

    node: object
    grad: float
    contributions: list[tuple[object, float, float]]
    names: dict[int, str]

    def name(self, x) -> str:
        """A node's label, else its position in the walk (``v3``, as in
        ``to_dot``); a constant's value."""
        if isinstance(x, float):
            return f"{x:g}"
        return x.label or self.names[id(x)]

    def formula(self) -> str:
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


def backward_steps(root, seed: float = 1.0) -> Iterator[Step]:
    """Run ``root.backward(seed)`` lazily, one Step per node, each node before
    its inputs; each step's ``grad`` is final. Exhausting it leaves every
    ``.grad`` exactly as ``backward()`` would.

    >>> from autograd import Value
    >>> w, h = Value(0.4, label="w"), Value(2.0, label="h")
    >>> z = w * h; z.label = "z"
    >>> for step in backward_steps(z):
    ...     print(step)
    z = w * h grad=1 -> w += 1 * 2 = 2; h += 1 * 0.4 = 0.4
    w = leaf grad=2
    h = leaf grad=0.4
    """
    order = start_backward(root, seed, leaves=True)
    names = {id(node): f"v{i}" for i, node in enumerate(order)}
    for node, input_grads in walk(order):
        contributions = []
        if node.inputs:
            locals_ = rule_on_floats(ops.OPS[node.op].backward, 1.0, node)
            contributions = [
                (x, float(local), float(c))
                for x, local, c in zip(node.inputs, locals_, input_grads)
                if type(x) is not float
            ]
        yield Step(node, float(node.grad), contributions, names)
