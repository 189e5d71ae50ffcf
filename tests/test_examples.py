"""The examples run and say what the README promises."""

import runpy
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_exam_scores_trains_predicts_and_checks_the_tutorials_gradients(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["exam_scores.py", "--quiet"])
    runpy.run_path(str(EXAMPLES / "exam_scores.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert out.count("matches the hand formula") == 12
    assert "a sigmoid never exceeds 1" in out
    score = float(out.split("slept 8: ")[1].split(" / 100")[0])
    assert 80 <= score <= 100


def test_step_through_maps_steps_to_the_tutorials_names(capsys):
    runpy.run_path(str(EXAMPLES / "step_through.py"), run_name="__main__")
    out = capsys.readouterr().out
    for name in ("o_error", "o_delta", "z2_error[0]", "z2_delta[2]"):
        assert f"tutorial: {name} = " in out
    assert out.splitlines()[0].startswith("loss = 0.5 * v1 grad=1")


def test_moons_reaches_full_accuracy_and_draws_its_boundary(capsys, tmp_path, monkeypatch):
    moons = runpy.run_path(str(EXAMPLES / "moons.py"))
    points, labels = moons["make_moons"]()
    assert len(points) == 100 and labels.count(1) == labels.count(-1) == 50
    assert points == moons["make_moons"]()[0]  # deterministic
    model, history = moons["train"](points, labels, quiet=True)
    assert moons["accuracy"](model, points, labels) == 1.0
    assert history[-1] < history[0] / 10

    picture = moons["text_plot"](model, points, labels).splitlines()
    assert len(picture) == 24 and all(len(row) == 66 for row in picture)
    text = "\n".join(picture)
    assert "." in text and text.count("x") + text.count("o") > 80

    path = moons["png_plot"](model, points, labels, tmp_path / "moons.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
