"""``grad``: gradients as Values, without reading or writing any ``.grad``.

It walks the engine's order but keeps the gradients in a dict of its own,
so it is safe beside other threads and leaves earlier gradients alone; with
``create_graph=True`` each rule runs on Values, so the gradients are nodes
of a new graph. It builds Values, so it sits above ``Value``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from autograd.core.engine import rule_gradients, topological_order
from autograd.core.modes import modes
from autograd.core.value import Value


def grad(y: Value, xs: Value | Iterable[Value], create_graph: bool = False) -> list[Value]:
    """Gradients of ``y`` with respect to each of ``xs``, as Values. No
    node's ``.grad`` is read or written, so it is safe beside other threads
    and leaves earlier gradients alone. A node ``y`` does not depend on gets 0.

    With ``create_graph=True`` the gradients are nodes of a new graph, so
    they can be differentiated again (grad of grad, and so on).

    Examples:
        >>> x = Value(3.0)
        >>> (dx,) = grad(x ** 3, [x], create_graph=True)
        >>> (ddx,) = grad(dx, [x])
        >>> (dx.data, ddx.data)
        (27.0, 18.0)
    """
    if not isinstance(y, Value):
        raise TypeError(f"grad() differentiates a Value, got {type(y).__name__}")
    xs = [xs] if isinstance(xs, Value) else list(xs)  # one Value, as torch takes one tensor
    for x in xs:
        if not isinstance(x, Value):
            raise TypeError(f"grad() differentiates with respect to Values, got {type(x).__name__}")
    if create_graph and not modes.recording:
        raise RuntimeError(
            "grad(..., create_graph=True) inside no_grad() would record no graph; "
            "wrap the call in enable_grad()"
        )
    grads: dict[Value, Any] = {y: 1.0}  # kept here, not in .grad: grad() writes no node
    for node in topological_order(y, leaves=False):
        input_grads = rule_gradients(node, grads[node], create_graph)
        for input_, x_grad in zip(node.inputs, input_grads):
            if isinstance(input_, Value):
                grads[input_] = grads[input_] + x_grad if input_ in grads else x_grad
    return [_as_value(grads.get(x, 0.0)) for x in xs]


def _as_value(g: Any) -> Value:
    return g if isinstance(g, Value) else Value(g)
