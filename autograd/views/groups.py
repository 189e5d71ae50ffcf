"""Groups: which neuron or layer each node of a network's graph belongs to,
found from the parameters' names alone (``autograd`` knows nothing of
``nn``). A drawing puts a group's nodes in a cluster, or collapses the group
into one node.

A parameter's name is its path in the model: ``layers.0.neurons.1.w.0``. The
group that owns it is that path without its last attribute and the
attribute's list index (``layers.0.neurons.1``, a neuron); the group that
owns a neuron is found the same way (``layers.0``, a layer). A name without
a dot (``"w"``) belongs to no group.

A group's nodes are its parameters, every node that reads one of them (the
``dot`` of a neuron's weights, its bias add) and a one-input op applied to
such a node (its activation). Each time a network runs on a sample, its
neurons make new nodes, so a group also gathers its per-sample nodes: its
``outputs``, one per sample and neuron.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograd.core.engine import evaluation_order
from autograd.core.value import Value

LEVELS = ("neurons", "layers")


def owner(path: str) -> str:
    """The path of the group (neuron or layer) that holds ``path``.

    Examples:
        >>> owner("layers.0.neurons.1.w.0"), owner("layers.0.neurons.1"), owner("w")
        ('layers.0.neurons.1', 'layers.0', '')
    """
    parts = path.split(".")
    if len(parts) > 1 and parts[-1].isdigit():
        parts.pop()
    return ".".join(parts[:-1])


def group_path(name: str, level: str) -> str:
    """The path of the neuron (``level="neurons"``) or layer that a
    parameter's name puts it in; "" for none.

    Examples:
        >>> group_path("layers.0.neurons.1.w.0", "layers"), group_path("w", "neurons")
        ('layers.0', '')
    """
    return owner(name) if level == "neurons" else owner(owner(name))


@dataclass(eq=False)  # identity: groups are dict keys and values
class Group:
    """The nodes one neuron (or layer) made in a graph: its parameters, named
    relative to its ``path``, and its other nodes in the order they were
    computed. (Not ``nn.Module``: a group is found in a graph, from names.)"""

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


def find_groups(root: Value, params: list[tuple[str, Value]], level: str) -> dict[Value, Group]:
    """The group of each node of root's graph that has one, at ``level``
    ("neurons" or "layers"). Reading the dict's values gives the groups in
    ``params`` order, and a group's nodes come in ``evaluation_order``.
    A group lists all of its parameters, even those root does not use.

    Examples:
        >>> w, b = Value(2.0), Value(1.0)
        >>> a = (Value.dot([w], [3.0]) + b).tanh()
        >>> found = find_groups(a, [("n.w.0", w), ("n.b", b)], "neurons")
        >>> found[a].path, len(found)
        ('n', 5)
    """
    by_path: dict[str, Group] = {}
    group_of: dict[Value, Group] = {}
    for name, p in params:
        path = group_path(name, level)
        if path:
            group = by_path.setdefault(path, Group(path))
            group.parameters.append((name.removeprefix(path + "."), p))
            group_of[p] = group
    readers = set()
    walk = evaluation_order(root)
    for node in walk:
        if node in group_of or not node.inputs:
            continue
        values = [x for x in node.inputs if isinstance(x, Value)]
        reads = next((x for x in values if x in group_of and not x.inputs), None)
        if reads is not None:
            readers.add(node)
        elif len(node.inputs) == 1 and values and values[0] in readers:
            reads = values[0]  # an activation
        if reads is not None:
            group_of[node] = group_of[reads]
            group_of[node].nodes.append(node)
    reached = set(walk)  # a group none of whose parameters root uses is left out
    return {node: group for node, group in group_of.items() if node in reached}
