"""Build the Playground: a static folder that runs glassgrad in the browser.

    python -m playground.build DIR            # write the site into DIR
    python -m playground.build --serve DIR    # write it, then serve it on 127.0.0.1:8000

(``./dev playground`` does the second with a default folder.) The site is
plain files with relative URLs, so any static server can serve it, under any
path: ``index.html`` and the page's modules (``web/``), the Stepper's page
script and style (shared with ``autograd/views``), the Python the page runs
(``python/``, packed as one zip), the examples, and what it runs on: the
Pyodide files it needs and viz-js (npm packages pinned in
``package-lock.json``, installed with ``npm ci``), a glassgrad wheel built
from this working tree and the ``graphviz`` wheel (pure Python; downloaded
once into ``.wheels/``). Nothing is fetched from anywhere else at run time.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import importlib.metadata
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WHEEL_CACHE = HERE / ".wheels"
# The files of the npm package pyodide that loadPyodide() reads: the loader,
# the interpreter, the standard library and the lock file it checks.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
# What glassgrad's wheel is built from (a copy, so the working tree gets no
# build/ or egg-info, and no stale file from an earlier build slips in).
PROJECT_FILES = ("autograd", "nn", "setup.cfg", "pyproject.toml", "README.md")
ADDRESS = ("127.0.0.1", 8000)


class BuildError(RuntimeError):
    """A step of the build failed; the message says which and why."""


def build(site: Path) -> Path:
    """Write the Playground into ``site`` (emptied first) and return it."""
    node_modules = install_npm_packages()
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    for path in (HERE / "web").iterdir():
        shutil.copy(path, site / path.name)
    for suffix in ("js", "css"):
        shutil.copy(ROOT / "autograd" / "views" / f"stepper_page.{suffix}", site)
    shutil.copy(node_modules / "@viz-js" / "viz" / "dist" / "viz.js", site / "viz.js")
    (site / "pyodide").mkdir()
    for name in PYODIDE_FILES:
        shutil.copy(node_modules / "pyodide" / name, site / "pyodide" / name)
    wheels = site / "wheels"
    wheels.mkdir()
    found = [glassgrad_wheel(wheels), graphviz_wheel(wheels)]
    pack_python(site / "python.zip")
    manifest = {
        "wheels": [f"wheels/{wheel.name}" for wheel in found],
        "python": "python.zip",
        "examples": examples(site / "examples"),
    }
    (site / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return site


def install_npm_packages() -> Path:
    """``npm ci`` in playground/: exactly the versions package-lock.json pins."""
    if shutil.which("npm") is None:
        raise BuildError("npm is needed to build the Playground (Node.js 18+ with npm)")
    run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE)
    return HERE / "node_modules"


def glassgrad_wheel(into: Path) -> Path:
    """A wheel of this working tree's autograd and nn."""
    with tempfile.TemporaryDirectory() as temporary:
        source = Path(temporary) / "glassgrad"
        source.mkdir()
        for name in PROJECT_FILES:
            path = ROOT / name
            if path.is_dir():
                shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(path, source / name)
        run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(into), str(source)])
    (wheel,) = into.glob("glassgrad-*.whl")
    return wheel


def graphviz_wheel(into: Path) -> Path:
    """The graphviz wheel, at the version this Python has installed (the one
    the tests run with), downloaded into WHEEL_CACHE the first time."""
    version = importlib.metadata.version("graphviz")
    cached = WHEEL_CACHE / f"graphviz-{version}-py3-none-any.whl"
    if not cached.exists():
        run(
            [sys.executable, "-m", "pip", "download", f"graphviz=={version}", "--no-deps"]
            + ["--only-binary=:all:", "-q", "-d", str(WHEEL_CACHE)]
        )
    if not cached.exists():
        raise BuildError(f"pip downloaded no {cached.name} into {WHEEL_CACHE}")
    return Path(shutil.copy(cached, into))


def pack_python(zip_path: Path) -> None:
    """The page's Python as the package ``playground.python``, as the tests
    import it, in one zip the page unpacks."""
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.write(HERE / "__init__.py", "playground/__init__.py")
        for path in sorted((HERE / "python").glob("*.py")):
            archive.write(path, f"playground/python/{path.name}")


def examples(into: Path) -> list[dict[str, str]]:
    """Copy the code cell's examples; each one's title is its first line, a comment."""
    into.mkdir()
    menu = []
    for path in sorted((HERE / "examples").glob("*.py")):
        shutil.copy(path, into / path.name)
        title = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("#").strip()
        menu.append({"title": title, "file": f"examples/{path.name}"})
    return menu


def run(command: list[str], cwd: Path | None = None) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


class StaticFiles(http.server.SimpleHTTPRequestHandler):
    """Serves a folder with the types a browser insists on for modules and
    WebAssembly, whatever this system's mime.types says."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a page load is some twenty requests."""


def server(site: Path, address: tuple[str, int] = ADDRESS) -> http.server.ThreadingHTTPServer:
    """A server of ``site`` on ``address`` (port 0: any free port)."""
    handler = functools.partial(StaticFiles, directory=str(site))
    return http.server.ThreadingHTTPServer(address, handler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the folder to write (emptied first)")
    parser.add_argument("--serve", action="store_true", help="then serve it on 127.0.0.1:8000")
    args = parser.parse_args()
    try:
        site = build(args.site)
    except BuildError as error:
        sys.exit(f"playground: {error}")
    if not args.serve:
        print(f"The Playground is in {site}/ (serve it with any static server)")
        return
    with server(site) as httpd:
        host, port = ADDRESS
        print(f"The Playground: http://{host}:{port}/  (Ctrl-C stops)", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
