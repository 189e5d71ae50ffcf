"""Suite-wide guards.

* ``autograd`` must be this repository's package: PyPI has an unrelated
  project of that name, and testing it by mistake would pass silently.
* In CI (``CI`` set) torch and Graphviz's ``dot`` are required: the oracle
  and rendering tests must run there, so their absence fails the session
  instead of skipping.
"""

import importlib.metadata
import os
import shutil
from pathlib import Path

import pytest

import autograd
import nn

REPO = Path(__file__).resolve().parent.parent

try:
    importlib.metadata.distribution("autograd")
except importlib.metadata.PackageNotFoundError:
    pass
else:
    raise ImportError(
        "the PyPI package 'autograd' (unrelated to glassgrad) is installed and hides this "
        "repository's autograd in subprocesses and scripts: pip uninstall autograd"
    )

for package in (autograd, nn):
    where = Path(str(package.__file__)).resolve()
    if REPO not in where.parents:
        raise ImportError(
            f"'{package.__name__}' resolves to {where}, not to this "
            f"repository ({REPO}): uninstall the other package "
            f"(pip uninstall {package.__name__}) and install this "
            f"one with ./dev test"
        )


def pytest_sessionstart(session):
    if not os.environ.get("CI"):
        return
    missing = []
    try:
        import torch  # noqa: F401
    except ImportError:
        missing.append("torch==2.13.0 (pip)")
    if shutil.which("dot") is None:
        missing.append("Graphviz's dot (apt-get install graphviz)")
    if missing:
        pytest.exit(f"CI requires {', '.join(missing)}; .ci/run installs them", returncode=3)
