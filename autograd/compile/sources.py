"""Where generated code lives: each function's source is registered with
``linecache`` under its file name, so tracebacks and pdb show the generated
lines; ``save`` writes a source to a real file the code then runs from."""

from __future__ import annotations

import errno
import linecache
import os
import stat
from collections.abc import Callable
from typing import Any, cast

from autograd.compile.dialects import namespace
from autograd.compile.program import Program

Generated = Callable[..., Any]  # (loss, gradients), or (loss, weights, gradients) for train


class SourceFiles:
    """The file names a step registered, forgotten when the step is."""

    def __init__(self) -> None:
        self.filenames: list[str] = []

    def define(self, source: str, name: str, filename: str, program: Program) -> Generated:
        """Compile ``source`` under ``filename`` and return its function."""
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        self.filenames.append(filename)
        scope = namespace(program.dialect) | program.custom
        if program.constants:
            import numpy as np

            scope |= {key: np.array(value) for key, value in program.constants.items()}
        exec(compile(source, filename, "exec"), scope)
        return cast(Generated, scope[name])

    def forget(self) -> None:
        for filename in self.filenames:
            linecache.cache.pop(filename, None)


def save(path: str, source: str) -> None:
    """Write ``source`` to ``path``, as ``open(path, "w")`` would, but never
    into anything that is not a regular file (a FIFO would block)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    if mode is not None and not stat.S_ISREG(mode):
        raise OSError(f"{path}: not a regular file; save_source writes only regular files")
    # Non-blocking, in case a FIFO took the file's place since the check.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NONBLOCK, 0o666)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(source)
