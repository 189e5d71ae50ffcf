"""The README's Python code runs and prints what it says."""

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_the_readme_has_its_code_blocks():
    assert len(BLOCKS) == 5
    assert any('custom_op(\n    "softsign"' in block for block in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=[b.splitlines()[0][:40] for b in BLOCKS])
def test_each_python_block_runs(block, capsys):
    exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    if "softsign" in block:
        from autograd.ops import OPS
        assert "softsign" in OPS
    if "sigmoid()" in block:
        assert "Value(data=0.993307, grad=1, op='sigmoid', label='')" in out
    if "detect_anomaly" in block:
        assert "backward of op 'sqrt' produced inf" in out
    if "MLP(2, [3, 1]" in block:
        assert 85 < float(out.split()[-1]) < 95


def test_the_stepping_sample_is_what_step_through_prints(capsys):
    sample = README.split("**Stepping.**")[1].split("```text\n")[1].split("```")[0]
    runpy.run_path(str(ROOT / "examples" / "step_through.py"), run_name="__main__")
    printed = capsys.readouterr().out.splitlines()
    assert all(line in printed for line in sample.splitlines())
