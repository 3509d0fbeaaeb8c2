"""The errors a request can fail with beyond the JSON-RPC framing ones, each with its JSON-RPC code.

Imports nothing from the package, so every module (server, protocol, video_io, weights, engines)
can raise them without importing another.
"""

from __future__ import annotations

import traceback
from typing import Any

TRACEBACK_TAIL_LINES = 20


class EngineError(Exception):
    """A failure the user should read; `code` is the JSON-RPC error code, `data` goes along."""

    code = -32000

    def __init__(self, message: str, data: dict[str, Any] | None = None):
        super().__init__(message)
        self.data = data or {}


class Cancelled(EngineError):
    code = -32001


class OutOfMemory(EngineError):
    """`data` should include the plan that did not fit."""

    code = -32002


class EngineUnavailable(EngineError):
    """`data` should include `reason`."""

    code = -32003


class Busy(EngineError):
    """Raised by the server: a generate is already running."""

    code = -32004


class WeightsMissing(EngineError):
    """`data` should include `missing`: the files or repos that are not on disk."""

    code = -32005


class NotInitialized(EngineError):
    """Raised by the server: `generate` came before `initialize`."""

    code = -32010


class InvalidParams(EngineError):
    """A request the schema accepted but that cannot be served as asked (e.g. a size the
    model does not support); the message starts with the field path, like schema errors."""

    code = -32602

    @classmethod
    def field(cls, field: str, problem: str) -> InvalidParams:
        """`<field>: <problem>`, with data.field and data.errors as the schema errors carry them."""
        message = f"{field}: {problem}"
        return cls(message, {"field": field, "errors": [message]})


def unexpected(error: Exception) -> EngineError:
    """An exception no code meant to raise, as an EngineError carrying the last lines of its
    traceback; call it inside the `except` that caught `error`."""
    tail = traceback.format_exc().splitlines()[-TRACEBACK_TAIL_LINES:]
    return EngineError(f"{type(error).__name__}: {error}", {"traceback": "\n".join(tail)})
