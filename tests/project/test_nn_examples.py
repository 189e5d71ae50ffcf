"""The nn examples: three_class trains to the accuracy it reports and draws its regions;
without matplotlib, they say how to get a PNG."""

import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from nn import MLP

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE = EXAMPLES / "three_class.py"


def run_without_matplotlib(script: Path) -> list[str]:
    """The script as a user runs it, with matplotlib hidden so that the text plot shows."""
    code = (
        "import runpy, sys\n"
        "sys.modules['matplotlib'] = None\n"
        f"sys.path.insert(0, {str(script.parent)!r})  # as running the script itself does\n"
        f"sys.argv = [{script.name!r}, '--quiet']\n"
        f"runpy.run_path({str(script)!r}, run_name='__main__')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    return done.stdout.splitlines()


def test_three_class_trains_to_the_accuracy_it_reports_and_plots_text_without_matplotlib():
    lines = run_without_matplotlib(EXAMPLE)
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


def test_moons_without_matplotlib_names_the_venvs_pip():
    lines = run_without_matplotlib(EXAMPLES / "moons.py")
    assert lines[1] == "decision boundary (for a PNG: .venv/bin/pip install matplotlib):"
