"""``fit``: the training loop, in batches, with a progress line."""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, Literal, Protocol, TextIO, TypeVar

from autograd import CompiledStep, Value, compile_grad
from nn.losses import mse_loss
from nn.optim import SGD, Optimizer
from nn.randomness import RandomSource, random_source


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

    On a terminal a single line shows epoch, loss and samples per second;
    written to a file or pipe it prints ten lines; ``quiet`` prints nothing.

    ``compile=True`` traces one sample's loss with ``compile_grad`` and runs
    every batch through the generated code (``backend="numpy"``: as arrays
    over the batch), with the weights ``backward()`` would give (to 1e-12).
    It needs a ``loss`` that sums or averages its samples' losses, as every
    loss in ``nn`` does (checked on the first samples); integer targets are
    class indices, each compiled in as a constant.

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
    compiled = CompiledLoss(model, xs, ys, loss, regularization, backend) if compile else None
    if optimizer is None:
        optimizer = SGD(model.parameters(), lr=lr)
    elif not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be an optimizer object, e.g. SGD(model.parameters(), lr=0.1), "
            f"got {optimizer!r}"
        )
    elif not set(optimizer.params) & set(model.parameters()):
        raise ValueError(
            "the optimizer updates none of the model's parameters: build it with model.parameters()"
        )
    source = random_source(seed, rng)
    order = list(range(n))
    stream = stream or sys.stderr
    live = not quiet and stream.isatty()
    every = max(1, epochs // 10)
    history = []
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        if shuffle:
            source.shuffle(order)
        epoch_loss = 0.0
        for first in range(0, n, size):
            batch = order[first : first + size]
            optimizer.zero_grad()
            if compiled is None:
                total = loss([model(xs[i]) for i in batch], [ys[i] for i in batch])
                if regularization is not None:
                    total = total + regularization(model)
                total.backward()
                batch_loss = total.data
            else:
                batch_loss = compiled.run(batch)
            optimizer.step()
            epoch_loss += batch_loss * (len(batch) / n)
        history.append(epoch_loss)
        if not quiet and (live or epoch % every == 0 or epoch == epochs):
            rate = epoch * n / max(time.perf_counter() - start, 1e-9)
            line = f"epoch {epoch}/{epochs}  loss {epoch_loss:.6g}  {rate:.0f} samples/s"
            stream.write(f"\r{line}" if live else f"{line}\n")
            stream.flush()
    if live:
        stream.write("\n")
    return history


class CompiledLoss:
    """``loss`` over a batch, run as code ``compile_grad`` generated for one
    sample: the batch's per-sample losses summed or averaged as ``loss``
    does, plus the regularization term, gradients added into ``.grad``."""

    def __init__(
        self,
        model: Model,
        xs: Sequence[Sequence[float]],
        ys: Sequence[Any],
        loss: Callable[[list[Any], list[Any]], Value],
        regularization: Callable[[Any], Value] | None,
        backend: Literal["python", "numpy"],
    ) -> None:
        # numpy rows and targets as plain numbers: compile_grad traces numbers
        xs = [x.tolist() if hasattr(x, "tolist") else list(x) for x in xs]
        ys = ys.tolist() if hasattr(ys, "tolist") else list(ys)
        self.xs, self.ys = xs, ys
        self.reduce = _reduction(model, xs, ys, loss)
        params = _named_parameters(model)
        # Class indices are constants of the loss, not inputs: one step per class.
        self.by_class = all(isinstance(y, int) and not isinstance(y, bool) for y in ys)
        self.steps: dict[Any, CompiledStep] = {}
        if self.by_class:
            for k in sorted(set(ys)):
                self.steps[k] = compile_grad(
                    lambda x, k=k: loss([model(x)], [k]),
                    xs[ys.index(k)],
                    params=params,
                    backend=backend,
                )
        else:
            self.steps[None] = compile_grad(
                lambda x, y: loss([model(x)], [y]), xs[0], ys[0], params=params, backend=backend
            )
        self.regularization = (
            None
            if regularization is None
            else compile_grad(lambda: regularization(model), params=params)
        )
        self.params = model.parameters()

    def run(self, batch: list[int]) -> float:
        """The batch's loss; its gradients are added into the parameters' ``.grad``."""
        if not self.by_class:
            samples = [(self.xs[i], self.ys[i]) for i in batch]
            total = self.steps[None].batch(samples, reduce=self.reduce)
        else:
            total = 0.0
            for k, step in self.steps.items():
                inputs = [(self.xs[i],) for i in batch if self.ys[i] == k]
                if inputs:
                    total += step.batch(inputs, reduce="sum")
            if self.reduce == "mean":
                total /= len(batch)
                for p in self.params:
                    p.grad /= len(batch)
        if self.regularization is not None:
            total += self.regularization()
        return total


def _named_parameters(model: Model) -> list[tuple[str, Value]] | list[Value]:
    named = getattr(model, "named_parameters", None)
    return named() if callable(named) else model.parameters()


def _reduction(
    model: Model,
    xs: Sequence[Sequence[float]],
    ys: Sequence[Any],
    loss: Callable[[list[Any], list[Any]], Value],
) -> Literal["sum", "mean"]:
    """Whether ``loss`` sums or averages its samples' losses, read off the
    first samples whose losses tell the two apart."""
    for i in range(1, min(len(xs), 8)):
        pair = [i - 1, i]
        outputs = [model(xs[j]) for j in pair]
        whole = loss(outputs, [ys[j] for j in pair]).data
        parts = [loss([outputs[k]], [ys[j]]).data for k, j in enumerate(pair)]
        total = parts[0] + parts[1]
        if total == 0:
            continue
        if math.isclose(whole, total, rel_tol=1e-9):
            return "sum"
        if math.isclose(whole, total / 2, rel_tol=1e-9):
            return "mean"
        raise ValueError(
            f"compile=True needs a loss that sums or averages its samples' losses; "
            f"{getattr(loss, '__name__', loss)!r} gives {whole!r} for two samples whose own "
            f"losses are {parts[0]!r} and {parts[1]!r}"
        )
    return "mean"
