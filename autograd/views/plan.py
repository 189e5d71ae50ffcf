"""What a drawing shows: which DOT node stands for each Value, the groups
(neurons or layers) found from the parameters' names, and the checks on a
drawing's options (``max_nodes``, ``rankdir``, ``collapse``).

DOT node ids are stable, never ``id()``; ``node_ids`` documents them.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeAlias

from autograd.core.engine import topological_order
from autograd.core.value import Value
from autograd.views.groups import LEVELS, Group, find_groups, group_path

RANKDIRS = ("TB", "LR", "BT", "RL")
Rankdir: TypeAlias = Literal["TB", "LR", "BT", "RL"]
Collapse: TypeAlias = Literal["neurons", "layers"]
MAX_NODES = 500

NamedParams = Iterable[tuple[str, Value]] | None


class GraphTooLarge(ValueError):
    """A drawing would have more nodes than ``max_nodes``."""


@dataclass
class Plan:
    """What to draw: the nodes in walk order, each one's DOT id, and the
    groups (neurons or layers) drawn as one node each or as clusters."""

    order: list[Value]
    ids: dict[Value, str]  # every Value -> "v3", or its group's "m2"
    names: dict[Value, str]  # parameter -> its name (relative to its group)
    group_of: dict[Value, Group]
    groups: list[Group]  # in params order; group k is DOT node "m{k}"
    collapse: str | None

    def drawn_nodes(self) -> int:
        return len(set(self.ids.values()))


def make_plan(root: Value, params: NamedParams, collapse: str | None) -> Plan:
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value to draw, got {type(root).__name__}")
    if collapse is not None and collapse not in LEVELS:
        raise ValueError(f"collapse must be None, 'neurons' or 'layers', got {collapse!r}")
    named = _named(params)
    if collapse and not named:
        raise ValueError(
            f"collapse={collapse!r} finds the {collapse} from the parameters' names: "
            "pass params=model.named_parameters() too"
        )
    order = topological_order(root)
    group_of = find_groups(root, named, collapse or "neurons")
    groups = list(dict.fromkeys(group_of.values()))
    if collapse:
        _say_what_stays_uncollapsed(named, collapse)
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    if collapse:
        number = {group: f"m{k}" for k, group in enumerate(groups)}
        ids.update((node, number[group]) for node, group in group_of.items() if node in ids)
    names = {p: name for name, p in named}
    for group in groups:
        names.update((p, name) for name, p in group.parameters)
    return Plan(order, ids, names, group_of, groups, collapse)


def _named(params: NamedParams) -> list[tuple[str, Value]]:
    """``params`` as a list of (name, Value) pairs, each name and Value once."""
    if params is None:
        return []
    if isinstance(params, (str, bytes)) or not isinstance(params, Iterable):
        raise TypeError(
            f"params must be (name, Value) pairs such as model.named_parameters(), "
            f"got {type(params).__name__}"
        )
    named = list(params)
    for item in named:
        if not (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], Value)
        ):
            raise TypeError(
                f"params must be (name, Value) pairs such as model.named_parameters(), "
                f"found {item!r}"
            )
    names = [name for name, _ in named]
    if len(set(names)) < len(names):
        twice = next(name for name in names if names.count(name) > 1)
        raise ValueError(
            f"params names {twice!r} more than once, so two neurons would be drawn as one: "
            "give each model's names a prefix of its own, e.g. "
            "[(f'a.{name}', p) for name, p in a.named_parameters()]"
        )
    if len({id(p) for _, p in named}) < len(named):
        raise ValueError("params lists a Value under two names; list each parameter once")
    return named


def _say_what_stays_uncollapsed(named: list[tuple[str, Value]], collapse: str) -> None:
    """A parameter whose name holds no neuron (or layer) path is drawn as a
    node of its own: say so, rather than leave the drawing half collapsed
    without a word."""
    loose = [name for name, _ in named if not group_path(name, collapse)]
    if loose:
        warnings.warn(
            f"collapse={collapse!r}: {len(loose)} parameter name(s) hold no {collapse[:-1]} "
            f"path (such as 'layers.0.neurons.1.w.0'), so they are drawn as nodes of their own: "
            f"{', '.join(map(repr, loose[:3]))}{' ...' if len(loose) > 3 else ''}",
            stacklevel=_frames_to_the_caller(),
        )


def _frames_to_the_caller() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside
    ``autograd``: the user's call of to_dot, draw_graph or Stepper."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    level, frame = 1, sys._getframe(1)
    while frame.f_back is not None and os.path.abspath(frame.f_code.co_filename).startswith(
        package + os.sep
    ):
        level, frame = level + 1, frame.f_back
    return level


def checked_plan(
    root: Value, params: NamedParams, collapse: str | None, max_nodes: int | None, rankdir: str
) -> Plan:
    """The plan of a drawing whose options are checked, refused with
    ``GraphTooLarge`` past ``max_nodes``."""
    if not (isinstance(rankdir, str) and rankdir in RANKDIRS):
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if max_nodes is not None and (
        isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1
    ):
        raise ValueError(f"max_nodes must be a positive int or None, got {max_nodes!r}")
    plan = make_plan(root, params, collapse)
    count = plan.drawn_nodes()
    if max_nodes is not None and count > max_nodes:
        advice = (
            "collapse='layers'"
            if collapse == "neurons"
            else "collapse='neurons' (with params=model.named_parameters())"
        )
        raise GraphTooLarge(
            f"the drawing would have {count:,} nodes, more than max_nodes={max_nodes}: "
            f"pass {advice} to draw each {'layer' if collapse else 'neuron'} as one node, "
            "or max_nodes=None to draw them all"
        )
    return plan


def node_ids(
    root: Value, *, params: NamedParams = None, collapse: str | None = None
) -> dict[Value, str]:
    """The DOT node id that shows each Value of root's graph, in the drawing
    ``to_dot``/``draw_graph`` make with the same ``params`` and ``collapse``.

    Ids (graphviz writes each as the ``<title>`` of the node's ``<g
    class="node">`` in SVG, and an edge ``A -> B`` as the title
    ``A&#45;&gt;B``):

    - ``v{i}``: the Value at index i of ``topological_order(root)``; the root
      is ``v0``. ``backward_steps`` calls unlabelled nodes by the same names.
    - ``v{i}_op``: the ellipse of v{i}'s op; edges run ``v{j} -> v{i}_op``
      for each input v{j} and ``v{i}_op -> v{i}``.
    - ``v{i}_c{k}``: the constant that is v{i}'s k-th input (``v{i}_c{k} ->
      v{i}_op``).
    - ``m{k}``: with ``collapse``, the k-th group (neuron or layer) in
      ``params`` order among those root's graph uses, standing for all of
      its Values; its op ellipses and
      constants are not drawn, and an edge into it (``v{j} -> m{k}``,
      ``m{j} -> m{k}``) is drawn once however many samples it carries. With
      ``collapse="neurons"`` an input of a neuron's ``dot`` ends at the row
      of the weight it meets, port ``p{n}`` for the neuron's n-th parameter:
      ``m0 -> m16:p0`` (SVG title ``m0&#45;&gt;m16:p0``). Edges out of a
      group run ``m{k} -> v{i}_op``.

    Examples:
        >>> from autograd import Value
        >>> x = Value(2.0, label="x")
        >>> y = x * 3
        >>> node_ids(y) == {y: "v0", x: "v1"}
        True
    """
    return make_plan(root, params, collapse).ids
