"""Times one denoising step of a full-size Wan2.2 A14B expert and prints the result as JSON.

    python benchmarks/bench_transformer_step.py            # CUDA: 720p, 81 frames
    python benchmarks/bench_transformer_step.py --tiny     # a tiny expert, any device: smoke test

The expert is diffusers' WanTransformer3DModel with the Wan2.2 A14B configuration (dim 5120 =
40 heads x 128, 40 layers, ffn 13824, text_dim 4096, 16 latent channels in and out, patch 1x2x2)
and random bf16 weights, so no weights need to be on disk. One step is what WanPipeline does per
timestep with classifier-free guidance: two forward passes at batch 1, conditional then
unconditional, on a latent of (16, (frames-1)/4+1, height/8, width/8) and 512 text tokens.
Without CUDA (and without --tiny) it prints why it did not run and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import torch
from diffusers import WanTransformer3DModel

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
TEXT_TOKENS = 512
MIB = 1024 * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="a 2-layer expert on a small latent, on any device")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--frames", type=int, default=81, help="4n+1 video frames")
    parser.add_argument("--repeats", type=int, default=2, help="timed steps after one warm-up step")
    args = parser.parse_args()

    cuda = torch.cuda.is_available()
    if not cuda and not args.tiny:
        print(json.dumps({"ran": False, "reason": "needs a CUDA GPU (torch sees none); --tiny runs a smoke test"}))
        return 0
    device = torch.device("cuda" if cuda else "cpu")
    config = TINY_EXPERT if args.tiny else A14B_EXPERT
    width, height, frames = (64, 64, 9) if args.tiny else (args.width, args.height, args.frames)

    # Build the weights straight on the device in bf16: the fp32 default would need 2x the memory.
    torch.manual_seed(0)
    torch.set_default_dtype(torch.bfloat16)
    with torch.device(device):
        expert = WanTransformer3DModel(**config).eval().requires_grad_(False)
    torch.set_default_dtype(torch.float32)
    parameters = sum(parameter.numel() for parameter in expert.parameters())

    latent_shape = (1, config["in_channels"], (frames - 1) // 4 + 1, height // 8, width // 8)
    latents = torch.randn(latent_shape, device=device, dtype=torch.bfloat16)
    prompt = torch.randn(1, TEXT_TOKENS, config["text_dim"], device=device, dtype=torch.bfloat16)
    negative_prompt = torch.randn_like(prompt)
    timestep = torch.tensor([999], device=device)

    def step() -> None:
        for text in (prompt, negative_prompt):
            expert(hidden_states=latents, timestep=timestep, encoder_hidden_states=text, return_dict=False)

    def synchronize() -> None:
        if cuda:
            torch.cuda.synchronize(device)

    with torch.inference_mode():
        step()  # warm-up: kernel selection, allocator growth
        synchronize()
        if cuda:
            torch.cuda.reset_peak_memory_stats(device)
        started = time.perf_counter()
        for _ in range(args.repeats):
            step()
        synchronize()
        seconds_per_step = (time.perf_counter() - started) / args.repeats

    patch = config["patch_size"]
    tokens = latent_shape[2] // patch[0] * (latent_shape[3] // patch[1]) * (latent_shape[4] // patch[2])
    print(
        json.dumps(
            {
                "ran": True,
                "model": "tiny" if args.tiny else "Wan2.2 A14B expert (random weights)",
                "device": torch.cuda.get_device_name(device) if cuda else "cpu",
                "parameters": parameters,
                "dtype": "bfloat16",
                "video": {"width": width, "height": height, "frames": frames},
                "latentShape": list(latent_shape),
                "tokens": tokens,
                "guidance": "classifier-free: 2 forward passes per step at batch 1 (conditional, unconditional)",
                "secondsPerStep": round(seconds_per_step, 4),
                "peakVramAllocatedMiB": round(torch.cuda.max_memory_allocated(device) / MIB, 1) if cuda else None,
                "peakVramReservedMiB": round(torch.cuda.max_memory_reserved(device) / MIB, 1) if cuda else None,
                "torch": torch.__version__,
                "python": sys.version.split()[0],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
