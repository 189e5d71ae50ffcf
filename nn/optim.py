"""Optimizers with PyTorch's update rules, step for step.

Each keeps ``state``, one dict per parameter as ``torch.optim`` does (empty
until the parameter's first step), and skips a parameter whose ``grad`` is
None, like torch. ``state_dict()`` is plain JSON-ready data, so training can
stop and resume exactly where it was.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

from autograd import Value

STATE_DICT_KEYS = {"optimizer", "hyperparameters", "state"}


class Optimizer:
    """The parameters, their state, ``zero_grad`` and ``state_dict``.

    A subclass lists its ``HYPERPARAMETERS`` and the ``STATE`` keys each
    parameter holds once it has stepped, sets its hyperparameters in
    ``configure`` (checked there, so loading a state checks them too), and
    defines ``step``.
    """

    HYPERPARAMETERS: tuple[str, ...] = ()
    STATE: tuple[str, ...] = ()

    def __init__(self, params: Iterable[Value]) -> None:
        if hasattr(params, "named_parameters"):
            raise TypeError(
                f"an optimizer takes parameters, got the {type(params).__name__} itself; "
                "pass model.parameters()"
            )
        self.params = list(params)
        if not self.params:
            raise ValueError("the optimizer got an empty parameter list")
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(
                    f"params[{i}] is a {type(p).__name__}, not a Value; pass model.parameters()"
                )
        self.state: list[dict[str, float]] = [{} for _ in self.params]

    def configure(self, *args: Any, **hyperparameters: Any) -> None:
        """Check and set the hyperparameters (``lr=...`` and the like)."""
        raise NotImplementedError(f"{type(self).__name__} does not define configure()")

    def step(self) -> None:
        """Update every parameter that has a gradient, once."""
        raise NotImplementedError(f"{type(self).__name__} does not define step()")

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0.0 (gradients accumulate)."""
        for p in self.params:
            p.grad = 0.0

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's name, hyperparameters and per-parameter state, as
        JSON-ready data; ``load_state_dict`` continues from it exactly.

        Examples:
            >>> p = Value(1.0); p.grad = 0.5
            >>> opt = SGD([p], lr=0.1, momentum=0.9); opt.step()
            >>> state = opt.state_dict()
            >>> state["optimizer"], state["hyperparameters"]["momentum"], state["state"]
            ('SGD', 0.9, [{'momentum_buffer': 0.5}])
        """
        return {
            "optimizer": type(self).__name__,
            "hyperparameters": {name: getattr(self, name) for name in self.HYPERPARAMETERS},
            "state": [dict(s) for s in self.state],
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take hyperparameters and state from ``state_dict()`` of the same
        kind of optimizer over as many parameters. Nothing changes unless all
        of it fits; a mismatch is a ValueError saying what differs.

        Examples:
            >>> p = Value(1.0); p.grad = 0.5
            >>> opt = SGD([p], lr=0.1, momentum=0.9); opt.step()
            >>> resumed = SGD([p], lr=0.1, momentum=0.9)
            >>> resumed.load_state_dict(opt.state_dict()); resumed.state
            [{'momentum_buffer': 0.5}]
        """
        name = type(self).__name__
        if not isinstance(state_dict, dict) or state_dict.keys() != STATE_DICT_KEYS:
            raise ValueError(
                "an optimizer state_dict has the keys 'optimizer', 'hyperparameters' and 'state'"
            )
        if state_dict["optimizer"] != name:
            raise ValueError(f"the state_dict is from {state_dict['optimizer']!r}, not {name!r}")
        hyperparameters, states = state_dict["hyperparameters"], state_dict["state"]
        expected = set(self.HYPERPARAMETERS)
        if not isinstance(hyperparameters, dict) or hyperparameters.keys() != expected:
            raise ValueError(f"{name} hyperparameters are {list(self.HYPERPARAMETERS)}")
        if not isinstance(states, list) or len(states) != len(self.params):
            count = len(states) if isinstance(states, list) else "no list of"
            raise ValueError(
                f"the state_dict holds {count} parameter states; "
                f"this optimizer has {len(self.params)} parameters"
            )
        for i, s in enumerate(states):
            if not isinstance(s, dict) or (s and s.keys() != set(self.STATE)):
                raise ValueError(f"state[{i}] must be empty or hold {list(self.STATE)}, got {s!r}")
            for key, value in s.items():
                _number(f"state[{i}][{key!r}]", value)
        self.configure(**hyperparameters)
        self.state = [dict(s) for s in states]


