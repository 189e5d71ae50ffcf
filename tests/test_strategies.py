"""The hypothesis strategies: random expressions that stay inside every op's
domain, print as formulas, and catch wrong rules."""

import ast
from pathlib import Path

import autograd

PACKAGE = Path(autograd.__file__).parent


def test_no_module_of_autograd_imports_nn_even_inside_a_function():
    # nn is built on autograd; network strategies live in nn/strategies.py
    imported = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported += [(path.name, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.append((path.name, node.module))
    assert [(f, m) for f, m in imported if m == "nn" or m.startswith("nn.")] == []
    assert ("strategies.py", "hypothesis") in imported  # the walk sees the imports
