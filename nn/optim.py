"""Optimizers with PyTorch's update rules, step for step."""

from __future__ import annotations

import math
from collections.abc import Iterable

from autograd import Value


class Optimizer:
    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("the optimizer got an empty parameter list")
        if not lr > 0:
            raise ValueError(f"learning rate must be positive, got {lr!r}")
        self.lr = lr

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0


class SGD(Optimizer):
    """``p -= lr * v`` with ``v = momentum * v + grad`` (``v = grad`` on the
    first step), as ``torch.optim.SGD``.

    >>> p = Value(1.0); p.grad = 0.5
    >>> SGD([p], lr=0.1).step(); p.data
    0.95
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        if momentum < 0:
            raise ValueError(f"momentum must be >= 0, got {momentum!r}")
        self.momentum = momentum
        self.velocity: list[float] | None = None

    def step(self) -> None:
        if self.momentum:
            if self.velocity is None:
                self.velocity = [p.grad for p in self.params]
            else:
                self.velocity = [
                    self.momentum * v + p.grad for v, p in zip(self.velocity, self.params)
                ]
            for p, v in zip(self.params, self.velocity):
                p.data -= self.lr * v
        else:
            lr = self.lr
            for p in self.params:
                p.data -= lr * p.grad


class Adam(Optimizer):
    """Adam as ``torch.optim.Adam`` computes it (bias corrections folded into
    the step size and the denominator, in that order).

    >>> p = Value(1.0); p.grad = 0.5
    >>> Adam([p], lr=0.1).step(); round(p.data, 6)
    0.9
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.steps = 0
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        self.steps += 1
        b1, b2 = self.beta1, self.beta2
        step_size = self.lr / (1 - b1**self.steps)
        root_correction = math.sqrt(1 - b2**self.steps)
        for i, p in enumerate(self.params):
            g = p.grad
            self.m[i] = m = self.m[i] * b1 + (1 - b1) * g
            self.v[i] = v = self.v[i] * b2 + (1 - b2) * g * g
            p.data -= step_size * m / (math.sqrt(v) / root_correction + self.eps)
