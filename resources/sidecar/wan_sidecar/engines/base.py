"""The contract every engine implements; the JSON-RPC server only ever talks to this."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class ContinueFrom:
    """The previous segment's video file; its last `frames` frames become this segment's head."""

    path: Path
    frames: int  # 1..SegmentRequest.frames - 1


@dataclass(frozen=True)
class SegmentRequest:
    """One `generate` call, already validated against the protocol schema (and the engine's
    `options_schema`), so engines can trust every field."""

    engine: str
    shot: int
    segment: int
    prompt: str
    negative_prompt: str | None
    seed: int
    frames: int  # 4n+1
    width: int
    height: int
    fps: int
    steps: int
    output: Path  # final path; engines write `output.partial` and rename
    start_frame: int  # index of this segment's first frame in the shot
    continue_from: ContinueFrom | None
    options: dict[str, Any] = field(default_factory=dict)  # engine-specific, see Engine.options_schema


@dataclass(frozen=True)
class Availability:
    available: bool
    reason: str | None = None  # why not, in words a user can act on
    details: dict[str, Any] = field(default_factory=dict)


# step (1-based), steps, expert ("high-noise" | "low-noise" | None)
StepReporter = Callable[[int, int, "str | None"], None]


class Engine(Protocol):
    """The registry (engines/__init__.py) builds each engine once per `initialize` and keeps it,
    so engines may cache loaded models between segments; engines that need model files are
    built as `EngineClass(models_dir)` with `models_dir: Path | None`. `generate` runs on a
    worker thread, one call at a time."""

    id: str
    label: str
    # JSON Schema of `generate`'s `params.options`; the server validates against it before
    # calling `generate`, so option errors name their field like every other invalid param.
    options_schema: dict[str, Any]

    def availability(self) -> Availability: ...

    def generate(
        self,
        request: SegmentRequest,
        ffmpeg: str,
        report_step: StepReporter,
        cancelled: threading.Event,
    ) -> dict[str, Any]:
        """Render one segment to request.output; return result fields beyond the common ones
        (e.g. secondsPerStep, peakVramAllocatedMiB). Raise the errors below.
        Check `cancelled` at least once per step and raise Cancelled when it is set."""
        ...


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
