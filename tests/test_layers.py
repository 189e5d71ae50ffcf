"""The package's layers point one way: rules on floats at the bottom, then
Value, then the engine, then what is built on it. autograd never imports nn."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "autograd"

# A module may import only modules of a lower layer.
LAYER = {
    "ops": 0,
    "modes": 0,
    "anomaly": 1,
    "value": 2,
    "engine": 3,
    "steps": 4,
    "check": 4,
    "collapse": 4,
    "viz": 5,
    "strategies": 4,
    "templates": 1,
    "codegen": 4,
    "compiler": 5,
    "stepper": 6,
}
# Value's two upward calls, made inside the methods that need them.
UPWARD = {("value", "engine"), ("value", "viz")}


def imported_modules(path: Path) -> list[tuple[str, bool]]:
    """(module, inside a function) for every autograd/nn import, leaving out
    those under `if TYPE_CHECKING:` (annotations only)."""
    tree = ast.parse(path.read_text())
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                if child.module == "autograd":
                    found.extend((f"autograd.{a.name}", in_function) for a in child.names)
                else:
                    found.append((child.module, in_function))
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, inside)

    visit(tree, False)
    return found


MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def test_every_module_has_a_layer():
    assert set(MODULES) == set(LAYER)


@pytest.mark.parametrize("module", MODULES)
def test_imports_point_down(module):
    for name, in_function in imported_modules(PACKAGE / f"{module}.py"):
        top, _, rest = name.partition(".")
        assert top != "nn", f"autograd.{module} imports nn"
        if top != "autograd" or not rest:
            continue
        target = rest.split(".")[0]
        if (module, target) in UPWARD:
            assert in_function, f"{module}'s upward import of {target} must stay in its method"
            continue
        assert LAYER[target] < LAYER[module], f"autograd.{module} imports autograd.{target}"
