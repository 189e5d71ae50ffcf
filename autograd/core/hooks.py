"""Hooks: ``Value.register_hook(fn)`` calls ``fn(grad)`` when a node's
gradient is final during a backward pass; the handle it returns removes it.
The engine calls a node's hooks (``engine.propagate``) just before its rule.
"""

from __future__ import annotations

from autograd.core.node import Hook, Node


class _Registered:
    """How many hooks have been registered in this process: a compiled step
    looks at its graph's hooks again when the count has moved (a hook makes
    a call run on the engine), so a hook added after compiling is not missed."""

    count = 0


registered = _Registered()


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
