"""Every Python block of README.md and of the site's pages (docs/) runs and
prints the output its page shows, and the text samples the pages quote are
what the programs print. Pages are read with docs/tools/pages.py, as the
site's build reads them."""

import ast
import inspect
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import OPS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGE = runpy.run_path(str(DOCS / "tools" / "pages.py"))
PAGES = [ROOT / "README.md"] + sorted(p for p in DOCS.rglob("*.md") if "tools" not in p.parts)
TEXT = {page: page.read_text(encoding="utf-8") for page in PAGES}
CASES = [
    pytest.param(page, block, id=f"{page.relative_to(ROOT)}:{block.line}")
    for page in PAGES
    for block in PAGE["python_blocks"](TEXT[page])
]


def page(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


def fenced(text: str, after: str, info: str = "text") -> str:
    """The first ```info block after the text ``after``."""
    return text.split(after)[1].split(f"```{info}\n")[1].split("```")[0]


def test_every_python_fence_is_a_block_and_every_block_shows_its_output():
    for path, text in TEXT.items():
        blocks = PAGE["python_blocks"](text)
        assert text.count("```python") == len(blocks), path  # none indented or misspelt
        assert text.count('```text title="Output"') == len(blocks), path  # none stray
        assert all(block.output for block in blocks), path
    assert len(CASES) >= 20


def test_a_wrong_output_is_caught():
    (block,) = PAGE["python_blocks"]('```python\nprint(2)\n```\n\n```text title="Output"\n3\n```\n')
    with pytest.raises(AssertionError, match="the page shows\n3\nbut the block printed\n2\n"):
        PAGE["check_output"](block, PAGE["run"](block, "page.md"), "page.md")


@pytest.mark.parametrize("path, block", CASES)
def test_each_block_runs_and_prints_what_its_page_shows(path, block, tmp_path, monkeypatch):
    if "import torch" in block.code:
        pytest.importorskip("torch")
    monkeypatch.chdir(tmp_path)  # where blocks write their drawings and pages
    ops = dict(OPS)  # a block's custom_op stays on its page: the table is put back
    try:
        printed = PAGE["run"](block, str(path.relative_to(ROOT)))
    finally:
        OPS.clear()
        OPS.update(ops)
    PAGE["check_output"](block, printed, str(path.relative_to(ROOT)))


def test_the_readme_keeps_what_a_visitor_needs():
    readme = TEXT[ROOT / "README.md"]
    assert len(readme.splitlines()) <= 200
    quickstart = readme.split("## Quickstart\n\n```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in quickstart.splitlines()]
    assert commands == ["./dev example", "./dev test"]  # CI runs the second
    assert "unrelated package named `autograd`" in readme
    assert "installs torch, `dot`, Chromium" in readme
    assert "![" in readme and "docs/stepper.png" in readme


@pytest.mark.parametrize("path", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_relative_links_and_images_name_files_that_exist(path):
    """MkDocs checks the site's links; this checks the README's, and the
    pages' as GitHub shows them. Generated files are published by the build."""
    generated = PAGE["generated_files"](TEXT[path])
    for target in re.findall(r"\]\(([^)#\s]+)[^)]*\)", TEXT[path]):
        if target.startswith(("http://", "https://")) or target in generated:
            continue
        if target.endswith("playground/index.html"):
            continue  # ./dev docs builds the Playground into the site
        assert (path.parent / target).exists(), f"{path.name} links to {target}"


def test_the_stepping_sample_is_what_step_through_prints(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["step_through.py"])
    sample = fenced(page("docs/guides/stepping/index.md"), "## backward_steps")
    runpy.run_path(str(ROOT / "examples" / "step_through.py"), run_name="__main__")
    printed = capsys.readouterr().out.splitlines()
    assert all(line in printed for line in sample.splitlines())


def test_the_pdb_guide_stops_at_the_output_nodes_sigmoid_rule():
    guide = page("docs/guides/stepping/index.md").split("$ .venv/bin/python -m pdb")[1]
    guide = guide.split("```")[0]
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
    svg = page("docs/tutorial_graph.svg")
    assert "tutorial_graph.svg" in page("docs/guides/seeing/index.md")
    for text in ("layers.0.neurons.2", "layers.1.neurons.0", "studied", "slept", "sigmoid", "loss"):
        assert text in svg


def test_the_gradcheck_failure_table_is_what_gradcheck_prints():
    from autograd import GradcheckError, custom_op, gradcheck

    shown = fenced(page("docs/guides/custom-ops.md"), "A wrong rule fails with a table")
    forgot = custom_op(
        "softsign_forgot_the_square",
        forward=lambda x: x / (1 + abs(x)),
        backward=lambda g, out, x: (g / (1 + abs(x)),),
    )
    with pytest.raises(GradcheckError) as failure:
        gradcheck(lambda a, b: forgot(a * b), [0.5, -2.0])
    assert shown.strip() == f"GradcheckError: {failure.value}".strip()


def test_docstring_examples_sit_under_an_examples_section():
    """The API reference reads docstrings as Markdown, where a bare >>> line
    is a quote and an output such as [1.0, 0.0] a link (a --strict failure):
    under a Google-style Examples: section they are shown as Python code."""
    bare = []
    for path in sorted([*ROOT.glob("autograd/**/*.py"), *ROOT.glob("nn/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef):
                continue
            lines = inspect.cleandoc(ast.get_docstring(node, clean=False) or "").splitlines()
            examples = [i for i, line in enumerate(lines) if line.lstrip().startswith(">>>")]
            if examples and (
                "Examples:" not in lines[: examples[0]]
                or any(lines[i].startswith(">>>") for i in examples)  # not indented under it
            ):
                bare.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 1)}")
    assert bare == []
