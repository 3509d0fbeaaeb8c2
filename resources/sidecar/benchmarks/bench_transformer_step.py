"""Times denoising steps of a full-size Wan2.2 A14B expert per mode, speed lever and size; prints JSON.

    python benchmarks/bench_transformer_step.py                  # CUDA: every available combination
    python benchmarks/bench_transformer_step.py --tiny           # a tiny expert, any device: smoke test
    python benchmarks/bench_transformer_step.py --sizes 480p --attention sdpa --compile off --budget 300

The expert is diffusers' WanTransformer3DModel with the Wan2.2 A14B configuration (dim 5120 =
40 heads x 128, 40 layers, ffn 13824, text_dim 4096, 16 latent channels, patch 1x2x2) and random
bf16 weights, so no weights need to be on disk. A step is what WanPipeline does per timestep:
  quality  two forward passes at batch 1 (conditional, unconditional: classifier-free guidance)
  fast     one forward pass (guidance 1, the unconditional pass skipped) with a rank-64 LoRA on the
           attention and feed-forward projections, unfused, as fast mode runs Wan2.2-Lightning
on a latent of (16, (frames-1)/4+1, height/8, width/8) and 512 text tokens. The adapter is added
once and switched off for quality steps, as the engine does after a fast segment.
Each combination of size x attention backend x compile x mode runs one warm-up step (which, with
compile on, includes the compilation, reported as compileSeconds) and --repeats timed steps.
Compilation cannot be undone, so every uncompiled combination runs before the first compiled one.
The preview cost is the engine's own LatentPreviewer on that size's latent, per preview.
Without CUDA (and without --tiny) it prints why it did not run and exits 0. --budget stops starting
new combinations after that many seconds (they are listed as skipped), so a short GPU lease fits.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import torch
from diffusers import WanTransformer3DModel
from peft import LoraConfig

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the sidecar's own modules

from wan_sidecar.engines import speed_levers  # noqa: E402
from wan_sidecar.engines.base import PreviewRequest, SegmentRequest  # noqa: E402
from wan_sidecar.engines.latent_preview import LatentPreviewer  # noqa: E402

A14B_EXPERT = dict(
    patch_size=(1, 2, 2),
    num_attention_heads=40,
    attention_head_dim=128,
    in_channels=16,
    out_channels=16,
    text_dim=4096,
    freq_dim=256,
    ffn_dim=13824,
    num_layers=40,
    cross_attn_norm=True,
    qk_norm="rms_norm_across_heads",
    eps=1e-6,
    rope_max_seq_len=1024,
)
TINY_EXPERT = A14B_EXPERT | dict(num_attention_heads=2, attention_head_dim=12, text_dim=32, ffn_dim=32, num_layers=2)
SIZES = {"720p": (1280, 720, 81), "480p": (832, 480, 81)}
TINY_SIZES = {"720p": (64, 64, 9), "480p": (48, 32, 9)}  # the same code path on a latent a CPU steps through
LORA_TARGETS = ["to_q", "to_k", "to_v", "to_out.0", "ffn.net.0.proj", "ffn.net.2"]
LORA_RANK = 64
TEXT_TOKENS = 512
PREVIEW_CALLS = 5
MIB = 1024 * 1024


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="a 2-layer expert on small latents, on any device")
    parser.add_argument("--sizes", default="720p,480p", help="comma-separated: 720p, 480p")
    parser.add_argument("--attention", default="all", help="comma-separated backends, or all available ones")
    parser.add_argument("--compile", default="both", choices=["off", "on", "both"])
    parser.add_argument("--modes", default="quality,fast", help="comma-separated: quality, fast")
    parser.add_argument("--repeats", type=int, default=1, help="timed steps after one warm-up step")
    parser.add_argument("--budget", type=float, default=None, help="seconds after which no new combination starts")
    parser.add_argument("--out", type=Path, help="also write the report here, rewritten after every combination")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    cuda = torch.cuda.is_available()
    if not cuda and not args.tiny:
        print(json.dumps({"ran": False, "reason": "needs a CUDA GPU (torch sees none); --tiny runs a smoke test"}))
        return 0
    device = torch.device("cuda" if cuda else "cpu")
    config = TINY_EXPERT if args.tiny else A14B_EXPERT
    sizes = {name: (TINY_SIZES if args.tiny else SIZES)[name] for name in args.sizes.split(",")}
    levers = speed_levers.availability(cuda)
    backends = levers["attentionBackends"] if args.attention == "all" else args.attention.split(",")
    compile_choices = {"off": [False], "on": [True], "both": [False, True]}[args.compile]
    skipped = [
        {"attention": name, "reason": levers["attentionUnavailable"][name]}
        for name in backends
        if name not in levers["attentionBackends"]
    ]
    backends = [name for name in backends if name in levers["attentionBackends"]]
    if True in compile_choices and not levers["compile"]["available"]:
        skipped.append({"compile": True, "reason": levers["compile"]["reason"]})
        compile_choices = [choice for choice in compile_choices if not choice]

    started = time.perf_counter()
    expert = build_expert(config, device)
    build_seconds = time.perf_counter() - started
    rows, previews = [], {}
    report = {
        "ran": True,
        "complete": False,
        "model": "tiny" if args.tiny else "Wan2.2 A14B expert (random weights)",
        "device": torch.cuda.get_device_name(device) if cuda else "cpu",
        "parameters": sum(parameter.numel() for parameter in expert.parameters()),
        "dtype": "bfloat16",
        "buildSeconds": round(build_seconds, 1),
        "rows": rows,  # filled in below, as each combination finishes
        "previews": previews,
        "skipped": skipped,
        "torch": torch.__version__,
        "python": sys.version.split()[0],
    }
    combinations = itertools.product(compile_choices, sizes.items(), backends, args.modes.split(","))
    for compiled, (size, (width, height, frames)), backend, mode in combinations:
        if args.budget is not None and time.perf_counter() - started > args.budget:
            skipped.append({"size": size, "attention": backend, "compile": compiled, "mode": mode, "reason": "budget"})
            continue
        if compiled and not getattr(expert, "benchmark_compiled", False):
            expert.compile_repeated_blocks(fullgraph=True)
            expert.benchmark_compiled = True
        expert.set_attention_backend(speed_levers.DIFFUSERS_BACKENDS[backend])
        row = time_steps(expert, config, device, mode, (width, height, frames), args.repeats, compiled)
        if size not in previews:
            previews[size] = time_preview(device, width, height, frames)
        share = round(previews[size]["secondsPerPreview"] / row["secondsPerStep"], 5)  # of this step
        rows.append({"size": size, "attention": backend, "compile": compiled, "mode": mode} | row)
        rows[-1]["previewShareOfStep"] = share
        if args.out:  # a run killed at its time limit still leaves every finished combination
            write_atomically(args.out, json.dumps(report, indent=1))
    report["complete"] = True
    if args.out:
        write_atomically(args.out, json.dumps(report, indent=1))
    print(json.dumps(report))
    return 0


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text)
    partial.replace(path)


def build_expert(config: dict, device: torch.device) -> WanTransformer3DModel:
    """Random bf16 weights built straight on the device (fp32 first would need 2x the memory), plus
    the fast-mode LoRA, switched off until a fast step."""
    torch.manual_seed(0)
    torch.set_default_dtype(torch.bfloat16)
    with torch.device(device):
        expert = WanTransformer3DModel(**config).eval().requires_grad_(False)
        expert.add_adapter(LoraConfig(r=LORA_RANK, lora_alpha=LORA_RANK, target_modules=LORA_TARGETS), "lightning")
    torch.set_default_dtype(torch.float32)
    expert.requires_grad_(False)
    expert.disable_lora()
    return expert


def time_steps(expert, config, device, mode: str, size: tuple[int, int, int], repeats: int, compiled: bool) -> dict:
    width, height, frames = size
    cuda = device.type == "cuda"
    latent_shape = (1, config["in_channels"], (frames - 1) // 4 + 1, height // 8, width // 8)
    latents = torch.randn(latent_shape, device=device, dtype=torch.bfloat16)
    prompt = torch.randn(1, TEXT_TOKENS, config["text_dim"], device=device, dtype=torch.bfloat16)
    texts = [prompt] if mode == "fast" else [prompt, torch.randn_like(prompt)]
    timestep = torch.tensor([999], device=device)
    if mode == "fast":
        expert.enable_lora()
    else:
        expert.disable_lora()

    def step() -> None:
        for text in texts:
            expert(hidden_states=latents, timestep=timestep, encoder_hidden_states=text, return_dict=False)
        if cuda:
            torch.cuda.synchronize(device)

    if cuda:
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)
    with torch.inference_mode():
        compile_timer = speed_levers.CompileTimer()
        warm_started = time.perf_counter()
        step()  # warm-up: compilation, kernel selection, allocator growth
        warm_seconds = time.perf_counter() - warm_started
        started = time.perf_counter()
        for _ in range(repeats):
            step()
        seconds_per_step = (time.perf_counter() - started) / repeats
    patch = config["patch_size"]
    tokens = latent_shape[2] // patch[0] * (latent_shape[3] // patch[1]) * (latent_shape[4] // patch[2])
    return {
        "width": width,
        "height": height,
        "frames": frames,
        "tokens": tokens,
        "forwardsPerStep": len(texts),
        "secondsPerStep": round(seconds_per_step, 4),
        "warmupSeconds": round(warm_seconds, 3),
        "compileSeconds": compile_timer.seconds() if compiled else None,
        "peakVramAllocatedMiB": round(torch.cuda.max_memory_allocated(device) / MIB, 1) if cuda else None,
        "peakVramReservedMiB": round(torch.cuda.max_memory_reserved(device) / MIB, 1) if cuda else None,
    }


def time_preview(device: torch.device, width: int, height: int, frames: int) -> dict:
    """The engine's preview path on a latent of this size: x0, the projection, the JPEG."""
    request = SegmentRequest(
        engine="diffusers", shot=0, segment=0, prompt="-", negative_prompt=None, seed=0, frames=frames,
        width=width, height=height, fps=16, steps=40, output=Path("-"), start_frame=0, continue_from=None,
    )  # fmt: skip
    request = replace(request, preview=PreviewRequest(every_steps=4, max_side=256))
    previewer = LatentPreviewer(16, request)
    latent_shape = (1, 16, (frames - 1) // 4 + 1, height // 8, width // 8)
    sample = torch.randn(latent_shape, device=device)
    velocity = torch.randn(latent_shape, device=device, dtype=torch.bfloat16)
    previewer.last = (sample, velocity, torch.tensor(0.5, device=device))
    previewer.picture()  # warm-up
    started = time.perf_counter()
    for _ in range(PREVIEW_CALLS):
        picture = previewer.picture()  # ends in a device-to-host copy, so it waits for the GPU
    seconds = (time.perf_counter() - started) / PREVIEW_CALLS
    return {"secondsPerPreview": round(seconds, 5), "width": picture["width"], "height": picture["height"]}


if __name__ == "__main__":
    raise SystemExit(main())
