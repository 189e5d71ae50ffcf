"""Collection rules for doctests in the packages (tests/conftest.py holds
the suite's own guards).

nn.pytorch's examples need torch, an optional extra: without it they are not
collected, as the tests that compare with PyTorch skip. In CI torch is
required, and tests/conftest.py fails the run when it is missing.
"""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("torch") else ["nn/pytorch.py"]
