"""Reverse-mode differentiation: the graph walk, ``backward`` and ``grad``.

The walk visits nodes in topological order from the output (each node before
its inputs), so a node's gradient is final when the walk reaches it. It sums
gradients into the nodes' own ``.grad`` (one line, in ``walk``), which keeps
the hot path free of dictionaries; ``grad()`` saves and restores every
``.grad`` around its walk so that it leaves them as they were.

Everything is iterative (no recursion over depth) and follows ``inputs``
tuples in order, so the walk is the same on every run. Constants (plain
floats in ``inputs``) are not nodes and get no gradient.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence

from autograd import anomaly, ops, value
from autograd.modes import modes, no_grad


def topological_order(root, leaves: bool = True) -> list:
    """The nodes reachable from ``root``, each before all of its inputs.

    An iterative depth-first search that emits a node once everything above
    it on the stack (its inputs) is emitted: a node is pushed again under a
    ``None`` marker before its inputs, and popping the marker emits it. The
    reversed emission order is topological. Inputs are followed in tuple
    order, so the order is the same on every run. Nodes hash and compare by
    identity, so they key the visited set themselves.

    ``leaves=False`` leaves out the leaves that have no hooks: ``backward``
    has nothing to do at them (their users write their gradients), and a
    neuron's weights are most of a network's nodes.
    """
    order = []
    expanded = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node is None:
            order.append(stack.pop())
            continue
        if node in expanded:
            continue
        expanded.add(node)
        stack.append(node)
        stack.append(None)
        for x in node.inputs:
            if type(x) is float or not (x.inputs or leaves or x._hooks):
                continue
            if x not in expanded:
                stack.append(x)
    order.reverse()
    return order


def rule_on_floats(rule, g: float, node) -> tuple:
    """``rule(g, out, *inputs)`` on the floats of ``node`` (``walk`` inlines
    this on its hot path)."""
    args = [x if type(x) is float else x.data for x in node.inputs]
    try:
        return rule(g, node.data, *args)
    except ArithmeticError:
        return rule_on_values(rule, g, node.data, args)


def rule_on_values(rule, g: float, out: float, args: list) -> tuple:
    """The float path's fallback: Python floats raise on x/0 where IEEE 754
    gives inf or nan; Values follow IEEE, so run the same rule on throwaway
    Values and return floats."""
    anomaly_mode = modes.anomaly
    modes.anomaly = False  # an inf here is reported by walk's own check
    try:
        with no_grad():
            grads = rule(value.Value(g), value.Value(out), *map(value.Value, args))
    finally:
        modes.anomaly = anomaly_mode
    return tuple(float(x) for x in grads)


def walk(order: list, create_graph: bool = False) -> Iterator[tuple]:
    """Apply each node's backward rule in ``order``; yield
    ``(node, input_grads)`` after each node's gradients reach its inputs.

    The caller seeds ``.grad`` first. With ``create_graph`` the rules run on
    Values, so the gradients they produce can be differentiated again.
    """
    table = ops.OPS
    checking = modes.anomaly
    for node in order:
        if node._hooks:
            for hook in node._hooks:
                hook(float(node.grad))
        inputs = node.inputs
        if not inputs:
            yield node, ()
            continue
        rule = table[node.op].backward
        arity = len(inputs)
        if create_graph:
            input_grads = rule(node.grad, node, *inputs)
        else:
            if arity == 2:  # most nodes: unrolled, as in value.apply
                a, b = inputs
                args = [a if type(a) is float else a.data, b if type(b) is float else b.data]
            elif arity == 1:
                (a,) = inputs
                args = [a if type(a) is float else a.data]
            else:
                args = [x if type(x) is float else x.data for x in inputs]
            try:
                input_grads = rule(node.grad, node.data, *args)
            except ArithmeticError:
                input_grads = rule_on_values(rule, node.grad, node.data, args)
        if len(input_grads) != arity:
            raise ValueError(
                f"{rule.__name__} must return one gradient per input: op "
                f"{node.op!r} has {arity} inputs, it returned "
                f"{len(input_grads)}"
            )
        if checking:
            anomaly.check_backward(node, input_grads)
        for x, x_grad in zip(inputs, input_grads):
            if type(x) is not float:
                x.grad = x.grad + x_grad  # the one place gradients are summed
        yield node, input_grads


def start_backward(root, seed, leaves: bool = False) -> list:
    """Seed a backward pass and return its walk order: intermediates start
    from 0 (each call shows its own gradient), leaves keep theirs (gradients
    accumulate across calls)."""
    order = topological_order(root, leaves)
    for node in order:
        if node.inputs:
            node.grad = 0.0
    root.grad += value.as_float(seed)
    return order


def backward(root, seed: float = 1.0) -> None:
    """``root.backward(seed)``: add d root / d node to every ``.grad``."""
    deque(walk(start_backward(root, seed)), maxlen=0)


def grad(y, xs: Sequence, create_graph: bool = False) -> list:
    """Gradients of ``y`` with respect to each of ``xs``, as Values, leaving
    every ``.grad`` as it was. A node ``y`` does not depend on gets 0.

    With ``create_graph=True`` the gradients are nodes of a new graph, so
    they can be differentiated again (grad of grad, and so on).

    >>> from autograd import Value
    >>> x = Value(3.0)
    >>> (dx,) = grad(x ** 3, [x], create_graph=True)
    >>> (ddx,) = grad(dx, [x])
    >>> (dx.data, ddx.data)
    (27.0, 18.0)
    """
    xs = list(xs)
    for x in xs:
        if not isinstance(x, value.Value):
            raise TypeError(f"grad() differentiates with respect to Values, got {type(x).__name__}")
    order = topological_order(y)
    saved = [node.grad for node in order]
    try:
        for node in order:
            node.grad = 0.0
        y.grad = 1.0
        deque(walk(order, create_graph), maxlen=0)
        found = {id(node): node.grad for node in order}
    finally:
        for node, g in zip(order, saved):
            node.grad = g
    return [_as_value(found.get(id(x), 0.0)) for x in xs]


def _as_value(g) -> value.Value:
    return g if isinstance(g, value.Value) else value.Value(g)
