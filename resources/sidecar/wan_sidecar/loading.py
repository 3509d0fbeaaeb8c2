"""Loads a Wan2.2 pipeline from a local diffusers folder and places it the way the plan says.

precision  bf16 -> plain bf16 weights
           fp16 -> plain fp16 weights, for GPUs without bf16 (compute capability < 8.0)
           int8 -> torchao Int8WeightOnlyConfig on both experts (int8 storage, bf16 compute)
           fp8  -> torchao Float8WeightOnlyConfig on both experts (float8_e4m3fn storage, bf16 compute)
placement  experts  resident -> every expert on the GPU
                    swap     -> only the running expert on the GPU, the other waits in CPU RAM
                    stream   -> diffusers group offloading: blocks stream from CPU RAM as they run
           textEncoder gpu|cpu -> where umT5 computes; outside "resident" it leaves the GPU after encoding
           vaeTiling -> AutoencoderKLWan.enable_tiling() / disable_tiling(), set per call by
                        set_vae_tiling (not a reason to reload: it is a flag on the VAE)
The quantization only touches the diffusion transformers; umT5 stays bf16 (fp16 with "fp16") and
the VAE float32.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from diffusers import AutoencoderKLWan, PipelineQuantizationConfig, TorchAoConfig, WanPipeline

from .single_file import load_pipeline_parts
from .weights import SingleFiles

EXPERTS = ("transformer", "transformer_2")


def expert_quantization(precision: str) -> TorchAoConfig | None:
    # diffusers 0.42 takes torchao config objects; the old string quant types ("int8wo") are gone.
    from torchao.quantization import Float8WeightOnlyConfig, Int8WeightOnlyConfig

    weight_config = {"bf16": None, "fp16": None, "int8": Int8WeightOnlyConfig, "fp8": Float8WeightOnlyConfig}[precision]
    return None if weight_config is None else TorchAoConfig(weight_config())


def quantization_config(precision: str) -> PipelineQuantizationConfig | None:
    if expert_quantization(precision) is None:
        return None
    return PipelineQuantizationConfig(quant_mapping={name: expert_quantization(precision) for name in EXPERTS})


class ExpertSwap:
    """Keeps only the expert that is about to run on the execution device; the other waits on the CPU.

    A forward pre-hook on each expert does the move, so the switch happens exactly when the
    pipeline's loop hands over from `transformer` (t >= boundary) to `transformer_2`, and back at the
    start of the next segment. The inactive expert leaves first, so both never share the GPU.
    """

    def __init__(self, experts: dict[str, torch.nn.Module], device: torch.device):
        self.experts = experts
        self.device = device
        self.on_device: str | None = None
        self.moves: list[str] = []  # expert names in the order they were brought onto the device
        # The expert being moved in, until it is on the device: still set if the move ran out of
        # memory, so the engine can tell a failed swap ("load") from a failed step ("denoise").
        self.moving: str | None = None
        for name, expert in experts.items():
            expert.to("cpu")
            expert.register_forward_pre_hook(self._bring_in(name))

    def _bring_in(self, name: str):
        def hook(module: torch.nn.Module, args: Any) -> None:
            if self.on_device == name:
                return
            self.moving = name
            for other_name, other in self.experts.items():
                if other_name != name:
                    other.to("cpu")
            if self.device.type == "cuda":
                torch.cuda.empty_cache()  # hand the freed blocks back before the next expert arrives
            module.to(self.device)
            self.on_device = name
            self.moving = None
            self.moves.append(name)

        return hook


@dataclass
class LoadedPipeline:
    pipe: WanPipeline
    device: torch.device
    plan: dict[str, Any]
    load_seconds: float
    experts: dict[str, torch.nn.Module]  # "transformer" and, for A14B, "transformer_2"
    expert_swap: ExpertSwap | None  # with placement.experts "swap" and two experts
    # The repo's own scheduler config: the engine builds each segment's scheduler from it, whichever
    # scheduler (UniPC, or fast mode's Euler) the previous segment left on the pipeline.
    scheduler_config: dict[str, Any]
    # What the speed levers and fast mode have done to this pipeline so far (none of it reloads).
    lightning_loaded: bool = False  # the Lightning LoRAs are loaded as adapters (fast_mode.use_mode)
    attention: str | None = None  # the attention backend set on the experts (speed_levers.set_attention)
    compiled: bool = False  # the experts' repeated blocks are wrapped in torch.compile

    @property
    def text_encoder_device(self) -> torch.device:
        return self.device if self.plan["placement"]["textEncoder"] == "gpu" else torch.device("cpu")

    @property
    def keeps_text_encoder_resident(self) -> bool:
        return self.plan["placement"]["experts"] == "resident"


def set_vae_tiling(pipe: WanPipeline, tiled: bool) -> None:
    """Tiles the VAE (encode and decode; diffusers' default 256 px tiles, stride 192) or not.

    Only a flag on the VAE: the engine sets it on the cached pipeline for every call."""
    if tiled:
        pipe.vae.enable_tiling()
    else:
        pipe.vae.disable_tiling()


def load_pipeline(model_dir: Path | SingleFiles, plan: dict[str, Any], device: torch.device) -> LoadedPipeline:
    """model_dir: a diffusers folder, or ComfyUI single files (single_file.py)."""
    started = time.perf_counter()
    # Wan's VAE is meant to run in float32 (its decoder's activations leave fp16's range), and it
    # stays float32 in every precision; everything else loads in bf16 (quantized where asked), or
    # in fp16 on GPUs without bf16. umT5 in fp16 is safe: transformers' UMT5 blocks clamp fp16
    # overflow; diffusers keeps Wan's norms, time embedder and scale-shift tables in float32
    # (WanTransformer3DModel._keep_in_fp32_modules).
    dtype = torch.float16 if plan["precision"] == "fp16" else torch.bfloat16
    if isinstance(model_dir, SingleFiles):
        pipe = load_pipeline_parts(model_dir, dtype, expert_quantization(plan["precision"]))
    else:
        vae = AutoencoderKLWan.from_pretrained(model_dir, subfolder="vae", dtype=torch.float32, local_files_only=True)
        pipe = WanPipeline.from_pretrained(
            model_dir,
            vae=vae,
            dtype=dtype,
            quantization_config=quantization_config(plan["precision"]),
            local_files_only=True,
        )
    pipe.set_progress_bar_config(disable=True)

    placement = plan["placement"]
    experts = {name: getattr(pipe, name) for name in EXPERTS if getattr(pipe, name, None) is not None}
    pipe.vae.to(device)
    set_vae_tiling(pipe, placement["vaeTiling"])
    # umT5 (~11 GB in bf16) waits in RAM unless it both runs on the GPU and may stay there.
    pipe.text_encoder.to(device if placement["textEncoder"] == "gpu" and placement["experts"] == "resident" else "cpu")

    expert_swap = None
    if placement["experts"] == "resident" or (placement["experts"] == "swap" and len(experts) == 1):
        # With a single transformer (TI2V-5B) there is nothing to swap: it stays on the GPU.
        for expert in experts.values():
            expert.to(device)
    elif placement["experts"] == "swap":
        expert_swap = ExpertSwap(experts, device)
    else:
        # Block streaming: one transformer block per group, prefetched on a side CUDA stream. Blocks
        # are pinned as they travel (low_cpu_mem_usage) so RAM stays at one copy of the weights.
        on_cuda = device.type == "cuda"
        for expert in experts.values():
            expert.enable_group_offload(
                onload_device=device,
                offload_device=torch.device("cpu"),
                offload_type="block_level",
                num_blocks_per_group=1,
                use_stream=on_cuda,
                low_cpu_mem_usage=on_cuda,
            )
    return LoadedPipeline(
        pipe=pipe,
        device=device,
        plan=plan,
        load_seconds=time.perf_counter() - started,
        experts=experts,
        expert_swap=expert_swap,
        scheduler_config=dict(pipe.scheduler.config),
    )
