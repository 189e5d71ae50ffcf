"""SGD (with momentum) and Adam step for step against torch."""

import pytest

from autograd import Value
from nn import SGD, Adam


def quadratic_bowl(ps):
    a, b = ps
    return (a - 1.5) ** 2 * 3 + (a * b).tanh() + (b + 0.5) ** 4


@pytest.mark.parametrize(
    "make, make_torch",
    [
        (
            lambda ps: SGD(ps, lr=0.05, momentum=0.9),
            lambda torch, ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9),
        ),
        (lambda ps: SGD(ps, lr=0.05), lambda torch, ps: torch.optim.SGD(ps, lr=0.05)),
        (lambda ps: Adam(ps, lr=0.1), lambda torch, ps: torch.optim.Adam(ps, lr=0.1)),
    ],
)
def test_trajectories_match_torch_over_20_steps(make, make_torch):
    torch = pytest.importorskip("torch")
    start = [0.3, -1.1]
    ps = [Value(v) for v in start]
    tps = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in start]
    opt, topt = make(ps), make_torch(torch, tps)
    for _ in range(20):
        opt.zero_grad()
        quadratic_bowl(ps).backward()
        opt.step()
        topt.zero_grad()
        quadratic_bowl(tps).backward()
        topt.step()
        for p, t in zip(ps, tps):
            assert p.data == pytest.approx(t.item(), abs=1e-9)


def test_zero_grad_clears_every_parameter():
    ps = [Value(1.0), Value(2.0)]
    (ps[0] * ps[1]).backward()
    SGD(ps, lr=0.1).zero_grad()
    assert [p.grad for p in ps] == [0.0, 0.0]


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError, match="learning rate"):
        SGD([Value(1.0)], lr=0)
    with pytest.raises(ValueError, match="empty"):
        Adam([])
