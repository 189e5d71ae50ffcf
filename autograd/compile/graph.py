"""What ``compile_grad`` recorded, as the code writer reads it: the loss,
the values to compute in order, the backward walk, the arguments and the
parameters, the guards, and the values that left the graph (``detach()``,
ops under ``no_grad()``) with what they were computed from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

from autograd.core.modes import DataRead
from autograd.core.ops import Op
from autograd.core.value import Value

Structure: TypeAlias = "Value | list[Structure]"


class NotCompilable(Exception):
    """The graph uses something a dialect cannot write (numpy and a custom op)."""


@dataclass
class Argument:
    """One argument of the traced function: its name, and its leaves as a
    nested structure (a Value, or a list of structures)."""

    name: str
    structure: Structure

    def leaves(self) -> list[tuple[Value, str]]:
        """The leaves in order, each with its path name (``x_0_1``)."""
        found: list[tuple[Value, str]] = []
        stack: list[tuple[Structure, str]] = [(self.structure, self.name)]
        while stack:
            item, path = stack.pop()
            if isinstance(item, Value):
                found.append((item, path))
            else:
                stack.extend(reversed([(x, f"{path}_{i}") for i, x in enumerate(item)]))
        return found

    def containers(self) -> list[tuple[str, list[Structure]]]:
        """Every list in the argument with its path name, outermost first."""
        found: list[tuple[str, list[Structure]]] = []
        stack: list[tuple[Structure, str]] = [(self.structure, self.name)]
        while stack:
            item, path = stack.pop()
            if not isinstance(item, Value):
                found.append((path, item))
                stack.extend(reversed([(x, f"{path}_{i}") for i, x in enumerate(item)]))
        return found


@dataclass(frozen=True)
class Detached:
    """A value that left the graph while ``fn`` ran: made by ``op`` from
    ``inputs`` under ``no_grad()``, or, with ``op`` None, by ``detach()`` of
    ``inputs[0]``. The code computes it afresh on each call, as the engine
    does, and no gradient flows through it."""

    op: Op | None
    inputs: tuple[Value | float, ...]


@dataclass
class Graph:
    root: Value
    forward: list[Value]  # every value computed, each after what it is computed from
    walk: list[Value]  # the engine's backward order: topological_order(root, leaves=False)
    arguments: list[Argument]
    params: list[Value]
    param_names: list[str | None]
    guards: list[DataRead]
    numbering: dict[Value, int]  # v{i}: position in topological_order(root), as to_dot
    detached: dict[Value, Detached] = field(default_factory=dict)

    def computed_from(self, node: Value) -> tuple[Value | float, ...]:
        """What ``node``'s value is computed from: its inputs, or for a
        detached value its source's."""
        found = self.detached.get(node)
        return node.inputs if found is None else found.inputs

    def argument_leaves(self) -> list[Value]:
        return [leaf for a in self.arguments for leaf, _ in a.leaves()]
