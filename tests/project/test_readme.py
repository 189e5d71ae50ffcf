"""The README's Python code runs and prints what it says."""

import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_the_readme_has_its_code_blocks():
    assert len(BLOCKS) == 14
    assert any('custom_op(\n    "softsign"' in block for block in BLOCKS)


# What each block prints, found by a line of its code.
PRINTS = {
    "y = (x * x + 1).sigmoid()": [
        "Value(data=0.993307, grad=1, op='sigmoid', label='')",
        "0.993 0.9933071490757153 0.99",
    ],
    "detect_anomaly": ["backward of op 'sqrt' produced inf"],
    "opt = SGD(model.parameters(), lr=1.0)": ["90.1"],
    "softmax(logits)": ["[0.09, 0.2447, 0.6652]", "0.407606", "2000.0"],
    "history = fit(": ["True"],
    "print(run() == first)": ["True\nTrue"],
    "seq = to_torch(model)": ["True\nTrue"],
    "step = compile_grad(loss,": ["d_z3 = d_o * o * (1.0 - o)"],
    "hinge.batch(": ["compiled"],
    "draw_graph(loss)": ["2,139"],
    "node_ids(y)": ["['v0', 'v1', 'v2', 'v3']"],
    "Stepper(z,": ["0.0"],
}


@pytest.mark.parametrize("block", BLOCKS, ids=[b.splitlines()[0][:40] for b in BLOCKS])
def test_each_python_block_runs_and_prints_what_it_says(block, capsys):
    if "import torch" in block:
        pytest.importorskip("torch")
    exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    if "softsign" in block:
        from autograd.core.ops import OPS

        assert "softsign" in OPS
    for line, expected in PRINTS.items():
        if line in block:
            assert all(text in out for text in expected), (expected, out)


def test_every_block_is_checked_for_its_output_or_its_effect():
    checked = [b for b in BLOCKS if any(line in b for line in PRINTS) or "softsign" in b]
    unchecked = [b.splitlines()[0] for b in BLOCKS if b not in checked]
    assert unchecked == ["from autograd import Value, draw_graph, to_dot"]  # draws, prints nothing


def test_the_stepping_sample_is_what_step_through_prints(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["step_through.py"])
    sample = README.split("### Stepping")[1].split("```text\n")[1].split("```")[0]
    runpy.run_path(str(ROOT / "examples" / "step_through.py"), run_name="__main__")
    printed = capsys.readouterr().out.splitlines()
    assert all(line in printed for line in sample.splitlines())


def test_the_pdb_guide_stops_at_the_output_nodes_sigmoid_rule():
    guide = README.split("$ .venv/bin/python -m pdb")[1].split("```")[0]
    commands = [line[len("(Pdb) ") :] for line in guide.splitlines() if line.startswith("(Pdb) ")]
    expected = [line for line in guide.splitlines()[1:] if line and not line.startswith("(Pdb) ")]
    session = subprocess.run(
        [sys.executable, "-m", "pdb", str(ROOT / "examples" / "step_through.py")],
        input="\n".join(commands + ["quit"]) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert expected and all(line in session.stdout for line in expected)


def test_the_committed_graph_is_the_tutorial_network():
    svg = (ROOT / "docs" / "tutorial_graph.svg").read_text()
    assert "docs/tutorial_graph.svg" in README
    for text in ("layers.0.neurons.2", "layers.1.neurons.0", "studied", "slept", "sigmoid", "loss"):
        assert text in svg


def test_the_gradcheck_failure_table_is_what_gradcheck_prints():
    from autograd import GradcheckError, custom_op, gradcheck

    shown = README.split("A wrong rule fails with a table")[1].split("```text\n")[1].split("```")[0]
    forgot = custom_op(
        "softsign_forgot_the_square",
        forward=lambda x: x / (1 + abs(x)),
        backward=lambda g, out, x: (g / (1 + abs(x)),),
    )
    with pytest.raises(GradcheckError) as failure:
        gradcheck(lambda a, b: forgot(a * b), [0.5, -2.0])
    assert shown.strip() == f"GradcheckError: {failure.value}".strip()
