"""The plan's speed levers (`plan.speed`): the attention backend and regional compilation.

attention  "sdpa"   -> diffusers' "native" backend: torch's scaled_dot_product_attention (the default)
           "flash"  -> "flash" (the flash-attn 2 package)
           "flash3" -> "_flash_3" (flash-attn 3, Hopper; built from source as flash_attn_interface)
           "sage"   -> "sage" (the sageattention package)
           Each is set with ModelMixin.set_attention_backend on both experts; none reloads weights.
compile    ModelMixin.compile_repeated_blocks(fullgraph=True) on both experts: torch.compile of each
           WanTransformerBlock (the class Wan lists in _repeated_blocks), so one block's graph is
           compiled and reused 40 times. Compilation happens lazily, in the first steps that run
           each expert, and the time it takes is measured there. Inductor's FX graph and AOTAutograd
           caches (on by default in torch 2.15) live in <modelsDir>/.cache/torchinductor unless
           TORCHINDUCTOR_CACHE_DIR is set, so a later process recompiles from the cache.
Only CUDA is offered anything but SDPA: the other kernels are CUDA-only, and on the CPU inductor
would compile C++ for a device nobody renders on.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from ..errors import InvalidParams

DEFAULT_SPEED = {"compile": False, "attention": "sdpa"}
DIFFUSERS_BACKENDS = {"sdpa": "native", "flash": "flash", "flash3": "_flash_3", "sage": "sage"}
CACHE_SUBFOLDER = Path(".cache") / "torchinductor"


def attention_support(cuda: bool) -> dict[str, str | None]:
    """backend -> None when usable here, else why not (diffusers' own requirement checks, which
    import diffusers: only asked where there is a GPU to run the kernels on)."""
    support: dict[str, str | None] = {"sdpa": None}
    for name, diffusers_name in DIFFUSERS_BACKENDS.items():
        if name == "sdpa":
            continue
        if not cuda:
            support[name] = "needs a CUDA GPU"
            continue
        from diffusers.models.attention_dispatch import AttentionBackendName, _check_attention_backend_requirements

        try:
            _check_attention_backend_requirements(AttentionBackendName(diffusers_name))
            support[name] = None
        except RuntimeError as error:
            support[name] = str(error)
    return support


def compile_support(cuda: bool) -> str | None:
    """None when regional compilation can run here, else why not."""
    if not cuda:
        return "compilation is offered on CUDA only (no CUDA GPU is visible to torch)"
    if importlib.util.find_spec("triton") is None:
        return "torch.compile needs triton on CUDA, and it is not installed"
    return None


def availability(cuda: bool) -> dict[str, Any]:
    """availability details.speedLevers."""
    support = attention_support(cuda)
    reason = compile_support(cuda)
    return {
        "attentionBackends": [name for name, problem in support.items() if problem is None],
        "attentionUnavailable": {name: problem for name, problem in support.items() if problem is not None},
        "compile": {"available": reason is None, "reason": reason},
    }


def chosen(plan: dict[str, Any]) -> dict[str, Any]:
    return DEFAULT_SPEED | plan.get("speed", {})


def check(speed: dict[str, Any], cuda: bool) -> None:
    """Refuses a lever this machine cannot pull, naming the field (-32602)."""
    backend = speed["attention"]
    problem = attention_support(cuda)[backend]
    if problem:
        raise InvalidParams.field("params.options.plan.speed.attention", f"{backend} is not available: {problem}")
    if speed["compile"]:
        problem = compile_support(cuda)
        if problem:
            raise InvalidParams.field("params.options.plan.speed.compile", f"not available: {problem}")


def set_attention(loaded, backend: str) -> None:
    """Sets the backend on every attention processor of both experts. Always once per loaded
    pipeline: a processor without one follows diffusers' process-wide active backend, which an
    earlier pipeline may have changed."""
    if loaded.attention == backend:
        return
    for expert in loaded.experts.values():
        expert.set_attention_backend(DIFFUSERS_BACKENDS[backend])
    loaded.attention = backend


def use_compile_cache(models_dir: str | Path | None) -> str | None:
    """Points inductor's on-disk caches into the models folder unless the environment already chose;
    without a models folder inductor keeps its own default (a folder in the temporary directory)."""
    if models_dir:
        os.environ.setdefault("TORCHINDUCTOR_CACHE_DIR", str(Path(models_dir).expanduser().resolve() / CACHE_SUBFOLDER))
    return os.environ.get("TORCHINDUCTOR_CACHE_DIR")


def compile_experts(loaded) -> None:
    """Wraps each expert's repeated blocks in torch.compile (once per loaded pipeline); the
    compilation itself runs at the first forward of each block, timed by CompileTimer."""
    if loaded.compiled:
        return
    for expert in loaded.experts.values():
        expert.compile_repeated_blocks(fullgraph=True)
    loaded.compiled = True


class CompileTimer:
    """Seconds torch.compile spent during one segment, from dynamo's own timer of each whole frame
    compilation ("_compile.compile_inner", which includes inductor's code generation and its cache
    lookups); recompilations (a LoRA switched on, a new size) count too."""

    KEY = "_compile.compile_inner"

    def __init__(self) -> None:
        self.started = self.total()

    @classmethod
    def total(cls) -> float:
        from torch._dynamo.utils import compilation_time_metrics

        return sum(compilation_time_metrics.get(cls.KEY, []))

    def seconds(self) -> float:
        return round(self.total() - self.started, 3)
