"""The real engine: Wan2.2 through diffusers, one segment per `generate`, placed as the plan says.

torch, diffusers and friends are imported inside the methods, never at module import: the sidecar
must start (and report this engine unavailable) in a Python that has none of them.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from .. import video_io
from ..errors import Cancelled, EngineUnavailable, InvalidParams, OutOfMemory
from ..protocol import validate
from ..weights import SingleFiles, find_models, require_weights
from . import fast_mode, speed_levers
from .base import Availability, PreviewReporter, SegmentRequest, StepReporter
from .memory import MIB, MemoryBudget, is_out_of_memory, release_cached_memory

SETUP_HINT = "run npm run engine:setup"
ENGINE_PACKAGES = ("torch", "diffusers", "transformers", "torchao", "accelerate")
REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements" / "engine.txt"

# Official defaults (Wan2.2 configs): flow shift 12.0 and guidance 4.0 (high-noise expert) /
# 3.0 (low-noise expert) for T2V-A14B; shift 5.0 and guidance 5.0 for TI2V-5B, which has one transformer.
DEFAULTS = {
    "t2v-a14b": {"shift": 12.0, "guidanceScale": 4.0, "guidanceScale2": 3.0},
    "ti2v-5b": {"shift": 5.0, "guidanceScale": 5.0},
}
# umT5 sees at most 512 tokens, as in the official text_len.
MAX_SEQUENCE_LENGTH = 512
# Pixels per transformer token side: the VAE's spatial stride times the 2x2 patch.
SIZE_MULTIPLE = {"t2v-a14b": 8 * 2, "ti2v-5b": 16 * 2}
# Both VAEs encode the first frame alone, then groups of 4 frames.
VAE_TEMPORAL_STRIDE = 4
# Where a segment can run out of memory, as OutOfMemory's data.phase: what helps differs (the core
# steps the placement down by it). "load": loading or moving weights (from_pretrained, placing,
# an expert swap); "encode": umT5 and the continuity VAE encode; "denoise": the transformer steps;
# "decode": the VAE decode and writing the frames out.
PHASE_WORDS = {"load": "loading", "encode": "encoding", "denoise": "denoising", "decode": "decoding"}

PLAN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "gpuIndex": {"type": "integer", "minimum": 0},
        "model": {"enum": ["t2v-a14b", "ti2v-5b"]},
        "precision": {"enum": ["bf16", "fp16", "fp8", "int8"]},
        # "fast": the Wan2.2-Lightning 4-step LoRAs (fast_mode.py); "quality": the model as released.
        "mode": {"enum": ["quality", "fast"]},
        "speed": {
            "type": "object",
            "properties": {
                "compile": {"type": "boolean"},
                "attention": {"enum": list(speed_levers.DIFFUSERS_BACKENDS)},
            },
            "required": ["compile", "attention"],
            "additionalProperties": False,
        },
        "placement": {
            "type": "object",
            "properties": {
                "experts": {"enum": ["resident", "swap", "stream"]},
                "textEncoder": {"enum": ["gpu", "cpu"]},
                "vaeTiling": {"type": "boolean"},
            },
            "required": ["experts", "textEncoder", "vaeTiling"],
        },
    },
    # The planner's other fields (segmentFrames, predicted, reasons...) ride along untouched.
    "required": ["model", "precision", "placement"],
}

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "modelsDir": {"type": "string", "minLength": 1},
        "plan": PLAN_SCHEMA,
        "device": {"enum": ["cuda", "cpu"]},
        "shift": {"type": "number", "exclusiveMinimum": 0},
        "guidanceScale": {"type": "number", "minimum": 0},
        "guidanceScale2": {"type": "number", "minimum": 0},
        # How hard the previous segment's tail pins this segment's head: the blend weight of the
        # injected latents at every step; 1.0 makes the head reproduce the tail exactly.
        "overlapStrength": {"type": "number", "minimum": 0, "maximum": 1},
        # Test and diagnosis aid: memory this call may take beyond what the process already
        # holds (GPU memory on CUDA, data memory on Linux CPUs); exceeding it is a real OOM.
        "memoryLimitMiB": {"type": "number", "exclusiveMinimum": 0},
    },
    "required": ["plan"],
    "additionalProperties": False,
}


class DiffusersEngine:
    id = "diffusers"
    label = "Wan2.2 (diffusers)"
    options_schema = OPTIONS_SCHEMA

    def __init__(
        self,
        models_dir: Path | None = None,
        model_dirs: dict[str, Path] | None = None,
        model_files: dict[str, SingleFiles] | None = None,
    ):
        self.models_dir = models_dir
        self.model_dirs = model_dirs or {}  # initialize.modelDirs: used before <models_dir>/<repo>
        self.model_files = model_files or {}  # initialize.modelFiles: ComfyUI single files
        self.loaded = None  # loading.LoadedPipeline, kept between segments with the same key
        self.loaded_key: tuple | None = None

    # Availability

    def availability(self) -> Availability:
        python = sys.executable
        details: dict[str, Any] = {"python": python, **find_models(self.models_dir, self.model_dirs, self.model_files)}
        details["fastMode"] = fast_mode.availability(self.models_dir)
        details["speedLevers"] = {
            "attentionBackends": ["sdpa"],
            "compile": {"available": False, "reason": "the engine's packages are not installed"},
        }
        versions = {name: installed_version(name) for name in ENGINE_PACKAGES}
        details["versions"] = versions
        missing = [name for name, version in versions.items() if version is None]
        if missing:
            # torch first: without it nothing else matters, and it is the big install.
            what = "torch is" if "torch" in missing else f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'}"
            return Availability(False, f"{what} not installed in {python}: {SETUP_HINT}", details)
        pinned = pinned_versions()
        details["unpinned"] = {
            name: {"installed": version, "pinned": pinned[name]}
            for name, version in versions.items()
            if name in pinned and version.split("+")[0] != pinned[name]
        }
        try:
            torch = import_torch()
        except Exception as error:  # a broken install: missing CUDA libraries, ABI mismatch...
            return Availability(False, f"torch fails to import in {python} ({error}): {SETUP_HINT}", details)
        cuda = torch.cuda.is_available()
        details.update(
            torchCuda=torch.version.cuda,
            cudaAvailable=cuda,
            gpus=[torch.cuda.get_device_name(index) for index in range(torch.cuda.device_count())] if cuda else [],
            speedLevers=speed_levers.availability(cuda),
        )
        if not cuda:
            build = "a CPU-only build" if torch.version.cuda is None else f"built for CUDA {torch.version.cuda}"
            details["note"] = (
                f"torch {versions['torch']} ({build}) sees no CUDA GPU: this engine would run on the CPU, "
                "far too slow for the real models"
            )
        return Availability(True, None, details)

    # Generation

    def generate(
        self,
        request: SegmentRequest,
        ffmpeg: str,
        report_step: StepReporter,
        cancelled: threading.Event,
        report_preview: PreviewReporter,
    ) -> dict[str, Any]:
        validate(self.options_schema, request.options, "params.options")
        options = request.options
        plan = options["plan"]
        # None when the weights come only from initialize.modelDirs / modelFiles (a Hugging Face cache,
        # ComfyUI's folders): require_weights names what is missing; fast mode needs the folder.
        models_dir = options.get("modelsDir") or self.models_dir
        check_request(request, models_dir)
        model_dir = require_weights(models_dir, plan["model"], self.model_dirs, self.model_files)
        torch = import_torch()
        device = execution_device(options)
        speed_levers.check(speed_levers.chosen(plan), device.type == "cuda")
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)  # the peaks below cover loading and this segment

        failure = None
        phase = Phase()
        try:
            with MemoryBudget(device, options.get("memoryLimitMiB")) as memory_budget:
                loaded, load_seconds = self.pipeline_for(model_dir, plan, device)
                if cancelled.is_set():
                    raise Cancelled("cancelled")
                reporters = (report_step, report_preview)
                extras = self.render(loaded, request, ffmpeg, reporters, cancelled, memory_budget, phase, models_dir)
                return extras | {"loadSeconds": load_seconds}
        except (RuntimeError, MemoryError) as error:
            if not is_out_of_memory(error):
                raise
            failure = str(error).splitlines()[0] if str(error) else type(error).__name__
            expert_swap = self.loaded.expert_swap if self.loaded is not None else None
            if expert_swap is not None and expert_swap.moving is not None:
                phase.current = "load"  # an expert was on its way to the device mid-denoise
                expert_swap.moving = None
        # Outside the except block the traceback, and the tensors its frames hold, are gone.
        release_cached_memory()
        raise OutOfMemory(
            f"out of memory while {PHASE_WORDS[phase.current]} with plan {describe_plan(plan)} on {device}: {failure}",
            {"plan": plan, "device": str(device), "error": failure, "phase": phase.current},
        )

    def pipeline_for(self, model_dir: Path | SingleFiles, plan: dict[str, Any], device) -> tuple[Any, float | None]:
        """The loaded pipeline for this folder, plan and device; loads (seconds returned) on change.

        VAE tiling is not part of the key: it is a flag on the VAE, set for every call, so stepping
        it on after running out of memory in the decode does not reload two experts. Nor are the
        mode and the attention backend (adapters and processors switched in place, see render);
        compilation reloads only when it is turned off again, as torch has no public way to undo it.
        """
        from ..loading import load_pipeline, set_vae_tiling

        placement = plan["placement"]
        weights_placement = tuple(sorted((name, value) for name, value in placement.items() if name != "vaeTiling"))
        key = (str(model_dir), plan["model"], plan["precision"], weights_placement, str(device))
        uncompile = self.loaded is not None and self.loaded.compiled and not speed_levers.chosen(plan)["compile"]
        if key == self.loaded_key and not uncompile:
            self.loaded.plan = plan
            set_vae_tiling(self.loaded.pipe, placement["vaeTiling"])
            return self.loaded, None
        self.loaded = self.loaded_key = None
        release_cached_memory()
        self.loaded = load_pipeline(model_dir, plan, device)
        self.loaded_key = key
        return self.loaded, self.loaded.load_seconds

    def render(
        self,
        loaded,
        request: SegmentRequest,
        ffmpeg: str,
        reporters: tuple[StepReporter, PreviewReporter],
        cancelled: threading.Event,
        memory_budget: MemoryBudget,
        phase: Phase,
        models_dir: str | Path | None,
    ) -> dict[str, Any]:
        import torch

        from .latent_preview import LatentPreviewer

        report_step, report_preview = reporters
        options = request.options
        plan = options["plan"]
        pipe, device = loaded.pipe, loaded.device
        mode, speed = plan.get("mode", "quality"), speed_levers.chosen(plan)
        settings = segment_settings(plan, options)
        shift, guidance_scale = settings["shift"], settings["guidanceScale"]
        if loaded.expert_swap is not None:
            loaded.expert_swap.moving = None  # whatever an earlier failed call left behind

        # 1. Mode and speed levers, switched in place on the loaded experts: the Lightning adapters
        # on or off (loaded once), the attention backend, regional compilation (compiles lazily).
        adapter_seconds = fast_mode.use_mode(loaded, mode, models_dir) if plan["model"] in fast_mode.MODELS else None
        speed_levers.set_attention(loaded, speed["attention"])
        if speed["compile"]:
            speed_levers.use_compile_cache(models_dir)
            speed_levers.compile_experts(loaded)
            compile_timer = speed_levers.CompileTimer()

        # 2. A fresh scheduler per segment: the repo's config may not carry the official shift, and
        # UniPC keeps multistep state that must not leak from a cancelled segment. Fast mode runs
        # the Euler sampler the LoRAs were distilled with.
        pipe.scheduler = fast_mode.lightning_scheduler() if mode == "fast" else scheduler_for(loaded, shift)
        previewer = None
        if request.preview is not None:
            previewer = LatentPreviewer(pipe.vae.config.z_dim, request)
            previewer.watch(pipe.scheduler)
        generator = torch.Generator("cpu").manual_seed(request.seed)  # CPU noise: same frames on any device

        # 3. The prompt, through umT5 wherever the plan put it (no negative prompt without guidance),
        # and the previous segment's tail through the VAE encoder.
        phase.current = "encode"
        pipe.text_encoder.to(loaded.text_encoder_device)
        prompt_embeds, negative_prompt_embeds = pipe.encode_prompt(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt or "",
            do_classifier_free_guidance=guidance_scale > 1.0,
            max_sequence_length=MAX_SEQUENCE_LENGTH,
            device=device,
        )
        if not loaded.keeps_text_encoder_resident:
            pipe.text_encoder.to("cpu")
        head = None if request.continue_from is None else encode_overlap(pipe, request, ffmpeg, device)

        # 4. The starting noise, and the head latents that carry the previous segment over.
        phase.current = "denoise"
        latents = pipe.prepare_latents(
            1, pipe.transformer.config.in_channels, request.height, request.width, request.frames,
            torch.float32, device, generator,
        )  # fmt: skip
        pipe.scheduler.set_timesteps(request.steps, device=device)  # the pipeline repeats this same call
        sigmas = pipe.scheduler.sigmas  # steps + 1 noise levels, ending at 0
        if head is not None:
            head_frames = head.shape[2]
            head_noise = latents[:, :, :head_frames].clone()
            overlap_strength = options.get("overlapStrength", 1.0)

        def pin_head(latents, sigma) -> None:
            # Flow matching: x_t = (1 - sigma) * x0 + sigma * noise, with the segment's own noise.
            noised_head = (1 - sigma) * head + sigma * head_noise
            latents[:, :, :head_frames] = torch.lerp(latents[:, :, :head_frames], noised_head, overlap_strength)

        if head is not None:
            pin_head(latents, sigmas[0])

        boundary_ratio = pipe.config.boundary_ratio
        boundary = boundary_ratio * pipe.scheduler.config.num_train_timesteps if boundary_ratio else None
        step_ends: list[float] = []
        preview_seconds: list[float] = []

        def on_step_end(pipe, index: int, timestep, callback_kwargs: dict[str, Any]) -> dict[str, Any]:
            latents = callback_kwargs["latents"]
            step = index + 1
            if head is not None:
                # Step `index` has just brought the latents to sigmas[index + 1]; after the last
                # step that is 0, so the head ends as the clean tail itself.
                pin_head(latents, sigmas[step])
            memory_budget.check()
            step_ends.append(time.perf_counter())
            expert = None if boundary is None else "high-noise" if timestep >= boundary else "low-noise"
            report_step(step, request.steps, expert)
            if previewer is not None and request.preview.is_due(step, request.steps):
                started = time.perf_counter()
                report_preview(step, request.steps, previewer.picture())
                preview_seconds.append(time.perf_counter() - started)
            if cancelled.is_set():
                raise Cancelled("cancelled", {"step": step, "steps": request.steps})
            if step == len(pipe.scheduler.timesteps):
                phase.current = "decode"  # the pipeline decodes right after the last step
            return {"latents": latents}

        # 5. Denoise (the pipeline picks transformer / transformer_2 by the boundary; with guidance
        # 1 on both it skips the unconditional pass) and decode.
        denoise_started = time.perf_counter()
        video = pipe(
            prompt_embeds=prompt_embeds,
            negative_prompt_embeds=negative_prompt_embeds,
            latents=latents,
            height=request.height,
            width=request.width,
            num_frames=request.frames,
            num_inference_steps=request.steps,
            guidance_scale=guidance_scale,
            guidance_scale_2=settings.get("guidanceScale2"),
            callback_on_step_end=on_step_end,
            output_type="np",
        ).frames[0]
        memory_budget.check()

        # 6. Out through ffmpeg.
        frames = (video * 255).round().clip(0, 255).astype("uint8")
        with video_io.FrameWriter(ffmpeg, request.output, request.width, request.height, request.fps) as writer:
            writer.write(frames)

        on_cuda = device.type == "cuda"
        return {
            "secondsPerStep": round((step_ends[-1] - denoise_started) / len(step_ends), 4),
            "peakVramAllocatedMiB": round(torch.cuda.max_memory_allocated(device) / MIB, 1) if on_cuda else None,
            "peakVramReservedMiB": round(torch.cuda.max_memory_reserved(device) / MIB, 1) if on_cuda else None,
            "plan": plan,
            "device": str(device),
            "mode": mode,
            "shift": shift,
            "guidanceScale": guidance_scale,
            "attention": speed["attention"],
            "compileSeconds": compile_timer.seconds() if speed["compile"] else None,
            "adapterLoadSeconds": None if adapter_seconds is None else round(adapter_seconds, 3),
            "previewSeconds": round(sum(preview_seconds), 4) if previewer is not None else None,
            "overlapLatentFrames": 0 if head is None else head_frames,
        }


def encode_overlap(pipe, request: SegmentRequest, ffmpeg: str, device):
    """The previous segment's last k frames as normalised latents: (1, z_dim, (k-1)//4+1, h, w).

    The Wan VAE encodes the first frame alone and then groups of 4, causally, so k = 4n+1 frames
    make exactly n+1 latent frames, and decoding those gives back exactly k frames: the new
    segment's first k frames reproduce the tail and the stitcher drops them. Any other k would
    leave frames the latents do not cover, so it is refused.
    """
    import torch

    frames = video_io.read_last_frames(ffmpeg, request.continue_from.path, request.continue_from.frames)
    if frames.shape[1:3] != (request.height, request.width):
        raise InvalidParams.field(
            "params.continueFrom.path",
            f"its frames are {frames.shape[2]}x{frames.shape[1]}, this segment is {request.width}x{request.height}",
        )
    vae = pipe.vae
    video = torch.from_numpy(frames).permute(3, 0, 1, 2).unsqueeze(0)  # (1, 3, k, H, W)
    video = (video.to(device=device, dtype=vae.dtype) / 127.5) - 1.0
    latents = vae.encode(video).latent_dist.mode()  # the mean, not a sample: deterministic
    mean = torch.tensor(vae.config.latents_mean, device=device).view(1, -1, 1, 1, 1)
    std = torch.tensor(vae.config.latents_std, device=device).view(1, -1, 1, 1, 1)
    return ((latents - mean) / std).to(torch.float32)


# Helpers


class Phase:
    """Which part of the segment is running, for OutOfMemory's data.phase (see PHASE_WORDS)."""

    def __init__(self) -> None:
        self.current = "load"


