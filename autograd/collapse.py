"""Which neuron or layer each node of a network's graph belongs to, found from
the parameters' names alone (``autograd`` knows nothing of ``nn``).

A parameter's name is its path in the model: ``layers.0.neurons.1.w.0``. The
module that owns it is that path without its last attribute and the
attribute's list index (``layers.0.neurons.1``, a neuron); the module that
owns a neuron is found the same way (``layers.0``, a layer). A name without
a dot (``"w"``) belongs to no module.

A module's nodes are its parameters, every node that reads one of them (the
``dot`` of a neuron's weights, its bias add) and a one-input op applied to
such a node (its activation). Each time a network runs on a sample, its
neurons make new nodes, so a module also gathers its per-sample nodes: its
``outputs``, one per sample and neuron.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograd.value import Value

LEVELS = ("neurons", "layers")


def owner(path: str) -> str:
    """The path of the module that holds ``path``.

    >>> owner("layers.0.neurons.1.w.0"), owner("layers.0.neurons.1"), owner("w")
    ('layers.0.neurons.1', 'layers.0', '')
    """
    parts = path.split(".")
    if len(parts) > 1 and parts[-1].isdigit():
        parts.pop()
    return ".".join(parts[:-1])


@dataclass(eq=False)  # identity: modules are dict keys and values
class Module:
    """One neuron (or layer) of a graph: its parameters, named relative to
    its ``path``, and its other nodes in the order they were computed."""

    path: str
    parameters: list[tuple[str, Value]] = field(default_factory=list)
    nodes: list[Value] = field(default_factory=list)

    def outputs(self) -> list[tuple[Value, Value | None]]:
        """``(pre-activation, activation)`` per sample and neuron, in the
        order computed; the activation is None where there is none (a linear
        neuron), and the pre-activation is then the output itself."""
        mine = set(self.nodes)
        used = {x for node in self.nodes for x in node.inputs if isinstance(x, Value)}
        pairs: list[tuple[Value, Value | None]] = []
        for node in self.nodes:
            if node in used:
                continue
            (first, *rest) = node.inputs
            if not rest and isinstance(first, Value) and first in mine:
                pairs.append((first, node))
            else:
                pairs.append((node, None))
        return pairs


def find_modules(root: Value, params: list[tuple[str, Value]], level: str) -> dict[Value, Module]:
    """The module of each node of root's graph that has one, at ``level``
    ("neurons" or "layers"). Reading the dict's values gives the modules in
    ``params`` order, and a module's nodes come in ``left_to_right`` order.
    A module lists all of its parameters, even those root does not use.

    >>> w, b = Value(2.0), Value(1.0)
    >>> a = (Value.dot([w], [3.0]) + b).tanh()
    >>> found = find_modules(a, [("n.w.0", w), ("n.b", b)], "neurons")
    >>> found[a].path, len(found)
    ('n', 5)
    """
    by_path: dict[str, Module] = {}
    module_of: dict[Value, Module] = {}
    for name, p in params:
        path = owner(name) if level == "neurons" else owner(owner(name))
        if path:
            module = by_path.setdefault(path, Module(path))
            module.parameters.append((name.removeprefix(path + "."), p))
            module_of[p] = module
    readers = set()
    walk = left_to_right(root)
    for node in walk:
        if node in module_of or not node.inputs:
            continue
        values = [x for x in node.inputs if isinstance(x, Value)]
        reads = next((x for x in values if x in module_of and not x.inputs), None)
        if reads is not None:
            readers.add(node)
        elif len(node.inputs) == 1 and values and values[0] in readers:
            reads = values[0]  # an activation
        if reads is not None:
            module_of[node] = module_of[reads]
            module_of[node].nodes.append(node)
    reached = set(walk)  # a module none of whose parameters root uses is left out
    return {node: module for node, module in module_of.items() if node in reached}


def left_to_right(root: Value) -> list[Value]:
    """Every node of root's graph after its inputs, an earlier operand's
    nodes before a later one's: in a loss summed over samples, the first
    sample's nodes come first, so a module's samples are numbered in order.

    >>> a, b = Value(1.0, label="a"), Value(2.0, label="b")
    >>> [v.label or v.op for v in left_to_right(a * b + a)]
    ['a', 'b', '*', '+']
    """
    done: list[Value] = []
    expanded: set[Value] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            done.append(node)
        elif node not in expanded:
            expanded.add(node)
            stack.append((node, True))
            stack += [(x, False) for x in reversed(node.inputs) if isinstance(x, Value)]
    return done
