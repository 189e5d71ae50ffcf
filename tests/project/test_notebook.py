"""examples/tutorial.ipynb runs top to bottom and tells the tutorial's story.

It is executed with nbclient on a kernel that runs this interpreter (a kernel
spec written to a temporary directory, so no installed Jupyter kernel is
needed or used), and it is committed without outputs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "tutorial.ipynb"
KERNEL = "glassgrad-test"
TIMEOUT_S = 120  # per cell; the whole notebook takes seconds


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    jupyter = tmp_path_factory.mktemp("jupyter")
    (jupyter / "kernels" / KERNEL).mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "glassgrad (test)",
        "language": "python",
    }
    (jupyter / "kernels" / KERNEL / "kernel.json").write_text(json.dumps(spec))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name=KERNEL,
        timeout=TIMEOUT_S,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(jupyter))  # where Jupyter looks for kernel specs
        client.execute()  # starts the kernel, runs every cell, shuts the kernel down
    return notebook


def outputs(cell: Any) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_the_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)


def test_every_cell_runs_without_an_error(executed):
    errors = [
        o
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert errors == []


def test_the_story_prints_the_tutorials_numbers(executed):
    text = "\n".join(outputs(c) for c in executed.cells if c.cell_type == "code")
    assert "hidden sums: [7.6, 3.9, 6.5]" in text
    assert "o = 0.8567467964" in text
    assert text.count("graph and hand formulas differ by") == 3
    assert "Predicted score for a student who studied 4 hours and slept 8: 90.1 / 100" in text


def test_the_graph_and_the_stepper_display_inline(executed):
    code = [c for c in executed.cells if c.cell_type == "code"]
    rich = [o.data for c in code for o in c.outputs if o.output_type == "execute_result"]
    svgs = [d["image/svg+xml"] for d in rich if "image/svg+xml" in d]
    pages = [d["text/html"] for d in rich if "<iframe srcdoc=" in d.get("text/html", "")]
    assert len(svgs) == 1 and "o_delta" not in svgs[0] and "z3" in svgs[0]
    assert len(pages) == 1 and "o_delta" in pages[0]
