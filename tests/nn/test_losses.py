"""Losses: values, gradients against torch float64, stability, and the shapes they accept."""

import math

import pytest

from autograd import Value, gradcheck, gradgradcheck
from nn import (
    binary_cross_entropy,
    cross_entropy,
    hinge_loss,
    mse_loss,
    softmax,
    sse_loss,
)


def values(xs):
    return [Value(x) for x in xs]


def test_sse_mse_and_hinge_values():
    outs = values([0.5, 2.0])
    assert sse_loss(outs, [1.0, 1.0]).data == 0.5 * (0.25 + 1.0)
    assert mse_loss(outs, [1.0, 1.0]).data == (0.25 + 1.0) / 2
    assert hinge_loss(outs, [1, -1]).data == (0.5 + 3.0) / 2


def test_numpy_targets_and_outputs_work_like_lists():
    np = pytest.importorskip("numpy")
    outs = values([0.5, 2.0])
    assert mse_loss(outs, np.array([1.0, 2.0])).data == mse_loss(outs, [1.0, 2.0]).data == 0.125
    assert sse_loss(np.array([0.5, 2.0]), np.array([1.0, 2.0])).data == 0.125
    # several outputs per sample: a 2-D array of targets
    rows = [values([0.0, 1.0]), values([2.0, 3.0])]
    assert mse_loss(rows, np.array([[0.0, 0.0], [0.0, 0.0]])).data == (0 + 1 + 4 + 9) / 4
    # numpy scalars are numbers
    assert mse_loss([Value(1.0)], [np.float32(3.0)]).data == 4.0
    assert hinge_loss(outs, np.array([1, -1])).data == 1.75


def test_tuples_and_nested_sequences_flatten_in_order():
    outs = values([1.0, 2.0, 3.0])
    assert mse_loss((outs[0], [outs[1], (outs[2],)]), ([0.0], 0.0, [0.0])).data == 14 / 3


@pytest.mark.parametrize(
    "targets, error, message",
    [
        ([1.0], ValueError, "2 outputs but 1 targets"),
        ({"a": 1.0, "b": 2.0}, TypeError, "expected a real number, got dict"),
        (["1", "2"], TypeError, "expected a real number, got str"),
    ],
)
def test_mismatched_or_non_numeric_targets_are_named(targets, error, message):
    with pytest.raises(error, match=message):
        mse_loss(values([1.0, 2.0]), targets)


def test_a_loss_of_nothing_is_refused():
    with pytest.raises(ValueError, match="at least one output"):
        mse_loss([], [])


