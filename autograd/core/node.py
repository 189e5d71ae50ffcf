"""``Node``: what the engine, the modes and the anomaly checks know of a
graph node, its attributes. ``Value`` is the node glassgrad builds; the
layers below it read and write these attributes and never import it, so
the engine's walk needs nothing above itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

Hook = Callable[[float], object]


@runtime_checkable
class Node(Protocol):
    """A node of a computation graph: its number, its gradient, the op that
    made it ("" for a leaf) and its inputs in order (nodes, or float
    constants), with the hooks and the anomaly origin the engine reads."""

    data: float
    grad: float
    label: str
    op: str
    _hooks: tuple[Hook, ...]
    _origin: str | None

    @property
    def inputs(self) -> tuple[Node | float, ...]: ...
