"""Hooks: ``Value.register_hook(fn)`` calls ``fn(grad)`` when a node's
gradient is final during a backward pass; the handle it returns removes it.
The engine calls a node's hooks (``engine.propagate``) just before its rule.
"""

from __future__ import annotations

from autograd.core.node import Hook, Node


class HookHandle:
    """What ``register_hook`` returns: ``remove()`` unregisters the hook
    (once; removing again does nothing)."""

    __slots__ = ("_node", "_hook")

    def __init__(self, node: Node, hook: Hook) -> None:
        self._node: Node | None = node
        self._hook = hook

    def remove(self) -> None:
        node, self._node = self._node, None
        if node is None:
            return
        hooks = list(node._hooks)
        for i, hook in enumerate(hooks):
            if hook is self._hook:
                del hooks[i]
                break
        node._hooks = tuple(hooks)
