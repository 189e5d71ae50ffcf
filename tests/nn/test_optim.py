"""SGD, Adam and AdamW step for step against torch.optim; state_dict; settings."""

import json

import pytest

from autograd import Value
from nn import SGD, Adam, AdamW

START = [0.3, -1.1, 2.0]


def bowl(ps):
    a, b, c = ps
    return (a - 1.5) ** 2 * 3 + (a * b).tanh() + (b + 0.5) ** 4 + c.sigmoid() * a


OPTIMIZERS = {
    "sgd": (lambda ps: SGD(ps, lr=0.05), lambda t, ps: t.optim.SGD(ps, lr=0.05)),
    "sgd momentum": (
        lambda ps: SGD(ps, lr=0.05, momentum=0.9),
        lambda t, ps: t.optim.SGD(ps, lr=0.05, momentum=0.9),
    ),
    "sgd weight decay": (
        lambda ps: SGD(ps, lr=0.05, weight_decay=0.3),
        lambda t, ps: t.optim.SGD(ps, lr=0.05, weight_decay=0.3),
    ),
    "sgd momentum and weight decay": (
        lambda ps: SGD(ps, lr=0.02, momentum=0.5, weight_decay=0.1),
        lambda t, ps: t.optim.SGD(ps, lr=0.02, momentum=0.5, weight_decay=0.1),
    ),
    "adam": (lambda ps: Adam(ps, lr=0.1), lambda t, ps: t.optim.Adam(ps, lr=0.1)),
    "adam betas eps": (
        lambda ps: Adam(ps, lr=0.05, betas=(0.6, 0.8), eps=1e-3),
        lambda t, ps: t.optim.Adam(ps, lr=0.05, betas=(0.6, 0.8), eps=1e-3),
    ),
    "adam weight decay": (
        lambda ps: Adam(ps, lr=0.1, weight_decay=0.2),
        lambda t, ps: t.optim.Adam(ps, lr=0.1, weight_decay=0.2),
    ),
    "adamw": (lambda ps: AdamW(ps, lr=0.1), lambda t, ps: t.optim.AdamW(ps, lr=0.1)),
    "adamw weight decay betas": (
        lambda ps: AdamW(ps, lr=0.05, betas=(0.5, 0.9), eps=1e-6, weight_decay=0.3),
        lambda t, ps: t.optim.AdamW(ps, lr=0.05, betas=(0.5, 0.9), eps=1e-6, weight_decay=0.3),
    ),
}


def run_beside_torch(kind, steps, skips=lambda step: False):
    """Step our optimizer and torch's on the same bowl from the same start,
    comparing parameters after every step; where ``skips(step)``, parameter
    c's grad is None on both sides. Returns our parameters."""
    torch = pytest.importorskip("torch")
    make, make_torch = OPTIMIZERS[kind]
    ps = [Value(v) for v in START]
    tps = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in START]
    opt, topt = make(ps), make_torch(torch, tps)
    for step in range(steps):
        for params, optimizer in ((ps, opt), (tps, topt)):
            optimizer.zero_grad()
            bowl(params).backward()
            if skips(step):
                params[2].grad = None
            optimizer.step()
        assert [p.data for p in ps] == pytest.approx([t.item() for t in tps], rel=1e-14, abs=1e-15)
    return ps


@pytest.mark.parametrize("kind", OPTIMIZERS)
def test_trajectories_match_torch_step_for_step(kind):
    run_beside_torch(kind, steps=25)


@pytest.mark.parametrize("kind", OPTIMIZERS)
def test_a_parameter_whose_grad_is_none_is_skipped_as_torch_skips_it(kind):
    # c misses two steps in three: its state (momentum, Adam's step count) waits
    ps = run_beside_torch(kind, steps=8, skips=lambda step: step % 3 != 2)
    assert ps[2].data != START[2]


def test_a_none_grad_leaves_the_parameter_and_its_state_alone():
    p, q = Value(1.0), Value(2.0)
    p.grad, q.grad = None, 0.5  # type: ignore[assignment]  # torch's habit, tolerated
    opt = Adam([p, q], lr=0.1, weight_decay=0.1)
    opt.step()
    assert p.data == 1.0 and opt.state[0] == {}
    assert opt.state[1]["step"] == 1


def test_zero_grad_sets_every_gradient_to_zero():
    ps = [Value(1.0), Value(2.0)]
    (ps[0] * ps[1]).backward()
    ps[1].grad = None  # type: ignore[assignment]  # torch's habit, tolerated
    SGD(ps, lr=0.1).zero_grad()
    assert [p.grad for p in ps] == [0.0, 0.0]


def test_adamw_decays_the_weights_and_adam_the_gradient():
    # with a zero gradient, AdamW still shrinks p by lr * weight_decay * p ...
    p = Value(2.0)
    AdamW([p], lr=0.1, weight_decay=0.5).step()
    assert p.data == 2.0 * (1 - 0.1 * 0.5)
    # ... while Adam's L2 term goes through the moments: a first step of size lr
    q = Value(2.0)
    Adam([q], lr=0.1, weight_decay=0.5).step()
    assert q.data == pytest.approx(2.0 - 0.1, abs=1e-8)


def descend(opt, params, steps):
    for _ in range(steps):
        opt.zero_grad()
        bowl(params).backward()
        opt.step()


