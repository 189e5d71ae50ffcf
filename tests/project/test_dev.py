"""./dev refuses to run when PyPI's unrelated `autograd` would shadow ours."""

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not (REPO / ".venv/bin/python").exists(), reason="needs ./dev's .venv")
def test_dev_names_a_foreign_autograd_distribution_and_how_to_remove_it(tmp_path):
    info = tmp_path / "autograd-1.7.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: autograd\nVersion: 1.7.0\n")
    run = subprocess.run(
        ["bash", str(REPO / "dev"), "example"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert run.returncode == 1
    assert "PyPI package 'autograd'" in run.stderr
    assert ".venv/bin/pip uninstall autograd" in run.stderr


def test_the_test_summary_says_why_tests_skip(tmp_path):
    import sys

    probe = tmp_path / "test_probe.py"
    probe.write_text("import pytest\n\ndef test_it():\n    pytest.skip('needs a unicorn')\n")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(REPO / "setup.cfg"), str(probe)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert "SKIPPED [1]" in run.stdout and "needs a unicorn" in run.stdout
