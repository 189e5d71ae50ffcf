"""Whole-project tests run the examples as their scripts run: with the
examples folder importable (a script's own folder is on sys.path; runpy's
run_path does not add it)."""

import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))
