"""Custom ops: ``custom_op`` registers a forward and a backward rule in the
table the built-ins use (``ops.register``), and returns the op as a function
on Values and numbers. Built-ins get no privileges a user lacks.
"""

from __future__ import annotations

from autograd.core import ops
from autograd.core.ops import Op
from autograd.core.value import Operand, Value, applied


class OpFunction:
    """An op as a function on Values and numbers: what ``custom_op`` returns.

    Examples:
        >>> from autograd.core.ops import OPS
        >>> OpFunction(OPS["tanh"])(0.0).op
        'tanh'
    """

    __slots__ = ("op",)

    def __init__(self, op: Op) -> None:
        self.op = op

    def __call__(self, *operands: Operand) -> Value:
        if not operands:
            raise TypeError(f"op {str(self.op)!r} needs at least one operand")
        return applied(self.op, operands)

    def __repr__(self) -> str:
        return f"OpFunction({str(self.op)!r})"


def custom_op(
    name: str,
    forward: ops.Forward,
    backward: ops.Rule,
    *,
    domain: tuple[float, float] | None = None,
    replace: bool = False,
) -> OpFunction:
    """Register an op in the same table the built-ins use, and return it as a
    function on Values and numbers.

    ``forward`` takes floats and returns a float; ``backward(g, out, *inputs)``
    returns one gradient per input and must use plain arithmetic, so that it
    also runs on Values for ``grad(..., create_graph=True)``. Both signatures
    are checked here; results are checked when produced, and every error
    names the op and the rule. ``domain=(lo, hi)`` says where the op is
    differentiable (the strategies draw inputs inside it). ``replace=True``
    registers a name again, as re-running a notebook cell does; nodes made
    before keep the rules they were made with.

    Examples:
        >>> cube = custom_op("cube_doc", forward=lambda x: x ** 3,
        ...                  backward=lambda g, out, x: (3 * x * x * g,))
        >>> y = cube(Value(2.0)); y.backward(); (y.op, y.data)
        ('cube_doc', 8.0)
    """
    return OpFunction(ops.register(name, forward, backward, domain=domain, replace=replace))
