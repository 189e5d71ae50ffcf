"""``fit(compile=True)``: a batch's loss run as code ``compile_grad``
generated for one sample, with gradients as ``backward()`` gives them (to
1e-12), and with plain SGD the whole step inside the generated code."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any, Literal

from autograd import CompiledStep, Value, compile_grad, no_grad
from nn.optim import SGD, Optimizer

Reduce = Literal["sum", "mean"]
# Made-up outputs a loss is asked about (see reduction): varied, none at a
# kink or a target a dataset is likely to hold; of both signs, then in (0, 1)
# for a loss that takes probabilities (a log of a negative output is nan).
PROBES = (
    (0.37, -1.21, 2.53, -0.66, 1.9, -2.8, 0.81, -0.29, 3.4),
    (0.31, 0.62, 0.47, 0.88, 0.13, 0.71, 0.56, 0.24, 0.93),
)


class CompiledLoss:
    """``loss`` over a batch, run as code ``compile_grad`` generated for one
    sample: the batch's per-sample losses summed or averaged as ``loss``
    does, plus the regularization term, gradients added into ``.grad``."""

    def __init__(
        self,
        model: Any,
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
        self.reduce = reduction(model, xs, ys, loss)
        named = getattr(model, "named_parameters", None)
        params = named() if callable(named) else model.parameters()
        # Class indices are constants of the loss, not inputs: one step per class.
        self.by_class = takes_class_indices(model, xs, ys, loss)
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

    def fuses(self, optimizer: Optimizer) -> bool:
        """Whether a batch and ``optimizer``'s step can run as one generated
        training step: plain SGD over exactly the compiled parameters, each
        once (SGD updates one listed twice twice), one compiled loss and no
        regularization."""
        step = self.steps.get(None)
        return (
            step is not None
            and self.regularization is None
            and type(optimizer) is SGD
            and not (optimizer.momentum or optimizer.weight_decay)
            and len(optimizer.params) == len(step.params)
            and set(optimizer.params) == set(step.params)
        )

    def train(self, batch: list[int], lr: float) -> float:
        """One SGD step on the batch inside generated code (``fuses`` holds):
        bitwise the zero_grad, ``run`` and ``SGD.step`` it replaces."""
        samples = [(self.xs[i], self.ys[i]) for i in batch]
        return self.steps[None].train(samples, steps=1, lr=lr, reduce=self.reduce)


def reduction(
    model: Any, xs: Sequence[Any], ys: Sequence[Any], loss: Callable[[list[Any], list[Any]], Value]
) -> Reduce:
    """Whether ``loss`` sums or averages its samples' losses, asked of the
    loss itself: on made-up outputs of the model's shape, ``loss`` of a few
    samples against the samples' own losses, for the targets of each
    distinct value in the data and for its first and last ones (so neither
    a sample whose loss is 0, a nan, nor weights by target go unseen). A
    loss that does neither, or answers differently, is refused."""
    with no_grad():
        shape = model(xs[0])
    width = len(shape) if isinstance(shape, list) else None
    finite = [y for y in ys if _finite(y)] or list(ys)
    distinct = list({repr(y): y for y in finite}.values())
    choices = [distinct[:3], finite[:3], finite[-3:]]
    answers = {_asked(loss, width, targets) for targets in choices if len(targets) > 1}
    answers.discard(None)
    if not answers:
        if len(finite) < 2:
            return "sum"  # one sample: its sum is its mean
        name = getattr(loss, "__name__", repr(loss))
        raise ValueError(
            f"compile=True could not tell whether {name!r} sums or averages its samples' "
            "losses: it is 0 or not finite at every output it was tried on; train with "
            "compile=False"
        )
    if len(answers) > 1:
        raise ValueError(_neither(loss, "answers 'sum' for some targets and 'mean' for others"))
    return answers.pop()  # type: ignore[return-value]  # "sum" or "mean"


def _asked(
    loss: Callable[[list[Any], list[Any]], Value], width: int | None, targets: list[Any]
) -> Reduce | None:
    """What ``loss`` does with these targets on made-up outputs: "sum",
    "mean", or None where every try gave 0 or nan; neither is refused."""
    tries = [(probes, shift) for probes in PROBES for shift in range(len(probes))]
    for probes, shift in tries:
        outputs = [_made_up(probes, shift + 3 * k, width) for k in range(len(targets))]
        with no_grad():
            whole = loss(outputs, targets).data
            parts = [loss([o], [t]).data for o, t in zip(outputs, targets, strict=True)]
        total = math.fsum(parts)
        if total == 0 or not all(map(math.isfinite, [whole, *parts])):
            continue
        if math.isclose(whole, total, rel_tol=1e-9):
            return "sum"
        if math.isclose(whole, total / len(targets), rel_tol=1e-9):
            return "mean"
        raise ValueError(
            _neither(
                loss, f"gives {whole!r} for {len(targets)} samples whose own losses are {parts!r}"
            )
        )
    return None


def _neither(loss: Callable[..., Value], why: str) -> str:
    name = getattr(loss, "__name__", repr(loss))
    return f"compile=True needs a loss that sums or averages its samples' losses; {name!r} {why}"


def takes_class_indices(
    model: Any, xs: Sequence[Any], ys: Sequence[Any], loss: Callable[[list[Any], list[Any]], Value]
) -> bool:
    """Whether integer targets are class indices (constants of the loss, one
    compiled step per class), as ``cross_entropy``'s are: ints that the loss
    refuses as floats. Integer targets the loss takes as floats (labels of
    ``hinge_loss``, regression values) stay inputs of one step."""
    if not all(isinstance(y, int) and not isinstance(y, bool) for y in ys):
        return False
    with no_grad():
        shape = model(xs[0])
    outputs = [_made_up(PROBES[0], 0, len(shape) if isinstance(shape, list) else None)]
    try:
        with no_grad():
            loss(outputs, [float(ys[0])])
    except (TypeError, IndexError):
        return True
    return False


def _made_up(probes: tuple[float, ...], k: int, width: int | None) -> Value | list[Value]:
    """One sample's made-up output: a Value, or ``width`` of them."""
    if width is None:
        return Value(probes[k % len(probes)])
    return [Value(probes[(k + j) % len(probes)] * (0.9 + 0.01 * j)) for j in range(width)]


def _finite(target: object) -> bool:
    """A target of finite numbers only (a number, or a list of them)."""
    if isinstance(target, (list, tuple)):
        return all(map(_finite, target))
    return isinstance(target, numbers.Real) and math.isfinite(float(target))
