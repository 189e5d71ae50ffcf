"""examples/three_class.py: it trains to the accuracy it reports and draws its regions."""

import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from nn import MLP

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "three_class.py"

# The script as a user runs it, with matplotlib hidden so that the text plot shows.
WITHOUT_MATPLOTLIB = f"""
import runpy, sys
sys.modules["matplotlib"] = None
sys.argv = ["three_class.py", "--quiet"]
runpy.run_path({str(EXAMPLE)!r}, run_name="__main__")
"""


def test_three_class_trains_to_the_accuracy_it_reports_and_plots_text_without_matplotlib():
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_MATPLOTLIB],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    lines = done.stdout.splitlines()
    report = re.fullmatch(r"loss (\S+) -> (\S+); training accuracy (\d+)%", lines[0])
    assert report, lines[0]
    assert int(report[3]) >= 95
    assert float(report[2]) < 0.1 * float(report[1])
    assert lines[2] == "decision regions (for a PNG: .venv/bin/pip install matplotlib):"
    picture = lines[3:]
    assert len(picture) == 28 and all(len(row) == 66 for row in picture)
    text = "".join(picture)
    assert all(text.count(mark) >= 30 for mark in "abc")  # most of the 40 points a class
    assert all(region in text for region in " .:")


def test_the_spirals_are_seeded_and_balanced_and_the_png_is_drawn(tmp_path):
    example = runpy.run_path(str(EXAMPLE))
    points, labels = example["make_spirals"]()
    assert len(points) == 120 and [labels.count(c) for c in range(3)] == [40, 40, 40]
    assert example["make_spirals"]() == (points, labels)
    assert example["make_spirals"](seed=1)[0] != points
    assert all(max(abs(x), abs(y)) < 1.1 for x, y in points)  # inside the plotted box
    pytest.importorskip("matplotlib")
    untrained = MLP(2, [12, 12, 3], activation="tanh", seed=0)
    path = example["png_plot"](untrained, points, labels, tmp_path / "regions.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
