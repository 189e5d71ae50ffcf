"""How the site's build (``hooks.py``) and the tests
(``tests/project/test_docs.py``, ``test_site.py``) read a Markdown page, so
that they agree on it.

- **Python blocks.** A block's output is the ``text`` block titled "Output"
  right after it; the site shows it under the code, and the tests check it
  against what the code prints (``...`` stands for any text, as in a
  doctest).
- **Generated files.** A page's front matter lists under ``generated:`` the
  files its blocks write; the build publishes them beside the page.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
from dataclasses import dataclass

BLOCK = re.compile(
    r'^```python\n(?P<code>.*?)^```\n(?:\n```text title="Output"\n(?P<output>.*?)^```\n)?',
    re.MULTILINE | re.DOTALL,
)
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)^---\n", re.MULTILINE | re.DOTALL)
GENERATED = re.compile(r"^generated:\n(?P<items>(?:  - .+\n)+)", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    code: str
    output: str | None  # what the page says it prints; None when it shows no output
    line: int  # where the block starts in its page, counting from 1


class OutputMismatch(AssertionError):
    """A block printed something other than the output its page shows."""


def python_blocks(markdown: str) -> list[Block]:
    return [
        Block(m["code"], m["output"], markdown.count("\n", 0, m.start()) + 1)
        for m in BLOCK.finditer(markdown)
    ]


def run(block: Block, page: str) -> str:
    """Run a block in a namespace of its own and return what it printed.
    Tracebacks name the page and the line in it."""
    code = compile("\n" * block.line + block.code, page, "exec")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {"__name__": "__main__"})
    return printed.getvalue()


def check_output(block: Block, printed: str, page: str) -> None:
    """Raise OutputMismatch unless ``printed`` is the output the page shows."""
    if block.output is None:
        return
    if not doctest.OutputChecker().check_output(block.output, printed, doctest.ELLIPSIS):
        raise OutputMismatch(
            f"{page}:{block.line}: the page shows\n{block.output}but the block printed\n{printed}"
        )


def generated_files(markdown: str) -> list[str]:
    """The files the page's front matter lists under ``generated:``."""
    front = FRONT_MATTER.match(markdown)
    listed = GENERATED.search(front["yaml"]) if front else None
    return [line[len("  - ") :] for line in listed["items"].splitlines()] if listed else []
