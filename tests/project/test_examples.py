"""The examples run and say what the README promises."""

import runpy
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_exam_scores_trains_predicts_and_checks_the_tutorials_gradients(
    capsys, monkeypatch, tmp_path
):
    svg, page = tmp_path / "loss.svg", tmp_path / "tutorial.html"
    argv = ["exam_scores.py", "--quiet", "--svg", str(svg), "--html", str(page)]
    monkeypatch.setattr(sys, "argv", argv)
    runpy.run_path(str(EXAMPLES / "exam_scores.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert out.count("matches the hand formula") == 12
    assert "a sigmoid never exceeds 1" in out
    assert "From here on the network starts from random weights" in out  # said, not silent
    assert "d_z3 = d_o * o * (1.0 - o)" in out  # the backward pass as code: o_delta
    assert "d_z_0 = d_z2_0 * z2_0 * (1.0 - z2_0)" in out  # and z2_delta
    assert "its gradients equal backward()'s bit for bit: True" in out
    score = float(out.split("slept 8: ")[1].split(" / 100")[0])
    assert score == 90.1  # the README quotes it
    assert svg.read_text().startswith("<?xml") and "z3" in svg.read_text()
    text = page.read_text(encoding="utf-8")
    for name in ("o_error", "o_delta", "z2_error[2]", "z2_delta[0]"):
        assert f"the tutorial's {name} = -grad = " in text


def test_exam_scores_draws_the_graph_step_through_walks(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["exam_scores.py"])
    example = runpy.run_path(str(EXAMPLES / "exam_scores.py"))
    loss, names = example["first_student_loss"](example["tutorial_network"]())
    loss.backward()
    by_name = {name: node for node, name in names.items()}
    assert loss.label == "loss" and by_name["o_error"].label == "o"
    assert -by_name["o_error"].grad == pytest.approx(0.711451, abs=1e-6)  # untrained
    assert by_name["o_delta"].label == "z3" and by_name["z2_delta[1]"].label == "z[1]"


def test_step_through_maps_steps_to_the_tutorials_names(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["step_through.py"])
    runpy.run_path(str(EXAMPLES / "step_through.py"), run_name="__main__")
    out = capsys.readouterr().out
    for name in ("o_error", "o_delta", "z2_error[0]", "z2_delta[2]"):
        assert f"tutorial: {name} = " in out
    assert "tutorial: o_error = +0.711451" in out
    assert out.splitlines()[0].startswith("loss = 0.5 * v1 grad=1")


def test_step_through_answers_help():
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "step_through.py"), "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("usage: step_through.py")
    assert "grad=" not in done.stdout  # it did not run


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
