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
class PreviewRequest:
    """`generate`'s `preview`: a picture of the current denoised estimate every `every_steps` steps
    and after the last, its longest side at most `max_side` pixels."""

    every_steps: int  # 1..200
    max_side: int  # 64..512

    def is_due(self, step: int, steps: int) -> bool:
        return step % self.every_steps == 0 or step == steps


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
    preview: PreviewRequest | None = None  # None: no previews


@dataclass(frozen=True)
class Availability:
    available: bool
    reason: str | None = None  # why not, in words a user can act on
    details: dict[str, Any] = field(default_factory=dict)


# step (1-based), steps, expert ("high-noise" | "low-noise" | None)
StepReporter = Callable[[int, int, "str | None"], None]
# step (1-based), steps, the picture: {"width", "height", "mime", "data" (base64)} from previews.encode_preview
PreviewReporter = Callable[[int, int, dict[str, Any]], None]


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
        report_preview: PreviewReporter,
    ) -> dict[str, Any]:
        """Render one segment to request.output; return result fields beyond the common ones
        (e.g. secondsPerStep, peakVramAllocatedMiB). Raise the errors of wan_sidecar.errors.
        Check `cancelled` at least once per step and raise Cancelled when it is set. When
        request.preview is set, call report_preview on every step it is due (PreviewRequest.is_due)."""
        ...
