"""Fast mode: Wan2.2-T2V-A14B with the Wan2.2-Lightning 4-step LoRAs (lightx2v/Wan2.2-Lightning).

The LoRAs were distilled for exactly these settings (the Lightning repo's wan/configs/wan_t2v_A14B.py:
sample_steps 4, sample_shift 5.0, boundary 0.875, sample_guide_scale (1.0, 1.0)) and its Euler
sampler (wan/utils/fm_solvers_euler.py: timesteps linspace(1000, 0, steps + 1) shifted by 5, i.e.
sigmas 1.0, 0.9375, 0.8333, 0.625 then 0). Two steps run on the high-noise expert, two on the
low-noise one.

Mode switches never reload the base pipeline: the LoRAs are loaded once, as a PEFT adapter named
"lightning" on each expert, and then enabled (fast) or disabled (quality) per segment. On torchao
int8/fp8 experts the adapter runs unfused next to the quantized weights (PEFT's TorchaoLoraLinear),
so no dequantize/requantize round trip is needed either way.

Nothing here imports torch at module import: availability is asked before any engine loads.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..errors import InvalidParams
from ..weights import download_problem, safetensors_problem

REPO = "lightx2v/Wan2.2-Lightning"
FOLDER = "Wan2.2-Lightning"  # under the models folder, as `hf download --local-dir` leaves it
VARIANT = "Wan2.2-T2V-A14B-4steps-lora-rank64-Seko-V1.1"
LORA_FILES = {"high-noise": "high_noise_model.safetensors", "low-noise": "low_noise_model.safetensors"}
ADAPTER = "lightning"
MODELS = ("t2v-a14b",)  # the only model these LoRAs were trained for

STEPS = 4
SHIFT = 5.0
BOUNDARY_RATIO = 0.875  # the same as Wan2.2-T2V-A14B's own boundary_ratio
GUIDANCE_SCALE = 1.0  # both experts: the distillation folded guidance in, so no unconditional pass


def lora_paths(models_dir: str | Path) -> dict[str, Path]:
    """role ("high-noise" | "low-noise") -> where the LoRA file must be."""
    folder = Path(models_dir).expanduser().resolve() / FOLDER / VARIANT
    return {role: folder / name for role, name in LORA_FILES.items()}


def how_to_get(models_dir: str | Path) -> str:
    target = Path(models_dir).expanduser().resolve() / FOLDER
    return f'hf download {REPO} --include "{VARIANT}/*" --local-dir {target}'


def availability(models_dir: str | Path | None) -> dict[str, Any]:
    """availability details.fastMode: whether both LoRA files are present and whole."""
    if not models_dir:
        return {
            "available": False,
            "reason": "no models folder is set",
            "files": [],
            "howToGet": f'hf download {REPO} --include "{VARIANT}/*" --local-dir <modelsDir>/{FOLDER}',
        }
    files, problems = [], []
    for role, path in lora_paths(models_dir).items():
        problem = safetensors_problem(path)
        files.append({"role": role, "path": str(path), "present": problem is None})
        if problem:
            problems.append(f"the {role} LoRA {path} is {problem}")
    folder = Path(models_dir).expanduser().resolve() / FOLDER
    if download := download_problem(folder):  # the app's download of this folder has not passed its check
        problems.append(f"the LoRA download in {folder} is {download}")
    return {
        "available": not problems,
        "reason": "; ".join(problems) or None,
        "files": files,
        "howToGet": how_to_get(models_dir),
    }


def settings() -> dict[str, float]:
    """The shift and guidance a fast segment runs with, in the engine's option names."""
    return {"shift": SHIFT, "guidanceScale": GUIDANCE_SCALE, "guidanceScale2": GUIDANCE_SCALE}


def use_mode(loaded, mode: str, models_dir: str | Path) -> float | None:
    """Turns the Lightning adapter on (fast) or off (quality) on both experts of a loaded pipeline.

    Loads the adapter the first time fast mode runs on this pipeline; returns the seconds that took,
    or None when nothing was loaded."""
    seconds = None
    experts = loaded.experts.values()
    boundary = loaded.pipe.config.boundary_ratio
    if mode == "fast" and boundary != BOUNDARY_RATIO:  # the pipeline switches experts at its own boundary
        problem = f"the model's boundary_ratio is {boundary}, the Lightning LoRAs were trained at {BOUNDARY_RATIO}"
        raise InvalidParams.field("params.options.plan.mode", problem)
    if mode == "fast" and not loaded.lightning_loaded:
        started = time.perf_counter()
        paths = lora_paths(models_dir)
        pipe = loaded.pipe
        try:
            pipe.load_lora_weights(str(paths["high-noise"]), adapter_name=ADAPTER)
            pipe.load_lora_weights(str(paths["low-noise"]), adapter_name=ADAPTER, load_into_transformer_2=True)
        except BaseException:
            # Half an adapter (out of memory on the second file, say) would block the next try: same name.
            for expert in experts:
                if ADAPTER in (getattr(expert, "peft_config", None) or {}):
                    expert.delete_adapters(ADAPTER)
            raise
        loaded.lightning_loaded = True
        seconds = time.perf_counter() - started
    if loaded.lightning_loaded:
        for expert in experts:
            if mode == "fast":
                expert.enable_lora()
            else:
                expert.disable_lora()
    return seconds


def lightning_scheduler():
    """The Lightning Euler sampler, built on diffusers' FlowMatchEulerDiscreteScheduler.

    WanPipeline calls scheduler.set_timesteps(n) without sigmas, which would give diffusers' own
    spacing (linspace(1.0, 0.001, n) shifted), not the one the LoRAs were trained on; this
    scheduler always sets linspace(1, 0, n + 1)[:-1], which the parent then shifts by SHIFT."""
    import numpy as np
    from diffusers import FlowMatchEulerDiscreteScheduler

    class LightningEulerScheduler(FlowMatchEulerDiscreteScheduler):
        def set_timesteps(self, num_inference_steps=None, device=None, **kwargs):
            sigmas = np.linspace(1.0, 0.0, num_inference_steps + 1)[:-1]
            super().set_timesteps(device=device, sigmas=sigmas.tolist())

    return LightningEulerScheduler(num_train_timesteps=1000, shift=SHIFT)
