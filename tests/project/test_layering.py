"""The layers point one way, as the folders show them.

The rule (docs/guides/values.md, "How the package is layered"):

* ``autograd/core`` imports only itself.
* ``autograd/checks``, ``autograd/views`` and ``autograd/compile`` import the
  core and themselves, never each other.
* ``autograd/__init__.py`` (the public face) and ``autograd/strategies.py``
  (a public path) import any layer; no layer imports them back.
* ``nn`` imports only autograd's public face: ``autograd`` and
  ``autograd.strategies``. ``autograd`` never imports ``nn``.
* No module imports itself back through others: no circle, counting
  imports inside functions and under ``if TYPE_CHECKING:``.

Every import is read with ``ast``, wherever it stands in the file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("core", "checks", "views", "compile")
ALLOWED = {layer: {"core", layer} for layer in LAYERS}
PUBLIC_FACE = {"autograd", "autograd.strategies"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(path): path
    for package in ("autograd", "nn")
    for path in sorted((ROOT / package).rglob("*.py"))
}


def imports_of(module: str) -> list[str]:
    """Every module of this project that ``module`` imports, anywhere in it:
    ``from a.b import c`` counts as ``a.b.c`` when that is a module, else ``a.b``."""
    tree = ast.parse(MODULES[module].read_text())
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package up
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            for alias in node.names:
                found.append(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return [name for name in dict.fromkeys(found) if name in MODULES]


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "autograd" and len(parts) > 2 and parts[1] in LAYERS else None


def test_every_autograd_module_is_in_a_layer_or_the_public_face():
    loose = [m for m in MODULES if m.startswith("autograd") and m not in PUBLIC_FACE]
    assert [m for m in loose if layer_of(m) is None and m.split(".")[1] not in LAYERS] == []


def test_the_walk_sees_imports_inside_functions_and_type_checking_blocks():
    assert "autograd.core.engine" in imports_of("autograd.core.value")
    assert "autograd.core.floats" in imports_of("autograd.core.ops")
    probe = ast.parse("def f():\n    import autograd.views.dot\nif TYPE_CHECKING:\n    import nn\n")
    names = [a.name for n in ast.walk(probe) if isinstance(n, ast.Import) for a in n.names]
    assert names == ["autograd.views.dot", "nn"]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer_of(m)))
def test_a_layer_imports_only_the_core_and_itself(module):
    layer = layer_of(module)
    assert layer is not None
    allowed_packages = {f"autograd.{name}" for name in ALLOWED[layer]}
    wrong = [
        target
        for target in imports_of(module)
        if layer_of(target) not in ALLOWED[layer] and target not in allowed_packages
    ]
    assert wrong == [], f"{module} imports {wrong}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("nn")))
def test_nn_imports_only_autograds_public_face(module):
    wrong = [t for t in imports_of(module) if t.startswith("autograd") and t not in PUBLIC_FACE]
    assert wrong == [], f"{module} imports {wrong}: use what `autograd` exports"


def test_no_import_circle_remains():
    graph = {m: [t for t in imports_of(m) if t != m] for m in MODULES}
    state: dict[str, str] = {}
    circles: list[list[str]] = []
    for start in graph:
        if start in state:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = "open"
                path.append(node)
            targets = graph[node]
            if i < len(targets):
                stack.append((node, i + 1))
                target = targets[i]
                if state.get(target) == "open":
                    circles.append(path[path.index(target) :] + [target])
                elif target not in state:
                    stack.append((target, 0))
            else:
                state[node] = "done"
                path.pop()
    assert circles == []


def test_the_circle_finder_finds_a_circle(monkeypatch):
    fake = {"autograd.core.a": ["autograd.core.b"], "autograd.core.b": ["autograd.core.a"]}
    monkeypatch.setattr(f"{__name__}.MODULES", dict.fromkeys(fake, Path()))
    monkeypatch.setattr(f"{__name__}.imports_of", lambda m: fake[m])
    with pytest.raises(AssertionError, match="autograd.core.a"):
        test_no_import_circle_remains()