class SGD(Optimizer):
    """``p -= lr * v`` with ``v = momentum * v + g`` (``v = g`` on the first
    step) and ``g = grad + weight_decay * p``, as ``torch.optim.SGD``.

    Examples:
        >>> p = Value(1.0); p.grad = 0.5
        >>> SGD([p], lr=0.1).step(); p.data
        0.95
    """

    HYPERPARAMETERS = ("lr", "momentum", "weight_decay")
    STATE = ("momentum_buffer",)

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.configure(lr=lr, momentum=momentum, weight_decay=weight_decay)

    def configure(self, *, lr: float, momentum: float, weight_decay: float) -> None:
        checked = [
            _at_least_zero(name, x)
            for name, x in (("lr", lr), ("momentum", momentum), ("weight_decay", weight_decay))
        ]
        self.lr, self.momentum, self.weight_decay = checked

    def step(self) -> None:
        lr, momentum, weight_decay = self.lr, self.momentum, self.weight_decay
        if not (momentum or weight_decay):  # plain SGD: the loop below without its state
            for p in self.params:
                g = p.grad
                if g is not None:
                    p.data -= lr * g
            return
        for p, state in zip(self.params, self.state, strict=True):
            g = p.grad
            if g is None:
                continue
            if weight_decay:
                g = g + weight_decay * p.data
            if momentum:
                buffer = state.get("momentum_buffer")
                g = state["momentum_buffer"] = g if buffer is None else buffer * momentum + g
            p.data -= lr * g


class Adam(Optimizer):
    """Adam as ``torch.optim.Adam`` computes it: ``weight_decay`` adds
    ``weight_decay * p`` to the gradient (L2), and the bias corrections are
    folded into the step size and the denominator, in that order.

    ``weight_decay=None`` is the class's default, torch's: 0 for Adam, 1e-2
    for AdamW.

    Examples:
        >>> p = Value(1.0); p.grad = 0.5
        >>> Adam([p], lr=0.1).step(); round(p.data, 6)
        0.9
    """

    HYPERPARAMETERS = ("lr", "betas", "eps", "weight_decay")
    STATE = ("step", "exp_avg", "exp_avg_sq")
    DECOUPLED = False  # AdamW shrinks the weights instead of adding to the gradient
    WEIGHT_DECAY = 0.0  # the default, torch's: 0 for Adam, 1e-2 for AdamW

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float | None = None,
    ) -> None:
        super().__init__(params)
        decay = self.WEIGHT_DECAY if weight_decay is None else weight_decay
        self.configure(lr=lr, betas=betas, eps=eps, weight_decay=decay)

    def configure(
        self,
        *,
        lr: float,
        betas: tuple[float, float] | list[float],
        eps: float,
        weight_decay: float,
    ) -> None:
        checked = [
            _at_least_zero(name, x)
            for name, x in (("lr", lr), ("eps", eps), ("weight_decay", weight_decay))
        ]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair of numbers, got {betas!r}")
        for i, beta in enumerate(betas):
            if not 0.0 <= _number(f"betas[{i}]", beta) < 1.0:
                raise ValueError(f"invalid betas[{i}] {beta!r}: must be in [0, 1)")
        self.lr, self.eps, self.weight_decay = checked
        self.betas = (float(betas[0]), float(betas[1]))

    def state_dict(self) -> dict[str, Any]:
        state = super().state_dict()
        state["hyperparameters"]["betas"] = list(self.betas)  # as JSON reads it back
        return state

    def step(self) -> None:
        (b1, b2), lr, eps, weight_decay = self.betas, self.lr, self.eps, self.weight_decay
        for p, state in zip(self.params, self.state, strict=True):
            g = p.grad
            if g is None:
                continue
            if weight_decay and self.DECOUPLED:
                p.data *= 1 - lr * weight_decay
            elif weight_decay:
                g = g + weight_decay * p.data
            step = state["step"] = state.get("step", 0) + 1
            m = state["exp_avg"] = _lerp(state.get("exp_avg", 0.0), g, 1 - b1)
            v = state["exp_avg_sq"] = state.get("exp_avg_sq", 0.0) * b2 + (1 - b2) * g * g
            step_size = lr / (1 - b1**step)
            p.data -= step_size * m / (math.sqrt(v) / (1 - b2**step) ** 0.5 + eps)


class AdamW(Adam):
    """Adam with decoupled weight decay, as ``torch.optim.AdamW``: each step
    first shrinks ``p`` by ``lr * weight_decay * p``, and the gradient stays
    as backward left it. ``weight_decay`` defaults to torch's 1e-2.

    Examples:
        >>> p = Value(1.0); p.grad = 0.0
        >>> AdamW([p], lr=0.1, weight_decay=0.5).step(); p.data
        0.95
    """

    DECOUPLED = True
    WEIGHT_DECAY = 1e-2


def _lerp(start: float, end: float, weight: float) -> float:
    """``start + weight * (end - start)``, in the form torch's lerp uses for
    this weight, so moving averages agree with torch to the last bit."""
    if abs(weight) < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


def _number(name: str, x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(x).__name__}: {x!r}")
    return float(x)


def _at_least_zero(name: str, x: object) -> float:
    value = _number(name, x)
    if not value >= 0.0:  # nan fails too
        raise ValueError(f"invalid {name} {x!r}: must be >= 0")
    return value
