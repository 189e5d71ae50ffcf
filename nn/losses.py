"""Losses over one output or many. ``outputs`` and ``targets`` may each be a
single value, a list of them, or a list of lists (several outputs per sample)."""

from __future__ import annotations

from autograd import Value


def _pairs(outputs, targets) -> list[tuple]:
    flat_o, flat_t = _flatten(outputs), _flatten(targets)
    if len(flat_o) != len(flat_t):
        raise ValueError(f"{len(flat_o)} outputs but {len(flat_t)} targets")
    if not flat_o:
        raise ValueError("a loss needs at least one output")
    return list(zip(flat_o, flat_t))


def _flatten(xs) -> list:
    if not isinstance(xs, (list, tuple)):
        return [xs]
    flat = []
    stack = [iter(xs)]
    while stack:  # iterative, like every walk in glassgrad
        for x in stack[-1]:
            if isinstance(x, (list, tuple)):
                stack.append(iter(x))
                break
            flat.append(x)
        else:
            stack.pop()
    return flat


def sse_loss(outputs, targets) -> Value:
    """The tutorial's ``0.5 * sum((y - o)**2)``; its gradient is ``o - y``.

    >>> sse_loss([Value(0.5), Value(1.0)], [1.0, 1.0]).data
    0.125
    """
    return 0.5 * Value.sum([(y - o) ** 2 for o, y in _pairs(outputs, targets)])


def mse_loss(outputs, targets) -> Value:
    """Mean of ``(o - y)**2``.

    >>> mse_loss([Value(0.0), Value(2.0)], [1.0, 1.0]).data
    1.0
    """
    pairs = _pairs(outputs, targets)
    return Value.sum([(o - y) ** 2 for o, y in pairs]) / len(pairs)


def binary_cross_entropy(logits, targets) -> Value:
    """Mean binary cross-entropy of sigmoid(logit) against targets in [0, 1],
    computed from the logit as ``relu(z) - z*y + log(1 + exp(-|z|))`` so that
    no exp overflows and no log sees 0.

    >>> round(binary_cross_entropy([Value(0.0)], [1.0]).data, 6)
    0.693147
    """
    pairs = _pairs(logits, targets)
    zs = [(z if isinstance(z, Value) else Value(z), y) for z, y in pairs]
    return Value.sum([z.relu() - z * y + (1 + (-abs(z)).exp()).log() for z, y in zs]) / len(pairs)


def hinge_loss(scores, targets) -> Value:
    """Mean ``relu(1 - y * s)`` for labels ``y`` in {-1, +1} (SVM margin loss).

    >>> hinge_loss([Value(2.0), Value(0.5)], [1, 1]).data
    0.25
    """
    pairs = _pairs(scores, targets)
    return Value.sum([(1 - y * s).relu() for s, y in pairs]) / len(pairs)
