"""``fit``: the training loop, in batches, with a progress line."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, Literal, Protocol, TextIO, TypeVar

from autograd import Value, no_gc
from nn.compiled import CompiledLoss
from nn.losses import mse_loss
from nn.optim import SGD, Optimizer
from nn.randomness import RandomSource, random_source


class Model(Protocol):
    """What ``fit`` trains: called on one sample's inputs, with parameters."""

    def __call__(self, x: Sequence[Value | float], /) -> Any: ...

    def parameters(self) -> list[Value]: ...


M = TypeVar("M", bound=Model)
Step = Callable[[list[int]], float]  # one batch (sample indices): its loss, the weights updated


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
    compile: bool = False,
    backend: Literal["python", "numpy"] = "python",
    rng: RandomSource | None = None,
) -> list[float]:
    """Train ``model`` on samples ``xs`` with targets ``ys``. Each batch runs
    its samples forward, one backward on ``loss(outputs, targets)`` (plus
    ``regularization(model)``) and one optimizer step (``SGD(lr=lr)`` unless
    an ``optimizer`` is given). ``batch_size=None`` is one batch of every
    sample (full batch); ``shuffle`` reorders the samples every epoch, from
    ``rng``, else ``random.Random(seed)``, else Python's global ``random``
    (see ``nn.randomness``): a seed gives the same run every time, and so
    does ``random.seed(n)`` before building the model and calling ``fit``.

    Returns one loss per epoch: each batch's loss (taken before its step)
    weighted by its share of the samples, so a full batch gives exactly its
    loss, and a mean loss over mini-batches gives the mean over all samples.

    Each eager batch runs inside ``no_gc()``: its graph has no cycles, so
    Python's cyclic collector is paused for it and restored after.

    On a terminal a single line shows epoch, loss and samples per second;
    written to a file or pipe it prints a line every ``epochs // 10`` epochs
    and one for the last; ``quiet`` prints nothing.

    ``compile=True`` traces one sample's loss with ``compile_grad`` and runs
    every batch through the generated code (``backend="numpy"``: as arrays
    over the batch), with the weights ``backward()`` would give (to 1e-12).
    It needs a ``loss`` that sums or averages its samples' losses, as every
    loss in ``nn`` does (asked of the loss on made-up outputs, so no sample of
    yours can fool it; a loss that does neither is refused); integer targets
    are class indices, each compiled in as a constant. With plain ``SGD``
    and no ``regularization``, each step runs inside the generated code
    (``CompiledStep.train``), bitwise as the separate steps would.

    Examples:
        >>> from nn import MLP
        >>> model = MLP(1, [4, 1], activation="tanh", seed=0)
        >>> history = fit(model, [[0.0], [1.0], [2.0]], [0.0, 1.0, 0.5], epochs=50,
        ...               batch_size=2, shuffle=True, seed=0, quiet=True)
        >>> len(history), history[-1] < history[0]
        (50, True)
    """
    n = _checked_sizes(xs, ys, epochs, batch_size)
    size = n if batch_size is None else batch_size
    compiled = CompiledLoss(model, xs, ys, loss, regularization, backend) if compile else None
    optimizer = _checked_optimizer(model, optimizer, lr)
    if compiled is None:
        step = _eager_step(model, xs, ys, loss, regularization, optimizer)
    else:
        step = _compiled_step(compiled, optimizer)
    progress = _Progress(epochs, n, quiet, stream or sys.stderr)
    source = random_source(seed, rng)
    order = list(range(n))
    history = []
    for epoch in range(1, epochs + 1):
        if shuffle:
            source.shuffle(order)
        epoch_loss = 0.0
        for first in range(0, n, size):
            batch = order[first : first + size]
            epoch_loss += step(batch) * (len(batch) / n)
        history.append(epoch_loss)
        progress.show(epoch, epoch_loss)
    progress.close()
    return history


def _checked_sizes(xs: Sequence[Any], ys: Sequence[Any], epochs: object, batch_size: object) -> int:
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
    return n


def _checked_optimizer(model: Model, optimizer: Optimizer | None, lr: float) -> Optimizer:
    if optimizer is None:
        return SGD(model.parameters(), lr=lr)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be an optimizer object, e.g. SGD(model.parameters(), lr=0.1), "
            f"got {optimizer!r}"
        )
    if not set(optimizer.params) & set(model.parameters()):
        raise ValueError(
            "the optimizer updates none of the model's parameters: build it with model.parameters()"
        )
    return optimizer


def _eager_step(
    model: M,
    xs: Sequence[Any],
    ys: Sequence[Any],
    loss: Callable[[list[Any], list[Any]], Value],
    regularization: Callable[[M], Value] | None,
    optimizer: Optimizer,
) -> Step:
    def step(batch: list[int]) -> float:
        with no_gc():  # the batch's graph is acyclic: the collector would only walk it
            optimizer.zero_grad()
            total = loss([model(xs[i]) for i in batch], [ys[i] for i in batch])
            if regularization is not None:
                total = total + regularization(model)
            total.backward()
            optimizer.step()
            return total.data

    return step


def _compiled_step(compiled: CompiledLoss, optimizer: Optimizer) -> Step:
    if compiled.fuses(optimizer):
        assert isinstance(optimizer, SGD)  # fuses() checked it
        return lambda batch: compiled.train(batch, optimizer.lr)

    def step(batch: list[int]) -> float:
        optimizer.zero_grad()
        total = compiled.run(batch)
        optimizer.step()
        return total

    return step


class _Progress:
    """On a terminal one line that shows epoch, loss and samples per second;
    written to a file or a pipe, a line every ``epochs // 10`` epochs and
    one for the last; with ``quiet``, nothing."""

    def __init__(self, epochs: int, n: int, quiet: bool, stream: TextIO) -> None:
        self.epochs, self.n, self.quiet, self.stream = epochs, n, quiet, stream
        self.live = not quiet and stream.isatty()
        self.every = max(1, epochs // 10)
        self.start = time.perf_counter()

    def show(self, epoch: int, epoch_loss: float) -> None:
        if self.quiet or not (self.live or epoch % self.every == 0 or epoch == self.epochs):
            return
        rate = epoch * self.n / max(time.perf_counter() - self.start, 1e-9)
        line = f"epoch {epoch}/{self.epochs}  loss {epoch_loss:.6g}  {rate:.0f} samples/s"
        self.stream.write(f"\r{line}" if self.live else f"{line}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")
