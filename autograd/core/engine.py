"""Reverse-mode differentiation: the graph walks and ``backward``.

A backward pass visits the nodes in topological order from the output (each
node before its inputs), so a node's gradient is final when the pass reaches
it. ``propagate`` runs one node's rule and adds what it gives into the
inputs' ``.grad``: the one place a pass writes gradients. (``grad()``, in
``grad.py``, walks the same order and keeps its gradients in a dict.)

The engine works on node attributes (``Node``: ``data``, ``grad``, ``op``,
``inputs``, hooks) and never imports ``Value``, which sits above it and
calls ``backward`` from its method of that name.

Everything is iterative (no recursion over depth) and follows ``inputs``
tuples in order, so the walk is the same on every run. Constants (plain
floats in ``inputs``) are not nodes and get no gradient. The engine never
changes a mode: rules that raise on plain floats (``1.0 / 0.0``) run again
on ``IEEEFloat``s, which follow IEEE 754.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar, cast

from autograd.core import anomaly
from autograd.core.floats import IEEEFloat, as_float
from autograd.core.modes import modes
from autograd.core.node import Node
from autograd.core.ops import Op, value_of

N = TypeVar("N", bound=Node)  # the walks give back the nodes' own type (a Value, in glassgrad)


def topological_order(root: N, leaves: bool = True) -> list[N]:
    """The nodes reachable from ``root``, each before all of its inputs.

    An iterative depth-first search that emits a node once everything above
    it on the stack (its inputs) is emitted: a node is pushed again under a
    ``None`` marker before its inputs, and popping the marker emits it. The
    reversed emission order is topological. Inputs are followed in tuple
    order, so the order is the same on every run. Nodes hash and compare by
    identity, so they key the visited set themselves.

    ``leaves=False`` leaves out the leaves that have no hooks: a backward
    pass has nothing to do at them (their users hand them their gradients),
    and a neuron's weights are most of a network's nodes.

    Examples:
        >>> from autograd import Value
        >>> x = Value(2.0, label="x"); y = x * x; y.label = "y"
        >>> [node.label for node in topological_order(y)]
        ['y', 'x']
    """
    order: list[N] = []
    expanded: set[N] = set()
    stack: list[N | None] = [root]
    while stack:
        node = stack.pop()
        if node is None:
            order.append(stack.pop())  # type: ignore[arg-type]  # a marker sits on its node
            continue
        if node in expanded:
            continue
        expanded.add(node)
        stack.append(node)
        stack.append(None)
        for x in node.inputs:
            if type(x) is float or not (x.inputs or leaves or x._hooks):  # type: ignore[union-attr]
                continue
            if x not in expanded:
                stack.append(cast(N, x))  # not a float: a node of root's kind
    order.reverse()
    return order


def evaluation_order(root: N) -> list[N]:
    """Every node of root's graph after its inputs, the inputs in the order
    each node reads them: the order evaluating the expression makes them, so
    in a loss summed over samples the first sample's nodes come first.
    (The true creation order is not recorded: a counter on every node would
    cost the memory a node is allowed.)

    Examples:
        >>> from autograd import Value
        >>> a, b = Value(1.0, label="a"), Value(2.0, label="b")
        >>> [v.label or v.op for v in evaluation_order(a * b + a)]
        ['a', 'b', '*', '+']
    """
    order: list[N] = []
    expanded: set[N] = set()
    stack: list[tuple[N, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif node not in expanded:
            expanded.add(node)
            stack.append((node, True))
            stack.extend((cast(N, x), False) for x in reversed(node.inputs) if type(x) is not float)
    return order


def backward(root: Node, seed: float = 1.0) -> None:
    """``root.backward(seed)``: the whole algorithm in two lines.

    Examples:
        >>> from autograd import Value
        >>> x = Value(3.0); backward(x * x); x.grad
        6.0
    """
    # `next` over start_backward (the walk order, root seeded), `step` into propagate
    for node in start_backward(root, seed):  # each node before its inputs: its grad is final
        propagate(node)  # node's hooks and rule, and the sum into its inputs' .grad


def start_backward(root: N, seed: float, leaves: bool = False) -> list[N]:
    """Seed a backward pass and return its walk order: intermediates start
    afresh (each pass shows its own gradient), leaves keep theirs (gradients
    accumulate across passes, like PyTorch; a ``.grad`` of None counts as 0).

    Intermediates start from -0.0, the identity of +: ``-0.0 + g`` is ``g``
    for every g, signed zeros included, so a node's gradient is the sum of
    its contributions as they are, as ``grad()``, torch and compiled code
    take it (from 0.0, a first contribution of -0.0 would become 0.0).

    ``leaves=False`` leaves out the leaves without hooks: their users hand
    them their gradients, and there is nothing else to do at them.
    """
    order = topological_order(root, leaves)
    for node in order:
        if node.inputs:
            node.grad = -0.0
    root.grad = as_float(seed) if root.grad is None else root.grad + as_float(seed)
    return order


def propagate(node: Node) -> tuple[float, ...]:
    """Run ``node``'s hooks and its backward rule on floats, with
    ``node.grad`` its final gradient, and add what the rule gives each input
    into that input's ``.grad``: the one place a backward pass writes
    gradients (a conditional breakpoint here sees who wrote one). Returns the
    gradients given, one per input (for a leaf, none).

    The result is checked: a rule that returns the wrong count or, for a
    custom op, something other than numbers (a Value it captured) is an
    error naming the op and the rule.
    """
    if node._hooks:
        _call_hooks(node, node.grad)
    if not (inputs := node.inputs):
        return ()
    # The inputs' floats, unrolled for one and two inputs (most nodes), as in
    # value.apply; constants are exact floats (apply makes them so), the rest Values.
    if len(inputs) == 1:
        args = [inputs[0] if type(inputs[0]) is float else inputs[0].data]  # type: ignore[union-attr]
    elif len(inputs) == 2:
        a, b = inputs
        args = [a if type(a) is float else a.data, b if type(b) is float else b.data]  # type: ignore[union-attr]
    else:
        args = [x if type(x) is float else x.data for x in inputs]  # type: ignore[union-attr]
    try:
        input_grads = node.op.backward(node.grad, node.data, *args)  # type: ignore[attr-defined]
    except ArithmeticError:
        input_grads = run_rule_on_ieee(node.op, node.grad, node.data, args)  # type: ignore[arg-type]
    if not node.op.builtin:  # type: ignore[attr-defined]  # built-in rules return what they should
        input_grads = _checked(node.op, input_grads, len(inputs), True)  # type: ignore[arg-type]
    if modes.anomaly:
        anomaly.check_backward(node, input_grads)
    for x, x_grad in zip(inputs, input_grads):
        if type(x) is not float:
            try:
                x.grad = x.grad + x_grad  # type: ignore[union-attr]  # not a float: a Value
            except TypeError:  # a .grad set to None, a PyTorch habit, counts as 0
                if x.grad is not None:  # type: ignore[union-attr]
                    raise
                x.grad = x_grad  # type: ignore[union-attr]
    return input_grads  # type: ignore[no-any-return]  # a built-in rule's tuple, or checked


def rule_gradients(node: Node, g: Any, create_graph: bool) -> tuple[Any, ...]:
    """What ``node``'s rule gives each input for its gradient ``g``, writing
    no ``.grad`` (``grad()``'s walk). With ``create_graph`` the rule runs on
    the Values themselves, so the gradients are nodes that can be
    differentiated again; otherwise on floats, checked as in ``propagate``."""
    if node._hooks:
        _call_hooks(node, value_of(g))
    if not (inputs := node.inputs):
        return ()
    out: Node | float = node if create_graph else node.data
    args = list(inputs) if create_graph else [value_of(x) for x in inputs]
    input_grads = _checked(node.op, run_rule(node.op, g, out, args), len(inputs), not create_graph)  # type: ignore[arg-type]
    if modes.anomaly:
        anomaly.check_backward(node, input_grads)
    return input_grads


def _call_hooks(node: Node, g: float) -> None:
    for hook in node._hooks:
        hook(g)


def run_rule(op: Op, g: Any, out: Any, args: Iterable[Any]) -> Any:
    """``op.backward(g, out, *args)``; where plain floats raise (``g / 0.0``),
    the same rule on ``IEEEFloat``s, which give inf or nan instead (returned
    as plain floats)."""
    try:
        return op.backward(g, out, *args)
    except ArithmeticError:
        return run_rule_on_ieee(op, g, out, args)


def run_rule_on_ieee(op: Op, g: Any, out: Any, args: Iterable[Any]) -> Any:
    """``op.backward`` on ``IEEEFloat``s, its results as plain floats."""
    results = op.backward(*map(_ieee, (g, out, *args)))
    if not isinstance(results, tuple | list):
        return results  # propagate names the fault
    return tuple(float(x) if isinstance(x, IEEEFloat) else x for x in results)


def _ieee(x: Any) -> Any:
    return IEEEFloat(x) if isinstance(x, float) else x


def _checked(op: Op, result: Any, arity: int, on_floats: bool) -> tuple[Any, ...]:
    """The rule's result as a tuple of one gradient per input, or an error
    naming the op and the rule; on floats, a custom rule's results as floats."""
    rule = getattr(op.backward, "__name__", "backward")
    if isinstance(result, list):
        result = tuple(result)
    if not isinstance(result, tuple):
        raise TypeError(
            f"backward rule {rule} of op {str(op)!r} returned {type(result).__name__}; "
            f"it must return a tuple with one gradient per input ({arity})"
        )
    if len(result) != arity:
        raise ValueError(
            f"backward rule {rule} of op {str(op)!r} must return one gradient per input: "
            f"the op has {arity} inputs, it returned {len(result)}"
        )
    return _float_gradients(op, result) if on_floats and not op.builtin else result


def _float_gradients(op: Op, input_grads: tuple[Any, ...]) -> tuple[float, ...]:
    """A rule's results on the float path as floats: IEEEFloats and ints
    convert; a Value (a rule that captured one) or a non-number is an error."""
    return tuple(_float_gradient(op, x_grad) for x_grad in input_grads)


def _float_gradient(op: Op, x_grad: Any) -> float:
    if isinstance(x_grad, int | float) and not isinstance(x_grad, bool):
        return float(x_grad)
    rule = getattr(op.backward, "__name__", "backward")
    if isinstance(x_grad, Node):
        raise TypeError(
            f"backward rule {rule} of op {str(op)!r} returned a Value during backward(): "
            f"a rule must compute with its arguments only (did it capture a Value?)"
        )
    raise TypeError(
        f"backward rule {rule} of op {str(op)!r} returned {type(x_grad).__name__} "
        f"{x_grad!r} as a gradient; gradients are real numbers"
    )
