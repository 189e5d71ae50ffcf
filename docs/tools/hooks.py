"""MkDocs hook: the parts of the site made from the repository at build time.

- **Live views.** A page whose front matter lists ``generated:`` files has
  its Python blocks run, in a fresh folder, while the site builds; the files
  they write (drawings, a Stepper page) are published beside the page. So a
  picture on the page is what the code on the page makes, today.
- **KaTeX**, from the npm package pinned in ``docs/tools/package-lock.json``
  (``npm ci`` runs when ``node_modules`` does not hold that version), is
  served from ``assets/katex/``: formulas render with nothing fetched.
- **The footer** names the version setup.cfg declares.

(``./dev docs`` builds the Playground into the site's ``playground/``.)
"""

from __future__ import annotations

import configparser
import contextlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

# pages.py, beside this file: how the build and the tests read a page
from pages import (
    OutputMismatch,
    check_output,
    generated_files,
    python_blocks,
    run,
)

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parents[1]
KATEX = TOOLS / "node_modules" / "katex"
# What the pages load of KaTeX. The fonts are its woff2 files only: every
# browser that runs the site reads woff2, so the CSS never reaches the woff
# and ttf fallbacks it also lists.
KATEX_FILES = ("katex.min.js", "katex.min.css")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    install_katex()
    metadata = configparser.ConfigParser()
    metadata.read(ROOT / "setup.cfg")
    name, version = metadata["metadata"]["name"], metadata["metadata"]["version"]
    config.copyright = f"{name} {version} · MIT License"
    return config


def install_katex() -> None:
    """``npm ci`` unless node_modules already holds the locked version."""
    lock = json.loads((TOOLS / "package-lock.json").read_text())
    wanted = lock["packages"]["node_modules/katex"]["version"]
    installed = KATEX / "package.json"
    if installed.exists() and json.loads(installed.read_text())["version"] == wanted:
        return
    if shutil.which("npm") is None:
        raise PluginError("npm is needed once to install KaTeX for the docs (Node.js with npm)")
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=TOOLS,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise PluginError(f"npm ci in {TOOLS} failed:\n{done.stdout}{done.stderr}")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    dist = KATEX / "dist"
    for name in KATEX_FILES:
        files.append(File.generated(config, f"assets/katex/{name}", abs_src_path=str(dist / name)))
    for font in sorted((dist / "fonts").glob("*.woff2")):
        uri = f"assets/katex/fonts/{font.name}"
        files.append(File.generated(config, uri, abs_src_path=str(font)))
    for page in list(files.documentation_pages()):
        for made in live_views(page, config):
            files.append(made)
    return files


def live_views(page: File, config: MkDocsConfig) -> list[File]:
    """Run the page's Python blocks if it lists ``generated:`` files, and
    publish those files beside it. A block whose output differs from the
    one the page shows fails the build, as a listed file not written does."""
    if page.abs_src_path is None or not page.src_uri.endswith(".md"):
        return []
    names = generated_files(page.content_string)
    if not names:
        return []
    folder = Path(page.src_uri).parent
    with tempfile.TemporaryDirectory() as scratch, contextlib.chdir(scratch):
        for block in python_blocks(page.content_string):
            try:
                check_output(block, run(block, page.abs_src_path), page.src_uri)
            except OutputMismatch as mismatch:
                raise PluginError(str(mismatch)) from None
        missing = [name for name in names if not Path(name).is_file()]
        if missing:
            raise PluginError(f"{page.src_uri}: its blocks wrote no {', '.join(missing)}")
        return [
            File.generated(config, (folder / name).as_posix(), content=Path(name).read_bytes())
            for name in names
        ]
