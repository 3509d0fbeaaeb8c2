"""Times the prompt helper model (load, prefill, decode) and measures its memory; prints JSON.

    python benchmarks/bench_prompt_helper.py --device cuda                       # Qwen2.5-3B-Instruct's shape
    python benchmarks/bench_prompt_helper.py --model qwen2.5-1.5b-instruct --device cpu --new-tokens 32
    python benchmarks/bench_prompt_helper.py --tiny                              # smoke test, any machine

The model has the architecture of the chosen Qwen2.5-Instruct (the numbers of its config.json on the
Hugging Face model card) with random bf16 weights, written to a temporary folder and loaded through
the sidecar's own HelperModels, so no weights need to be downloaded; speed and memory do not depend
on the weights' values. --prefill is the prompt length in tokens: Wan2.2's Chinese extension
instruction plus a short prompt is about 1,300 Qwen tokens. Decoding is forced to --new-tokens
(a random model would stop at any time). Without CUDA, --device cuda prints why and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import torch
from transformers import Qwen2Config, Qwen2ForCausalLM

SIDECAR_DIR = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(SIDECAR_DIR), str(SIDECAR_DIR / "tests")]

from tiny_helper_model import build_tokenizer  # noqa: E402

from wan_sidecar.prompting.helper_model import SAMPLING, HelperModels  # noqa: E402

# config.json of https://huggingface.co/Qwen/Qwen2.5-3B-Instruct and .../Qwen2.5-1.5B-Instruct
SHAPES = {  # hidden size, MLP size, layers, attention heads (two key-value heads in all)
    "qwen2.5-3b-instruct": (2048, 11008, 36, 16),
    "qwen2.5-1.5b-instruct": (1536, 8960, 28, 12),
    "tiny": (64, 128, 2, 4),
}
QWEN_VOCAB = 151936


def write_random_model(shape: str, folder: Path) -> None:
    hidden, mlp, layers, heads = SHAPES[shape]
    config = Qwen2Config(
        vocab_size=QWEN_VOCAB,
        num_key_value_heads=2,
        max_position_embeddings=32768,
        rope_theta=1_000_000.0,
        tie_word_embeddings=True,
        hidden_size=hidden,
        intermediate_size=mlp,
        num_hidden_layers=layers,
        num_attention_heads=heads,
    )
    torch.set_default_dtype(torch.bfloat16)
    try:
        Qwen2ForCausalLM(config).save_pretrained(folder)
    finally:
        torch.set_default_dtype(torch.float32)
    build_tokenizer().save_pretrained(folder)  # only loaded, never used: the ids below are random


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=[name for name in SHAPES if name != "tiny"], default="qwen2.5-3b-instruct")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cuda")
    parser.add_argument("--prefill", type=int, default=1300)
    parser.add_argument("--new-tokens", type=int, default=200)
    parser.add_argument("--tiny", action="store_true", help="a tiny model on the CPU, 64 + 8 tokens")
    args = parser.parse_args()
    shape, device = ("tiny", "cpu") if args.tiny else (args.model, args.device)
    prefill, new_tokens = (64, 8) if args.tiny else (args.prefill, args.new_tokens)
    if device == "cuda" and not torch.cuda.is_available():
        print(json.dumps({"skipped": "no CUDA device"}))
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-prompt-helper-") as temporary:
        folder = Path(temporary) / shape
        started = time.monotonic()
        write_random_model(shape, folder)
        written = time.monotonic() - started
        holder = HelperModels()
        # Loaded as the chosen model's id (the tiny one stands in for it).
        load = holder.ensure(args.model, folder, device)
        assert load is not None
        model = holder.loaded.model
        ids = torch.randint(0, QWEN_VOCAB, (1, prefill), generator=torch.Generator().manual_seed(0)).to(device)
        if device == "cuda":
            torch.cuda.reset_peak_memory_stats()

        def timed(tokens: int) -> float:
            if device == "cuda":
                torch.cuda.synchronize()
            begun = time.monotonic()
            with torch.inference_mode():
                model.generate(ids, max_new_tokens=tokens, min_new_tokens=tokens, pad_token_id=0, **SAMPLING)
            if device == "cuda":
                torch.cuda.synchronize()
            return time.monotonic() - begun

        timed(1)  # warm-up: first-call allocations and kernel selection
        first_token = timed(1)  # prefill + one token
        whole = timed(new_tokens)
        decode_per_token = (whole - first_token) / max(new_tokens - 1, 1)
        report = {
            "model": shape,
            "device": device,
            "gpu": torch.cuda.get_device_name() if device == "cuda" else None,
            "threads": torch.get_num_threads(),
            "writeSeconds": round(written, 2),
            "load": load.report(),
            "prefillTokens": prefill,
            "firstTokenSeconds": round(first_token, 3),
            "newTokens": new_tokens,
            "decodeTokensPerSecond": round(1 / decode_per_token, 2),
            "totalSeconds": round(whole, 3),
            "peakVramMiB": round(torch.cuda.max_memory_allocated() / 2**20, 1) if device == "cuda" else None,
        }
        holder.unload()
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
