"""Losses over one output or many. ``outputs`` and ``targets`` may each be a
single value, a list of them, or a list of lists (several outputs per sample);
any sequence or array of numbers works like a list (numpy arrays, with their
``tolist()``, without glassgrad importing numpy)."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any, Protocol, TypeAlias

from autograd import Value


class ArrayLike(Protocol):
    """Anything with numpy's ``tolist()``: numpy arrays and scalars, torch tensors."""

    def tolist(self) -> Any: ...


Numbers: TypeAlias = "Value | float | Sequence[Numbers] | ArrayLike"


def _pairs(outputs: Numbers, targets: Numbers) -> list[tuple[Value | float, Value | float]]:
    flat_o, flat_t = _flatten(outputs), _flatten(targets)
    if len(flat_o) != len(flat_t):
        raise ValueError(f"{len(flat_o)} outputs but {len(flat_t)} targets")
    if not flat_o:
        raise ValueError("a loss needs at least one output")
    return list(zip(flat_o, flat_t, strict=True))


def _flatten(xs: Numbers) -> list[Value | float]:
    flat: list[Value | float] = []
    stack = [iter([xs])]
    while stack:  # iterative, like every walk in glassgrad
        for x in stack[-1]:
            if type(x) is Value or type(x) is float:  # the common case, checked first
                flat.append(x)
                continue
            if hasattr(x, "tolist"):  # an array becomes nested lists, a scalar a number
                x = x.tolist()
            if isinstance(x, Sequence) and not isinstance(x, str):
                stack.append(iter(x))
                break
            # Value(x) takes any real number, and its TypeError names anything else
            flat.append(x if isinstance(x, Value) else Value(x).data)  # type: ignore[arg-type]
        else:
            stack.pop()
    return flat


def sse_loss(outputs: Numbers, targets: Numbers) -> Value:
    """The tutorial's ``0.5 * sum((y - o)**2)``; its gradient is ``o - y``.

    Examples:
        >>> sse_loss([Value(0.5), Value(1.0)], [1.0, 1.0]).data
        0.125
    """
    return 0.5 * Value.sum([(y - o) ** 2 for o, y in _pairs(outputs, targets)])


def mse_loss(outputs: Numbers, targets: Numbers) -> Value:
    """Mean of ``(o - y)**2``.

    Examples:
        >>> mse_loss([Value(0.0), Value(2.0)], [1.0, 1.0]).data
        1.0
    """
    pairs = _pairs(outputs, targets)
    return Value.sum([(o - y) ** 2 for o, y in pairs]) / len(pairs)


def binary_cross_entropy(logits: Numbers, targets: Numbers) -> Value:
    """Mean binary cross-entropy of sigmoid(logit) against targets in [0, 1],
    computed from the logit as torch's ``binary_cross_entropy_with_logits``
    computes it, ``(1 - y) * z - log_sigmoid(z)``: no exp overflows, no log
    sees 0, the values are torch's to the last bits, at the ends too (inf
    for ``z = inf, y = 0``; nan where torch gives nan), and the gradient is
    ``sigmoid(z) - y`` (0.5 - y at 0), to within an ulp of 1.

    Examples:
        >>> z = Value(0.0)
        >>> loss = binary_cross_entropy([z], [1.0]); loss.backward()
        >>> round(loss.data, 6), z.grad
        (0.693147, -0.5)
        >>> binary_cross_entropy([Value(float("inf"))], [0.0]).data
        inf
    """
    pairs = _pairs(logits, targets)
    return Value.sum([_bce_with_logit(_value(z), y) for z, y in pairs]) / len(pairs)


def _bce_with_logit(z: Value, y: Value | float) -> Value:
    """``(1 - y) * z - log_sigmoid(z)``, with torch's ``log_sigmoid(z) =
    min(z, 0) - log1p(exp(-|z|))`` in its order of operations. ``min(z, 0)``
    is ``clamp(z, hi=0)`` and ``-|z|`` is ``2 * min(z, 0) - z``, both exact;
    as clamp passes the gradient at its bound, the gradient at z = 0 is
    torch's 0.5 - y (relu and abs pass none there)."""
    low = z.clamp(hi=0.0)
    log_sigmoid = low - (2.0 * low - z).softplus()  # softplus of a number <= 0 is log1p(exp(.))
    return (1 - y) * z - log_sigmoid


