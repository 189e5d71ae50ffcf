"""examples/bfgs.py: BFGS through compile_grad's functional trains the
tutorial's network further, in fewer iterations, than the tutorial's SGD."""

import sys
from pathlib import Path

import pytest

pytest.importorskip("scipy")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import bfgs  # noqa: E402
from exam_scores import HOURS, SCORES, scaled, tutorial_network  # noqa: E402

from nn import sse_loss  # noqa: E402


def test_bfgs_beats_sgd_from_the_same_start(capsys):
    by_bfgs, by_sgd = bfgs.main()
    assert by_bfgs.losses[0] == by_sgd.losses[0] == pytest.approx(0.703463, abs=1e-6)
    assert by_sgd.iterations == bfgs.SGD_ITERATIONS
    assert by_bfgs.losses[-1] < 1e-7 < 1e-4 < by_sgd.losses[-1] < 1e-3
    assert by_bfgs.iterations < 100
    matched = by_bfgs.first_below(by_sgd.losses[-1])
    assert matched is not None and matched < 40
    out = capsys.readouterr().out
    assert "SGD has not reached BFGS's final loss after 1000 iterations" in out


def test_the_model_keeps_the_weights_bfgs_found():
    xs, ys = scaled(HOURS), [s / 100 for s in SCORES]
    model = tutorial_network()
    training = bfgs.train_bfgs(model, xs, ys)
    loss = sse_loss([model(x) for x in xs], ys).data
    assert loss == pytest.approx(training.losses[-1], rel=1e-9)
