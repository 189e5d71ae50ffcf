"""``Module``: parameters by name, gradients zeroed, state saved and loaded."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from typing import Any

from autograd import Value

FORMAT = "glassgrad-module-v1"


class Module:
    """Base of every layer. Subclasses define ``named_parameters()`` and
    ``config()`` (the keyword arguments that rebuild them)."""

    def named_parameters(self) -> list[tuple[str, Value]]:
        return []

    def config(self) -> dict[str, Any]:
        raise NotImplementedError(f"{type(self).__name__} does not define config()")

    def parameters(self) -> list[Value]:
        """All parameters, in a stable order (the order of ``named_parameters``)."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
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
                f"missing {missing or 'none'}, unexpected {extra or 'none'}"
            )
        values = {}
        for name, v in state.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TypeError(f"state_dict[{name!r}] must be a number, got {type(v).__name__}")
            values[name] = float(v)
        for name, v in values.items():
            params[name].data = v

    def save(self, path: str | os.PathLike) -> None:
        """Write config and parameters as JSON, atomically: the file is
        replaced only once the new one is completely written, so a failed
        save leaves the previous file intact. A replaced file keeps its
        permissions; a new one gets what ``open()`` would give it."""
        payload = {
            "format": FORMAT,
            "class": type(self).__name__,
            "config": self.config(),
            "state": self.state_dict(),
        }
        text = json.dumps(payload, indent=1, allow_nan=True)
        directory, name = os.path.split(os.path.abspath(path))
        tmp = os.path.join(directory, f".{name}.{secrets.token_hex(8)}.tmp")
        # Mode 0o666 less the umask, as open() creates files (mkstemp's 0o600
        # would leave a saved model readable by its owner only).
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                with contextlib.suppress(FileNotFoundError):  # a new file
                    os.fchmod(f.fileno(), stat.S_IMODE(os.stat(path).st_mode))
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike) -> Module:
        """Rebuild a module saved with ``save``; a corrupt, truncated or
        foreign file is a ValueError naming the path."""
        try:
            with open(path, encoding="utf-8") as f:
                payload = json.load(f)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ValueError(
                f"{path}: not a saved glassgrad module (corrupt or truncated JSON: {e})"
            ) from None
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise ValueError(f"{path}: not a saved glassgrad module (expected format {FORMAT!r})")
        if payload.get("class") != cls.__name__:
            raise ValueError(f"{path}: holds a {payload.get('class')}, not a {cls.__name__}")
        try:
            module = cls(**payload["config"])
            module.load_state_dict(payload["state"])
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"{path}: does not describe a valid {cls.__name__}: {e}") from None
        return module

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
