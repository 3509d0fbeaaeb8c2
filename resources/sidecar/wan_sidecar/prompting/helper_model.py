"""One small instruct model held in memory at a time: loaded from its folder only (never the
network), asked one system + user message, unloaded on request. torch and transformers are imported
here, when a model is first needed, so a sidecar that never touches prompts never pays for them."""

from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engines.memory import MIB, proc_status_bytes
from ..errors import EngineUnavailable, WeightsMissing
from .catalog import HELPER_MODELS, download_command

log = logging.getLogger(__name__)

# Sampling as Qwen2.5-Instruct's generation_config.json ships it, so a seeded extension reads like the
# model card's own; translation decodes greedily (one best answer, no seed needed).
SAMPLING = {"do_sample": True, "temperature": 0.7, "top_p": 0.8, "top_k": 20, "repetition_penalty": 1.05}


@dataclass
class LoadedModel:
    id: str
    folder: Path
    device: str
    model: Any
    tokenizer: Any
    load_seconds: float
    ram_mib: float | None  # resident memory the load added to the process
    vram_mib: float | None  # CUDA memory the weights hold; None on the CPU
    weights_mib: float  # parameters x their size, wherever they are

    def report(self) -> dict[str, Any]:
        return {
            "model": self.id,
            "device": self.device,
            "loadSeconds": round(self.load_seconds, 3),
            "ramMiB": self.ram_mib,
            "vramMiB": self.vram_mib,
            "weightsMiB": round(self.weights_mib, 1),
        }


def resident_mib() -> float | None:
    """The process's resident memory now (Linux); None elsewhere."""
    try:
        return round(proc_status_bytes("VmRSS") / MIB, 1)
    except OSError:
        return None


class HelperModels:
    def __init__(self) -> None:
        self.loaded: LoadedModel | None = None

    def ensure(self, model_id: str, folder: Path, device: str) -> LoadedModel | None:
        """Loads the model on `device` unless it is already there; returns what a load measured, or None."""
        if self.loaded and self.loaded.id == model_id and self.loaded.folder == folder and self.loaded.device == device:
            return None
        self.unload()
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        if device == "cuda" and not torch.cuda.is_available():
            reason = "no CUDA device"
            raise EngineUnavailable(f"{reason}: load the helper model with device 'cpu'", {"reason": reason})
        ram_before = resident_mib()
        vram_before = torch.cuda.memory_allocated() if device == "cuda" else 0
        started = time.monotonic()
        try:
            tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
            model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True, dtype=torch.bfloat16)
        except (OSError, ValueError, KeyError) as error:
            spec = HELPER_MODELS[model_id]
            command = download_command(spec, folder.parent)
            raise WeightsMissing(
                f"the helper model in {folder} could not be loaded ({type(error).__name__}: {error}); "
                f"download it again with: {command}",
                {"model": model_id, "modelDir": str(folder), "missing": [], "howToGet": command},
            ) from None
        model = model.to(device).eval()
        ram_after = resident_mib()
        self.loaded = LoadedModel(
            id=model_id,
            folder=folder,
            device=device,
            model=model,
            tokenizer=tokenizer,
            load_seconds=time.monotonic() - started,
            ram_mib=round(ram_after - ram_before, 1) if ram_after is not None and ram_before is not None else None,
            vram_mib=round((torch.cuda.memory_allocated() - vram_before) / 2**20, 1) if device == "cuda" else None,
            weights_mib=sum(p.numel() * p.element_size() for p in model.parameters()) / 2**20,
        )
        log.info("helper model %s loaded on %s in %.1f s", model_id, device, self.loaded.load_seconds)
        return self.loaded

    def generate(self, system: str, user: str, seed: int | None, max_new_tokens: int) -> str:
        """The model's answer to one system + user message; sampled from `seed`, or greedy without one."""
        import torch
        from transformers import GenerationConfig

        loaded = self.loaded
        assert loaded is not None, "ensure() a model first"
        tokenizer, model = loaded.tokenizer, loaded.model
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        inputs = tokenizer([text], return_tensors="pt").to(loaded.device)
        eos = model.generation_config.eos_token_id or tokenizer.eos_token_id
        sampling = SAMPLING if seed is not None else {"do_sample": False}
        config = GenerationConfig(
            max_new_tokens=max_new_tokens,
            eos_token_id=eos,
            pad_token_id=tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos,
            **sampling,
        )
        # A private random stream: the same seed gives the same text whatever ran before.
        with torch.random.fork_rng(devices=[torch.cuda.current_device()] if loaded.device == "cuda" else []):
            torch.manual_seed(seed if seed is not None else 0)
            with torch.inference_mode():
                output = model.generate(**inputs, generation_config=config)
        new_tokens = output[0, inputs["input_ids"].shape[1] :]
        return tokenizer.decode(new_tokens, skip_special_tokens=True).strip()

    def unload(self) -> dict[str, Any] | None:
        """Drops the model and gives its memory back; returns what was loaded, or None."""
        loaded, self.loaded = self.loaded, None
        if loaded is None:
            return None
        report = loaded.report()
        del loaded
        gc.collect()
        if report["device"] == "cuda":
            import torch

            torch.cuda.empty_cache()
        log.info("helper model %s unloaded", report["model"])
        return report

    def status(self) -> dict[str, Any] | None:
        return self.loaded.report() if self.loaded else None