def hinge_loss(scores: Numbers, targets: Numbers) -> Value:
    """Mean ``relu(1 - y * s)`` for labels ``y`` in {-1, +1} (SVM margin loss).

    Examples:
        >>> hinge_loss([Value(2.0), Value(0.5)], [1, 1]).data
        0.25
    """
    pairs = _pairs(scores, targets)
    return Value.sum([_value(1 - y * s).relu() for s, y in pairs]) / len(pairs)


def softmax(logits: Numbers) -> list[Value]:
    """``exp(z_i) / sum_j exp(z_j)`` over one sample's logits. The largest
    logit is subtracted first, as a constant (softmax does not change when
    every logit moves by the same amount), so no exp overflows.

    Examples:
        >>> [round(p.data, 4) for p in softmax([Value(1.0), Value(2.0), Value(3.0)])]
        [0.09, 0.2447, 0.6652]
        >>> [p.data for p in softmax([Value(1000.0), Value(-1000.0)])]
        [1.0, 0.0]
    """
    zs, top = _logits(logits)
    exps = [(z - top).exp() for z in zs]
    total = Value.sum(exps)
    return [e / total for e in exps]


def cross_entropy(logits: Numbers, targets: Numbers) -> Value:
    """Multi-class cross-entropy from logits, as ``torch.nn.functional.
    cross_entropy``: ``-log softmax(z)[target]``, computed as
    ``log(sum_j exp(z_j - m)) - (z[target] - m)`` with the largest logit
    ``m`` a constant, so logits of +-1000 give exact losses and gradients.

    One sample: a list of logits and the index of its class. A batch: a list
    of such lists and a list of indices, giving the mean loss.

    Examples:
        >>> round(cross_entropy([Value(1.0), Value(2.0), Value(3.0)], 2).data, 6)
        0.407606
        >>> cross_entropy([Value(1000.0), Value(-1000.0)], 1).data
        2000.0
        >>> round(cross_entropy([[0.0, 0.0], [5.0, 0.0]], [0, 0]).data, 6)
        0.349931
    """
    rows = logits.tolist() if hasattr(logits, "tolist") else logits
    if not isinstance(rows, Sequence):
        raise TypeError(
            f"cross_entropy takes a list of logits, one per class, got {type(rows).__name__}; "
            "a model with one output is a two-class model: use binary_cross_entropy"
        )
    if rows and _is_row(rows[0]):
        indices = targets.tolist() if hasattr(targets, "tolist") else targets
        if not isinstance(indices, Sequence) or len(indices) != len(rows):
            raise ValueError(
                f"{len(rows)} rows of logits need as many class indices, got {targets!r}"
            )
        losses = [_cross_entropy_one(row, t) for row, t in zip(rows, indices, strict=True)]
        return Value.sum(losses) / len(losses)
    return _cross_entropy_one(rows, targets)


def _cross_entropy_one(logits: Numbers, target: object) -> Value:
    zs, top = _logits(logits)
    if isinstance(target, bool) or not hasattr(target, "__index__"):
        raise TypeError(
            f"the target of cross_entropy is a class index (an int), got {target!r}; "
            "a batch takes a list of lists of logits"
        )
    t = operator.index(target)
    if not 0 <= t < len(zs):
        raise IndexError(f"target class {t} is out of range for {len(zs)} logits")
    shifted = [z - top for z in zs]
    return Value.sum([s.exp() for s in shifted]).log() - shifted[t]


def _is_row(x: object) -> bool:
    return hasattr(x, "tolist") or (isinstance(x, Sequence) and not isinstance(x, str))


def _logits(logits: Numbers) -> tuple[list[Value], Value]:
    """One sample's logits as Values, and the largest of them detached: a
    constant to the gradient. Found by comparing the logits, not by reading
    their numbers, so compile_grad sees the comparisons (as guards) and
    computes the shift afresh on every call."""
    zs = [_value(z) for z in _flatten(logits)]
    if not zs:
        raise ValueError("softmax and cross_entropy need at least one logit")
    return zs, max(zs).detach()


def _value(x: Value | float) -> Value:
    return x if isinstance(x, Value) else Value(x)
