"""state_dict, save and load: round trips and every way they can fail."""

import json
import os
import stat

import pytest

from autograd import Value
from nn import MLP, binary_cross_entropy, fit, hinge_loss, mse_loss, sse_loss


def test_state_dict_round_trip_gives_identical_outputs():
    a, b = MLP(3, [4, 2], seed=1), MLP(3, [4, 2], seed=2)
    b.load_state_dict(a.state_dict())
    x = [0.1, -0.7, 1.3]
    assert [o.data for o in a(x)] == [o.data for o in b(x)]


def test_load_state_dict_names_missing_extra_and_mistyped_keys():
    model = MLP(2, [1], seed=0)
    state = model.state_dict()
    with pytest.raises(KeyError, match="missing.*layers.0.neurons.0.b"):
        model.load_state_dict({k: v for k, v in state.items() if not k.endswith(".b")})
    with pytest.raises(KeyError, match="unexpected.*layers.9"):
        model.load_state_dict({**state, "layers.9.x": 1.0})
    with pytest.raises(TypeError, match="str"):
        model.load_state_dict({**state, "layers.0.neurons.0.b": "1.0"})
    assert model.state_dict() == state  # nothing changed by the failures


def test_save_and_load_round_trip(tmp_path):
    model = MLP(2, [3, 1], activation="tanh", bias=False, init="xavier", seed=4)
    path = tmp_path / "model.json"
    model.save(path)
    loaded = MLP.load(path)
    assert loaded.config() == model.config() and loaded.state_dict() == model.state_dict()
    assert loaded([0.3, 0.4]).data == model([0.3, 0.4]).data


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"format": "glassgrad-module-v1", "cla', "corrupt or truncated"),
        ("[1, 2]", "not a saved glassgrad module"),
        ('{"format": "glassgrad-module-v1", "class": "Layer"}', "holds a Layer"),
        (
            '{"format": "glassgrad-module-v1", "class": "MLP", "config": {"nin": 2}}',
            "not describe a valid MLP",
        ),
        (
            '{"format": "glassgrad-module-v1", "class": "MLP", "config": {"nin": 1, '
            '"nouts": [1]}, "state": {"layers.0.neurons.0.w.0": 1.0}}',
            "missing",
        ),
    ],
)
def test_corrupt_or_foreign_files_give_clear_errors(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        MLP.load(path)


def test_save_gives_a_new_file_the_umask_default_and_keeps_a_replaced_files_mode(tmp_path):
    new, old = tmp_path / "new.json", tmp_path / "old.json"
    previous_umask = os.umask(0o022)
    try:
        MLP(2, [1], seed=0).save(new)
    finally:
        os.umask(previous_umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    old.write_text("{}")
    old.chmod(0o640)
    MLP(2, [1], seed=0).save(old)
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    assert MLP.load(old).state_dict() == MLP(2, [1], seed=0).state_dict()


def test_a_binary_file_is_a_clear_error_naming_it(tmp_path):
    path = tmp_path / "weights.bin"
    path.write_bytes(b"\xff\xfe\x00\x01 not text")
    with pytest.raises(ValueError, match=r"weights\.bin: not a saved glassgrad module"):
        MLP.load(path)


def test_a_failed_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    MLP(2, [1], seed=0).save(path)
    before = path.read_text()

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        MLP(2, [1], seed=1).save(path)
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json"]
    json.loads(before)


def test_losses_match_their_formulas():
    o = [Value(0.2), Value(0.9)]
    assert sse_loss(o, [0.0, 1.0]).data == pytest.approx(0.5 * (0.04 + 0.01))
    assert mse_loss(o, [0.0, 1.0]).data == pytest.approx((0.04 + 0.01) / 2)
    assert hinge_loss([Value(0.5), Value(-2.0)], [1, -1]).data == pytest.approx(0.25)
    with pytest.raises(ValueError, match="2 outputs but 1 targets"):
        mse_loss(o, [1.0])


def test_binary_cross_entropy_is_stable_and_matches_torch():
    torch = pytest.importorskip("torch")
    zs, ys = [-800.0, -2.0, 0.3, 800.0], [1.0, 0.0, 1.0, 0.0]
    vs = [Value(z) for z in zs]
    loss = binary_cross_entropy(vs, ys)
    loss.backward()
    t = torch.tensor(zs, dtype=torch.float64, requires_grad=True)
    tl = torch.nn.functional.binary_cross_entropy_with_logits(
        t, torch.tensor(ys, dtype=torch.float64)
    )
    tl.backward()
    assert loss.data == pytest.approx(tl.item(), rel=1e-12)
    assert [v.grad for v in vs] == pytest.approx(t.grad.tolist(), abs=1e-12)


def test_fit_returns_a_falling_loss_history_and_prints_progress(capsys):
    import sys

    model = MLP(1, [4, 1], activation="tanh", seed=0)
    history = fit(model, [[0.0], [1.0]], [0.0, 1.0], epochs=40, stream=sys.stdout)
    out = capsys.readouterr().out
    assert len(history) == 40 and history[-1] < history[0]
    assert out.count("\n") == 10 and "epoch 40/40" in out and "epochs/s" in out
    fit(model, [[0.0]], [0.0], epochs=5, quiet=True, stream=sys.stdout)
    assert capsys.readouterr().out == ""
