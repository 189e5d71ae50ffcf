"""``Module``: parameters by name, gradients zeroed, state saved and loaded."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import inspect
import json
import math
import os
import random
import re
import secrets
import stat
from typing import Any, Self

from autograd import Value

FORMAT = "glassgrad-module-v1"
# ``load`` refuses a file asking for more parameters than this before building
# anything (a file could otherwise make it allocate until the machine kills
# it). It is far beyond what a scalar engine trains: a step of such a model
# takes minutes. ``max_parameters=`` raises it.
MAX_PARAMETERS = 10_000_000
# What a file of that many parameters may take: ``save`` writes one in under
# 90 bytes (a name of at most 40 characters for nn's layers below a billion
# parameters, a number of at most 24, a layer size in the config), so ``load``
# reads no further than this, plus room for the header and config.
BYTES_PER_PARAMETER = 128
HEADER_BYTES = 65_536
# JSON has no numbers for these; a weight that is one of them is saved as its name.
NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class Module:
    """Base of every layer. Subclasses define ``named_parameters()`` and
    ``config()`` (the keyword arguments that rebuild them), and, unless they
    are a dense stack like ``MLP``, ``parameter_count()`` for ``load``."""

    def named_parameters(self) -> list[tuple[str, Value]]:
        """``(name, Value)`` for every parameter, in a stable order; a name is
        the parameter's path in the module (``layers.0.neurons.1.w.0``)."""
        return []

    def config(self) -> dict[str, Any]:
        """The keyword arguments that build this module again (``save``
        writes them, ``load`` passes them to the class)."""
        raise NotImplementedError(f"{type(self).__name__} does not define config()")

    @classmethod
    def parameter_count(cls, config: dict[str, Any]) -> int:
        """How many parameters ``cls(**config)`` would hold, found without
        building it, so ``load`` can refuse a file that asks for too many.

        This default counts a dense stack, the shape of ``Neuron``, ``Layer``
        and ``MLP``: ``nin`` inputs feeding layers of sizes ``nouts`` (or one
        layer of ``nout`` neurons, 1 if absent), each neuron with a weight per
        input and, if ``bias`` (the default), a bias. A module of another shape
        overrides it.

        Examples:
            >>> Module.parameter_count({"nin": 2, "nouts": [3, 1]})  # (2+1)*3 + (3+1)*1
            13
        """
        if "nin" not in config:
            raise TypeError(f"config has no 'nin' to count {cls.__name__}'s parameters from")
        nin, bias = config["nin"], config.get("bias", True)
        sizes = config.get("nouts", [config.get("nout", 1)])
        if not isinstance(sizes, list) or not all(type(n) is int and n > 0 for n in [nin, *sizes]):
            raise TypeError(
                "'nin' and layer sizes must be positive integers, "
                f"got {nin!r:.40} and {sizes!r:.40}"
            )
        if not isinstance(bias, bool):
            raise TypeError(f"'bias' must be true or false, got {bias!r:.40}")
        total = 0
        for nout in sizes:
            total += (nin + bias) * nout
            nin = nout
        return total

    def parameters(self) -> list[Value]:
        """All parameters, in a stable order (the order of ``named_parameters``)."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0.0 (gradients accumulate)."""
        for p in self.parameters():
            p.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """``{name: value}`` for every parameter, names as in ``named_parameters``."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict[str, float]) -> None:
        """Copy values in by name; every name must match and each value be a
        number. Nothing is changed unless all of it fits."""
        params = dict(self.named_parameters())
        missing = sorted(params.keys() - state.keys())
        extra = sorted(state.keys() - params.keys())
        if missing or extra:
            raise KeyError(
                f"state_dict does not fit {type(self).__name__}: "
                f"missing {_some(missing)}, unexpected {_some(extra)}"
            )
        values = {}
        for name, v in state.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TypeError(f"state_dict[{name!r}] must be a number, got {type(v).__name__}")
            values[name] = float(v)
        for name, v in values.items():
            params[name].data = v

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write config and parameters as strict JSON (RFC 8259). A weight is
        a JSON number that reads back bit for bit, or, for the values JSON has
        no number for, one of the strings ``"nan"``, ``"inf"`` and ``"-inf"``.

        ``path`` is written where ``open(path, "w")`` would write, through a
        symlink to its target, and refused where open() would refuse it
        (PermissionError); unlike open(), anything there that is not a regular
        file (a directory, FIFO, device) is refused too. The new file replaces
        the old one only once completely written, so a failed save leaves the
        previous file intact (replacing needs write permission on the
        directory). A replaced file keeps its permissions; a new one gets what
        open() would give it. Errors name ``path``. Temporary files
        (``.{name}.<hex>.tmp``) left by a killed save are removed by the next
        save to the same path.

        Examples:
            >>> import tempfile
            >>> from nn import MLP
            >>> with tempfile.TemporaryDirectory() as directory:
            ...     MLP(2, [1], seed=0).save(f"{directory}/model.json")
            ...     MLP.load(f"{directory}/model.json")
            MLP(2 -> [1]: Layer(2 -> 1, linear))
        """
        payload = {
            "format": FORMAT,
            "class": type(self).__name__,
            "config": self.config(),
            "state": {name: _encode_weight(w) for name, w in self.state_dict().items()},
        }
        text = json.dumps(payload, indent=1, allow_nan=False)
        try:
            target, mode = _save_target(path)
            _remove_orphans(target)
            _write_atomically(target, text, mode)
        except OSError as e:
            if e.filename is None:
                raise
            # Name the user's path, not a temporary file or a symlink's target.
            raise OSError(e.errno, e.strerror, os.fspath(path)) from None

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, max_parameters: int = MAX_PARAMETERS) -> Self:
        """Rebuild a module saved with ``save`` (it also reads the ``NaN`` and
        ``Infinity`` tokens earlier versions wrote). A corrupt, truncated,
        foreign or malformed file is a ValueError naming the path, and so is
        one asking for more than ``max_parameters`` parameters."""
        try:
            return cls._build(_read_payload(path, cls.__name__, max_parameters), max_parameters)
        except ValueError as e:
            raise ValueError(f"{path}: {e}") from None

    @classmethod
    def _build(cls, payload: dict[str, Any], max_parameters: int) -> Self:
        try:
            config, state = _config_and_state(payload)
            count = cls.parameter_count(config)
            if count > max_parameters:
                raise ValueError(
                    f"{count:,} parameters, more than the {max_parameters:,} load allows "
                    "(pass max_parameters= to allow more)"
                )
            module = cls(**config, **_throwaway_rng(cls, config))
            module.load_state_dict(state)
        except (ArithmeticError, LookupError, TypeError, ValueError) as e:
            raise ValueError(f"does not describe a valid {cls.__name__}: {e}") from None
        return module

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _throwaway_rng(cls: type[Module], config: dict[str, Any]) -> dict[str, random.Random]:
    """``rng=`` for building a module whose weights ``load`` overwrites at
    once: without a seed it would draw them from Python's global ``random``,
    moving the state a user may have seeded."""
    try:
        takes_rng = "rng" in inspect.signature(cls).parameters
    except (TypeError, ValueError):
        return {}
    return {"rng": random.Random(0)} if takes_rng and config.get("seed") is None else {}


