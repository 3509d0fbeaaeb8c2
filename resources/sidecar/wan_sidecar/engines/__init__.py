"""The engine registry: what `initialize` reports and `generate` dispatches to."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..weights import SingleFiles
from .base import Availability, Engine
from .synthetic import SyntheticEngine

log = logging.getLogger(__name__)

DIFFUSERS_ID = "diffusers"
DIFFUSERS_LABEL = "Wan2.2 (diffusers)"  # shown only when the engine module cannot be loaded


@dataclass(frozen=True)
class EngineSlot:
    id: str
    label: str
    engine: Engine | None  # None when the engine could not even be built
    availability: Availability

    def report(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "available": self.availability.available,
            "reason": self.availability.reason,
            "details": self.availability.details,
        }


def load_engines(
    models_dir: Path | None,
    model_dirs: dict[str, Path] | None = None,
    model_files: dict[str, SingleFiles] | None = None,
) -> dict[str, EngineSlot]:
    """model_dirs: per model, a diffusers folder used before `<models_dir>/<repo>`; model_files: per
    model, ComfyUI single files (weights.py)."""
    synthetic = SyntheticEngine()
    slots = [
        EngineSlot(synthetic.id, synthetic.label, synthetic, synthetic.availability()),
        _diffusers_slot(models_dir, model_dirs or {}, model_files or {}),
    ]
    return {slot.id: slot for slot in slots}


def _diffusers_slot(
    models_dir: Path | None, model_dirs: dict[str, Path], model_files: dict[str, SingleFiles]
) -> EngineSlot:
    # Imported here, not at the top: it pulls in torch, which takes seconds and may be missing.
    try:
        from .diffusers_engine import DiffusersEngine

        engine = DiffusersEngine(models_dir, model_dirs, model_files)
        return EngineSlot(engine.id, engine.label, engine, engine.availability())
    except ImportError as error:
        if isinstance(error, ModuleNotFoundError) and error.name and not error.name.startswith(__name__):
            reason = f"{error.name.split('.')[0]} is not installed in {sys.executable}"
        else:
            reason = f"the diffusers engine cannot be loaded: {error}"
    except Exception as error:
        log.exception("the diffusers engine failed to load")
        reason = f"the diffusers engine failed to load: {type(error).__name__}: {error}"
    return EngineSlot(DIFFUSERS_ID, DIFFUSERS_LABEL, None, Availability(False, reason))