@pytest.mark.parametrize("kind", ["sgd momentum and weight decay", "adam betas eps", "adamw"])
def test_a_saved_state_continues_exactly_like_an_uninterrupted_run(kind):
    make, _ = OPTIMIZERS[kind]
    straight = [Value(v) for v in START]
    opt = make(straight)
    descend(opt, straight, 10)

    interrupted = [Value(v) for v in START]
    first = make(interrupted)
    descend(first, interrupted, 4)
    saved = json.loads(json.dumps(first.state_dict()))  # as a file would give it back
    resumed_params = [Value(p.data) for p in interrupted]
    resumed = make(resumed_params)
    resumed.load_state_dict(saved)
    descend(resumed, resumed_params, 6)
    assert [p.data for p in resumed_params] == [p.data for p in straight]
    assert resumed.state_dict() == json.loads(json.dumps(opt.state_dict()))


def test_state_dict_holds_hyperparameters_and_per_parameter_state():
    p, q = Value(1.0), Value(2.0)
    p.grad, q.grad = 0.5, None  # type: ignore[assignment]  # torch's habit, tolerated
    opt = Adam([p, q], lr=0.1, betas=(0.5, 0.75), eps=1e-6)
    opt.step()
    state = opt.state_dict()
    assert state["optimizer"] == "Adam"
    assert state["hyperparameters"] == {
        "lr": 0.1,
        "betas": [0.5, 0.75],
        "eps": 1e-6,
        "weight_decay": 0.0,
    }
    assert state["state"][0] == {"step": 1, "exp_avg": 0.25, "exp_avg_sq": 0.0625}
    assert state["state"][1] == {}


def test_loading_a_state_sets_the_hyperparameters_too():
    opt = SGD([Value(1.0)], lr=0.5, momentum=0.9)
    opt.load_state_dict(SGD([Value(1.0)], lr=0.1).state_dict())
    assert (opt.lr, opt.momentum, opt.weight_decay) == (0.1, 0.0, 0.0)


def mismatches():
    good = Adam([Value(1.0), Value(2.0)]).state_dict()
    return [
        (SGD([Value(1.0), Value(2.0)], lr=0.1).state_dict(), "from 'SGD', not 'Adam'"),
        (Adam([Value(1.0)]).state_dict(), "holds 1 parameter states.*has 2 parameters"),
        ({**good, "state": None}, "holds no list of parameter states"),
        ({"state": []}, "has the keys 'optimizer', 'hyperparameters' and 'state'"),
        ([], "has the keys"),
        ({**good, "hyperparameters": {"lr": 0.1}}, "Adam hyperparameters are"),
        ({**good, "state": [{"step": 1}, {}]}, "state\\[0\\] must be empty or hold"),
        ({**good, "hyperparameters": {**good["hyperparameters"], "betas": [1.0, 0.9]}}, "betas"),
    ]


@pytest.mark.parametrize("state, message", mismatches())
def test_a_mismatched_state_is_refused_and_changes_nothing(state, message):
    opt = Adam([Value(1.0), Value(2.0)], lr=0.5)
    before = opt.state_dict()
    with pytest.raises(ValueError, match=message):
        opt.load_state_dict(state)
    assert opt.state_dict() == before


def test_a_non_number_in_a_state_is_a_type_error_naming_it():
    opt = SGD([Value(1.0)], lr=0.1, momentum=0.9)
    state = {**opt.state_dict(), "state": [{"momentum_buffer": "0.5"}]}
    with pytest.raises(TypeError, match="state\\[0\\]\\['momentum_buffer'\\] must be a number"):
        opt.load_state_dict(state)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: SGD([Value(1.0)], lr=-0.1), ValueError, "invalid lr -0.1: must be >= 0"),
        (lambda: SGD([Value(1.0)], lr=float("nan")), ValueError, "invalid lr nan"),
        (
            lambda: SGD([Value(1.0)], lr="0.1"),  # type: ignore[arg-type]  # on purpose
            TypeError,
            "lr must be a number, got str",
        ),
        (lambda: SGD([Value(1.0)], lr=0.1, momentum=-1), ValueError, "invalid momentum -1"),
        (lambda: SGD([Value(1.0)], lr=0.1, weight_decay=-1e-3), ValueError, "weight_decay"),
        (
            lambda: Adam([Value(1.0)], betas=(1.0, 0.999)),
            ValueError,
            "betas\\[0\\] 1.0.*\\[0, 1\\)",
        ),
        (lambda: Adam([Value(1.0)], betas=(0.9, 1.5)), ValueError, "betas\\[1\\] 1.5"),
        (lambda: Adam([Value(1.0)], betas=(-0.1, 0.9)), ValueError, "betas\\[0\\] -0.1"),
        (
            lambda: Adam([Value(1.0)], betas=(0.9,)),  # type: ignore[arg-type]  # on purpose
            ValueError,
            "a pair of numbers",
        ),
        (lambda: Adam([Value(1.0)], eps=-1e-8), ValueError, "invalid eps"),
        (lambda: AdamW([Value(1.0)], weight_decay=-0.01), ValueError, "weight_decay"),
        (lambda: Adam([]), ValueError, "empty parameter list"),
        (
            lambda: SGD([1.0], lr=0.1),  # type: ignore[list-item]  # on purpose
            TypeError,
            "params\\[0\\] is a float, not a Value",
        ),
    ],
)
def test_bad_settings_are_named_like_torch_refuses_them(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_a_zero_learning_rate_is_allowed_as_in_torch():
    p = Value(1.0)
    p.grad = 3.0
    SGD([p], lr=0.0).step()
    assert p.data == 1.0


def test_betas_at_one_no_longer_divide_by_zero_mid_training():
    # torch refuses beta = 1 up front; the bias correction 1 - beta**t would be 0
    with pytest.raises(ValueError):
        Adam([Value(1.0)], betas=(0.9, 1.0))


def test_an_optimizer_given_the_model_says_to_pass_its_parameters():
    from nn import MLP

    with pytest.raises(TypeError, match="pass model.parameters"):
        SGD(MLP(2, [1], seed=0), lr=0.1)  # type: ignore[arg-type]  # the mistake under test