def _some(names: list[str], shown: int = 5) -> str:
    """``names`` for an error message, at most ``shown`` of them."""
    if not names:
        return "none"
    more = f" and {len(names) - shown:,} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _save_target(path: str | os.PathLike[str]) -> tuple[str, int | None]:
    """The file ``save(path)`` writes (symlinks followed) and its permission
    bits, None if it does not exist yet. Refuses what ``open(path, "w")``
    would refuse, and anything but a regular file."""
    target = os.path.realpath(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target, None
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
    if not stat.S_ISREG(mode):
        raise OSError(f"{os.fspath(path)}: not a regular file; save replaces only regular files")
    # Opening for writing applies open()'s permission checks without touching
    # the contents; non-blocking in case a FIFO took the file's place meanwhile.
    os.close(os.open(target, os.O_WRONLY | os.O_NONBLOCK))
    return target, stat.S_IMODE(mode)


def _temporary_name(target: str) -> str:
    directory, name = os.path.split(target)
    return os.path.join(directory, f".{name}.{secrets.token_hex(8)}.tmp")


def _remove_orphans(target: str) -> None:
    """Delete what killed saves to ``target`` left behind: files named as
    ``_temporary_name`` names them that no live save holds locked (a lock
    dies with its process)."""
    directory, name = os.path.split(target)
    ours = re.compile(rf"\.{re.escape(name)}\.[0-9a-f]{{16}}\.tmp")
    try:
        with os.scandir(directory) as entries:
            orphans = [
                e.path
                for e in entries
                if ours.fullmatch(e.name) and e.is_file(follow_symlinks=False)
            ]
    except OSError:  # a directory we may write but not list: leave them
        return
    for orphan in orphans:
        with contextlib.suppress(OSError):  # a live save's, gone already, or not ours to remove
            fd = os.open(orphan, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                os.unlink(orphan)
            finally:
                os.close(fd)


def _write_atomically(target: str, text: str, mode: int | None) -> None:
    """Write ``text`` to a temporary file next to ``target``, locked while it
    lives, and rename it over ``target`` once it is on disk."""
    while True:
        tmp = _temporary_name(target)
        # Mode 0o666 less the umask, as open() creates files (mkstemp's 0o600
        # would leave a saved model readable by its owner only).
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        # Where the file system has no locks, saves still work; orphans stay.
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        with contextlib.suppress(FileNotFoundError):
            if os.path.samestat(os.fstat(fd), os.stat(tmp)):
                break
        # Before we locked it, another save to this path took it for an orphan.
        os.close(fd)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            if mode is not None:
                os.fchmod(fd, mode)
            f.write(text)
            f.flush()
            os.fsync(fd)
            os.replace(tmp, target)  # still locked: closing the file releases the lock
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _encode_weight(w: float) -> float | str:
    return w if math.isfinite(w) else repr(w)  # "nan", "inf" or "-inf"


def _decode_weight(name: str, w: object) -> float:
    if isinstance(w, str) and w in NON_FINITE:
        return NON_FINITE[w]
    if isinstance(w, bool) or not isinstance(w, (int, float)):
        raise TypeError(
            f"weight {name!r} must be a number or one of {list(NON_FINITE)}, got {w!r:.40}"
        )
    try:
        return float(w)
    except OverflowError:
        raise ValueError(f"weight {name!r} is too large for a float") from None


def _read_payload(
    path: str | os.PathLike[str], class_name: str, max_parameters: int
) -> dict[str, Any]:
    """The JSON object in ``path`` if it is a saved ``class_name``; reads no
    more than a file of ``max_parameters`` parameters can take."""
    limit = HEADER_BYTES + BYTES_PER_PARAMETER * max_parameters
    # Non-blocking, so that a FIFO at the path is refused instead of waited on;
    # checked before reading, as reading a directory fails naming only the fd.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise ValueError("is a directory" if stat.S_ISDIR(mode) else "not a regular file")
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(
            f"not a saved glassgrad module of at most {max_parameters:,} parameters "
            f"(larger than {limit:,} bytes)"
        )
    try:
        payload = json.loads(data.decode("utf-8"))
    # ValueError also covers undecodable bytes and integers too long to convert.
    except (ValueError, RecursionError) as e:
        raise ValueError(f"not a saved glassgrad module (corrupt or truncated JSON: {e})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError(f"not a saved glassgrad module (expected format {FORMAT!r})")
    if payload.get("class") != class_name:
        raise ValueError(f"holds a {payload.get('class')}, not a {class_name}")
    return payload


def _config_and_state(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, float]]:
    config, state = payload.get("config"), payload.get("state")
    if not isinstance(config, dict):
        raise TypeError(f"'config' must be an object of keyword arguments, got {config!r:.40}")
    if not isinstance(state, dict):
        raise TypeError(f"'state' must be an object of weights by name, got {state!r:.40}")
    return config, {name: _decode_weight(name, w) for name, w in state.items()}