def segment_settings(plan: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """Shift and guidance: the model's defaults, the options' choices, or fast mode's fixed ones."""
    if plan.get("mode") == "fast":
        return fast_mode.settings()
    chosen = {key: options[key] for key in ("shift", "guidanceScale", "guidanceScale2") if key in options}
    return DEFAULTS[plan["model"]] | chosen


def scheduler_for(loaded, shift: float):
    """UniPC as the repo configures it (flow sigmas, flow prediction), at this segment's shift."""
    from diffusers import UniPCMultistepScheduler

    return UniPCMultistepScheduler.from_config(loaded.scheduler_config, flow_shift=shift)


def check_request(request: SegmentRequest, models_dir: str | Path | None) -> None:
    """What the protocol schema lets through but this engine cannot render, refused before loading."""
    options, plan = request.options, request.options["plan"]
    model = plan["model"]
    invalid = InvalidParams.field
    for name, value in (("width", request.width), ("height", request.height)):
        if value % SIZE_MULTIPLE[model]:
            raise invalid(f"params.{name}", f"{value} is not a multiple of {SIZE_MULTIPLE[model]}, as {model} needs")
    if "guidanceScale2" in options and "guidanceScale2" not in DEFAULTS[model]:
        raise invalid("params.options.guidanceScale2", f"{model} has no second expert to guide")
    if plan.get("mode") == "fast":
        check_fast_mode(request, models_dir)
    if request.continue_from and (request.continue_from.frames - 1) % VAE_TEMPORAL_STRIDE:
        raise invalid(
            "params.continueFrom.frames",
            f"{request.continue_from.frames} is not {VAE_TEMPORAL_STRIDE}n+1, which the diffusers engine "
            "needs to map the overlap onto whole latent frames",
        )


def check_fast_mode(request: SegmentRequest, models_dir: str | Path | None) -> None:
    """Fast mode runs only what the Lightning LoRAs were trained for, and only with both files."""
    options, model = request.options, request.options["plan"]["model"]
    if model not in fast_mode.MODELS:
        raise InvalidParams.field("params.options.plan.mode", f"fast mode has LoRAs for t2v-a14b only, not {model}")
    if request.steps != fast_mode.STEPS:
        raise InvalidParams.field("params.steps", f"fast mode runs {fast_mode.STEPS} steps, not {request.steps}")
    for name in ("shift", "guidanceScale", "guidanceScale2"):
        if name in options:
            raise InvalidParams.field(
                f"params.options.{name}", "fast mode runs the Lightning LoRAs' own shift and guidance; leave it out"
            )
    files = fast_mode.availability(models_dir)
    if not files["available"]:
        problem = f"fast mode is not available: {files['reason']}; get the LoRAs with: {files['howToGet']}"
        raise InvalidParams.field("params.options.plan.mode", problem)


def import_torch():
    # nvidia-smi numbers GPUs by PCI bus; make CUDA agree so plan.gpuIndex means the same GPU.
    os.environ.setdefault("CUDA_DEVICE_ORDER", "PCI_BUS_ID")
    import torch

    return torch


def installed_version(distribution: str) -> str | None:
    """The installed version, read from package metadata without importing the package."""
    if importlib.util.find_spec(distribution) is None:
        return None
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def pinned_versions() -> dict[str, str]:
    if not REQUIREMENTS.is_file():
        return {}
    pins = {}
    for line in REQUIREMENTS.read_text().splitlines():
        name, separator, version = line.split("#")[0].strip().partition("==")
        if separator:
            pins[name.strip()] = version.strip()
    return pins


def execution_device(options: dict[str, Any]):
    import torch

    wanted = options.get("device") or ("cuda" if torch.cuda.is_available() else "cpu")
    if wanted == "cpu":
        return torch.device("cpu")
    if not torch.cuda.is_available():
        raise EngineUnavailable(
            f"the plan asks for CUDA but torch {torch.__version__} in {sys.executable} sees no GPU",
            {"reason": "no CUDA GPU visible to torch"},
        )
    index = options["plan"].get("gpuIndex", 0)
    if index >= torch.cuda.device_count():
        raise InvalidParams.field(
            "params.options.plan.gpuIndex", f"{index}, but torch sees {torch.cuda.device_count()} GPU(s)"
        )
    return torch.device("cuda", index)


def describe_plan(plan: dict[str, Any]) -> str:
    placement = plan["placement"]
    return (
        f"{plan['model']} {plan['precision']}, experts {placement['experts']}, umT5 on {placement['textEncoder']}, "
        f"VAE tiling {'on' if placement['vaeTiling'] else 'off'}"
    )
