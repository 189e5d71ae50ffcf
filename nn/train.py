"""``fit``: the training loop, in batches, with a progress line."""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TextIO, TypeVar

from autograd import Value
from nn.losses import mse_loss
from nn.optim import SGD, Optimizer


class Model(Protocol):
    """What ``fit`` trains: called on one sample's inputs, with parameters."""

    def __call__(self, x: Sequence[Value | float], /) -> Any: ...

    def parameters(self) -> list[Value]: ...


M = TypeVar("M", bound=Model)


def fit(
    model: M,
    xs: Sequence[Sequence[float]],
    ys: Sequence[Any],
    epochs: int = 100,
    loss: Callable[[list[Any], list[Any]], Value] = mse_loss,
    optimizer: Optimizer | None = None,
    lr: float = 0.1,
    regularization: Callable[[M], Value] | None = None,
    batch_size: int | None = None,
    shuffle: bool = False,
    seed: int | None = None,
    quiet: bool = False,
    stream: TextIO | None = None,
) -> list[float]:
    """Train ``model`` on samples ``xs`` with targets ``ys``. Each batch runs
    its samples forward, one backward on ``loss(outputs, targets)`` (plus
    ``regularization(model)``) and one optimizer step (``SGD(lr=lr)`` unless
    an ``optimizer`` is given). ``batch_size=None`` is one batch of every
    sample (full batch); ``shuffle`` reorders the samples every epoch, from
    ``random.Random(seed)``, so a seed gives the same run every time.

    Returns one loss per epoch: each batch's loss (taken before its step)
    weighted by its share of the samples, so a full batch gives exactly its
    loss, and a mean loss over mini-batches gives the mean over all samples.

    On a terminal a single line shows epoch, loss and samples per second;
    written to a file or pipe it prints ten lines; ``quiet`` prints nothing.

    >>> from nn import MLP
    >>> model = MLP(1, [4, 1], activation="tanh", seed=0)
    >>> history = fit(model, [[0.0], [1.0], [2.0]], [0.0, 1.0, 0.5], epochs=50,
    ...               batch_size=2, shuffle=True, seed=0, quiet=True)
    >>> len(history), history[-1] < history[0]
    (50, True)
    """
    n = len(xs)
    if n != len(ys):
        raise ValueError(f"{n} inputs but {len(ys)} targets")
    if n == 0:
        raise ValueError("fit needs at least one sample")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be an int >= 0, got {epochs!r}")
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise ValueError(f"batch_size must be None (full batch) or an int >= 1, got {batch_size!r}")
    size = n if batch_size is None else batch_size
    optimizer = optimizer or SGD(model.parameters(), lr=lr)
    rng = random.Random(seed)
    order = list(range(n))
    stream = stream or sys.stderr
    live = not quiet and stream.isatty()
    every = max(1, epochs // 10)
    history = []
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        if shuffle:
            rng.shuffle(order)
        epoch_loss = 0.0
        for first in range(0, n, size):
            batch = order[first : first + size]
            total = loss([model(xs[i]) for i in batch], [ys[i] for i in batch])
            if regularization is not None:
                total = total + regularization(model)
            optimizer.zero_grad()
            total.backward()
            optimizer.step()
            epoch_loss += total.data * (len(batch) / n)
        history.append(epoch_loss)
        if not quiet and (live or epoch % every == 0 or epoch == epochs):
            rate = epoch * n / max(time.perf_counter() - start, 1e-9)
            line = f"epoch {epoch}/{epochs}  loss {epoch_loss:.6g}  {rate:.0f} samples/s"
            stream.write(f"\r{line}" if live else f"{line}\n")
            stream.flush()
    if live:
        stream.write("\n")
    return history
