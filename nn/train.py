"""``fit``: the training loop, with a progress line."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import TextIO

from autograd import Value
from nn.losses import mse_loss
from nn.module import Module
from nn.optim import SGD, Optimizer


def fit(
    model: Module,
    xs: Sequence[Sequence[float]],
    ys: Sequence,
    epochs: int = 100,
    loss: Callable = mse_loss,
    optimizer: Optimizer | None = None,
    lr: float = 0.1,
    regularization: Callable[[Module], Value] | None = None,
    quiet: bool = False,
    stream: TextIO | None = None,
) -> list[float]:
    """Full-batch training: each epoch runs every sample forward, one backward
    on ``loss(outputs, ys)`` (plus ``regularization(model)``), one optimizer
    step. Returns the loss of every epoch.

    On a terminal a single line shows epoch, loss and epochs per second;
    written to a file or pipe it prints ten lines; ``quiet`` prints nothing.

    >>> from nn import MLP
    >>> model = MLP(1, [4, 1], activation="tanh", seed=0)
    >>> history = fit(model, [[0.0], [1.0]], [0.0, 1.0], epochs=50, quiet=True)
    >>> history[-1] < history[0]
    True
    """
    if len(xs) != len(ys):
        raise ValueError(f"{len(xs)} inputs but {len(ys)} targets")
    optimizer = optimizer or SGD(model.parameters(), lr=lr)
    stream = stream or sys.stderr
    live = not quiet and stream.isatty()
    every = max(1, epochs // 10)
    history = []
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        total = loss([model(x) for x in xs], list(ys))
        if regularization is not None:
            total = total + regularization(model)
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        history.append(total.data)
        if not quiet and (live or epoch % every == 0 or epoch == epochs):
            rate = epoch / max(time.perf_counter() - start, 1e-9)
            line = f"epoch {epoch}/{epochs}  loss {total.data:.6g}  {rate:.0f} epochs/s"
            stream.write(f"\r{line}" if live else f"{line}\n")
            stream.flush()
    if live:
        stream.write("\n")
    return history