def test_binary_cross_entropy_matches_torch():
    torch = pytest.importorskip("torch")
    zs, ys = [0.3, -2.0, 40.0, -800.0], [1.0, 0.0, 0.25, 1.0]
    logits = values(zs)
    loss = binary_cross_entropy(logits, ys)
    loss.backward()
    t = torch.tensor(zs, dtype=torch.float64, requires_grad=True)
    t_loss = torch.nn.functional.binary_cross_entropy_with_logits(
        t, torch.tensor(ys, dtype=torch.float64)
    )
    t_loss.backward()
    assert loss.data == pytest.approx(t_loss.item(), rel=1e-14)
    assert [z.grad for z in logits] == pytest.approx(t.grad.tolist(), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize(
    "z",
    [-math.inf, -1000.0, -30.0, -20.5, -3.0, -0.0, 0.0, 1e-9, 3.0, 19.0, 30.0, 1000.0, math.inf],
)
@pytest.mark.parametrize("y", [0.0, 0.3, 0.5, 1.0])
def test_binary_cross_entropy_at_zero_and_the_ends_is_torchs(z, y):
    torch = pytest.importorskip("torch")
    logit = Value(z)
    loss = binary_cross_entropy([logit], [y])
    loss.backward()
    t = torch.tensor([z], dtype=torch.float64, requires_grad=True)
    t_loss = torch.nn.functional.binary_cross_entropy_with_logits(
        t, torch.tensor([y], dtype=torch.float64)
    )
    t_loss.backward()
    want, want_grad = t_loss.item(), t.grad.item()
    if math.isnan(want):
        assert math.isnan(loss.data)  # its gradient is then torch's own choice
        return
    assert loss.data == pytest.approx(want, rel=1e-12, abs=1e-300)
    # torch differentiates analytically; the graph gets sigmoid(z) - y as
    # 1 - (1 - sigmoid(z)) where z < 0: exact to an ulp of 1
    assert logit.grad == pytest.approx(want_grad, rel=1e-12, abs=1e-15)


def test_softmax_sums_to_one_and_matches_torch_with_gradients():
    torch = pytest.importorskip("torch")
    zs = [0.5, -1.25, 3.0, 0.0]
    logits = values(zs)
    probs = softmax(logits)
    weights = [0.3, -1.0, 2.0, 0.7]  # a downstream use, so every softmax gradient matters
    Value.dot(weights, probs).backward()
    t = torch.tensor(zs, dtype=torch.float64, requires_grad=True)
    t_probs = torch.softmax(t, dim=0)
    (t_probs * torch.tensor(weights, dtype=torch.float64)).sum().backward()
    assert math.fsum(p.data for p in probs) == pytest.approx(1.0, abs=1e-15)
    assert [p.data for p in probs] == pytest.approx(t_probs.tolist(), rel=1e-14)
    assert [z.grad for z in logits] == pytest.approx(t.grad.tolist(), rel=1e-12, abs=1e-15)


def test_softmax_of_extreme_logits_is_exact():
    probs = softmax(values([1000.0, -1000.0, 1000.0]))
    assert [p.data for p in probs] == [0.5, 0.0, 0.5]


@pytest.mark.parametrize(
    "zs, target",
    [
        ([0.5, -1.25, 3.0], 0),
        ([0.5, -1.25, 3.0], 2),
        ([1000.0, -1000.0, 0.0], 1),  # -log softmax = 2000, exactly
        ([1000.0, -1000.0, 0.0], 0),
        ([-1000.0, -1000.0], 1),
        ([7.0], 0),
    ],
)
def test_cross_entropy_matches_torch_with_gradients(zs, target):
    torch = pytest.importorskip("torch")
    logits = values(zs)
    loss = cross_entropy(logits, target)
    loss.backward()
    t = torch.tensor([zs], dtype=torch.float64, requires_grad=True)
    t_loss = torch.nn.functional.cross_entropy(t, torch.tensor([target]))
    t_loss.backward()
    assert math.isfinite(loss.data)
    assert loss.data == pytest.approx(t_loss.item(), rel=1e-14, abs=1e-300)
    assert [z.grad for z in logits] == pytest.approx(t.grad[0].tolist(), rel=1e-12, abs=1e-300)


def test_cross_entropy_at_extreme_logits_is_exact():
    loss = cross_entropy(values([1000.0, -1000.0, 0.0]), 1)
    assert loss.data == 2000.0
    assert cross_entropy(values([1000.0, -1000.0]), 0).data == 0.0


def test_cross_entropy_of_a_batch_is_the_mean_and_matches_torch():
    torch = pytest.importorskip("torch")
    rows = [[0.5, -1.25, 3.0], [2.0, 2.0, -3.0], [0.0, 10.0, -10.0], [1.0, 0.5, 0.25]]
    targets = [2, 0, 2, 1]
    logits = [values(r) for r in rows]
    loss = cross_entropy(logits, targets)
    loss.backward()
    t = torch.tensor(rows, dtype=torch.float64, requires_grad=True)
    t_loss = torch.nn.functional.cross_entropy(t, torch.tensor(targets))
    t_loss.backward()
    assert loss.data == pytest.approx(t_loss.item(), rel=1e-14)
    for row, t_row in zip(logits, t.grad.tolist(), strict=True):
        assert [z.grad for z in row] == pytest.approx(t_row, rel=1e-12, abs=1e-16)


def test_cross_entropy_takes_numpy_targets_and_plain_number_logits():
    np = pytest.importorskip("numpy")
    rows = [[0.0, 0.0], [5.0, 0.0]]
    expected = (math.log(2) + math.log(1 + math.exp(-5))) / 2
    assert cross_entropy(rows, np.array([0, 0])).data == pytest.approx(expected, rel=1e-15)
    assert cross_entropy(np.array(rows), [0, 0]).data == pytest.approx(expected, rel=1e-15)
    assert cross_entropy([0.0, 0.0], np.int64(1)).data == pytest.approx(math.log(2))


@pytest.mark.parametrize(
    "logits, target, error, message",
    [
        ([1.0, 2.0], 2, IndexError, "target class 2 is out of range for 2 logits"),
        ([1.0, 2.0], -1, IndexError, "target class -1 is out of range"),
        ([1.0, 2.0], 1.0, TypeError, "class index \\(an int\\), got 1.0"),
        ([1.0, 2.0], True, TypeError, "class index"),
        ([1.0, 2.0], [1], TypeError, "class index"),
        ([[1.0, 2.0], [3.0, 4.0]], [1], ValueError, "2 rows of logits need as many"),
        ([[1.0, 2.0]], 1, ValueError, "1 rows of logits need as many"),
        ([], 0, ValueError, "at least one logit"),
    ],
)
def test_cross_entropy_names_bad_targets(logits, target, error, message):
    with pytest.raises(error, match=message):
        cross_entropy(logits, target)


def test_softmax_and_cross_entropy_pass_gradcheck_and_gradgradcheck():
    def entropy(a, b, c):
        return cross_entropy([a, b, c], 1)

    def weighted(a, b, c):
        return Value.dot([0.3, -1.0, 2.0], softmax([a, b, c]))

    for f in (entropy, weighted):
        assert gradcheck(f, [0.5, -1.25, 3.0])
        assert gradgradcheck(f, [0.5, -1.25, 3.0])


def test_cross_entropy_of_one_logit_says_to_use_binary_cross_entropy():
    with pytest.raises(TypeError, match="one per class.*binary_cross_entropy"):
        cross_entropy(Value(0.7), 0)
