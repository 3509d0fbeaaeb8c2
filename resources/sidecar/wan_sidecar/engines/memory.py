"""Memory for the diffusers engine: what counts as running out of it, handing cached blocks back,
and `memoryLimitMiB`, the per-call budget tests and diagnosis use."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from pathlib import Path

from ..errors import InvalidParams

MIB = 1024 * 1024


def is_out_of_memory(error: BaseException) -> bool:
    import torch

    # The CPU allocator reports exhaustion as a plain RuntimeError from c10, and CUDA libraries
    # (cuBLAS, cuDNN) report theirs as RuntimeErrors with their own wording.
    message = str(error)
    return isinstance(error, (torch.OutOfMemoryError, MemoryError)) or any(
        sign in message
        for sign in (
            "can't allocate memory",
            "CUDA error: out of memory",
            "CUBLAS_STATUS_ALLOC_FAILED",
            "CUDNN_STATUS_ALLOC_FAILED",
        )
    )


def release_cached_memory() -> None:
    import torch

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


class MemoryBudget:
    """`memoryLimitMiB`: the memory this call may take beyond what the process holds when it starts.

    CUDA: torch's caching allocator is capped at a per-process fraction of the GPU, so going past
    the budget is a real torch.OutOfMemoryError from the allocator. CPU (Linux): torch has no CPU
    allocator limit, and capping the process with setrlimit also starves thread creation (libgomp
    aborts the whole process), so the budget is measured instead: the peak resident set (VmHWM,
    reset when the call starts) is checked after every step and after decoding, and going past it
    raises MemoryError, handled exactly like an allocator failure. The overrun is reported in the
    phase it is measured in: whatever loading and encoding took counts at the first step's check,
    so on the CPU it reads "denoise" (a real allocator failure says where it happened).
    """

    def __init__(self, device, limit_mib: float | None):
        self.device = device
        self.budget = None if limit_mib is None else int(limit_mib * MIB)

    def __enter__(self) -> MemoryBudget:
        if self.budget is None:
            return self
        import torch

        if self.device.type == "cuda":
            total = torch.cuda.get_device_properties(self.device).total_memory
            held = torch.cuda.memory_reserved(self.device)
            torch.cuda.set_per_process_memory_fraction(min(1.0, (held + self.budget) / total), self.device)
            return self
        # Memory that earlier calls freed but the process still holds would serve this call without
        # growing the resident set, or leave it later and hide this call's growth: how much, and
        # when, depends on which thread freed what. Hand it all back first, so what this call
        # takes is what it touches.
        gc.collect()
        trim_heap()
        try:
            Path("/proc/self/clear_refs").write_text("5")  # restarts VmHWM from the current RSS
            self.baseline = proc_status_bytes("VmRSS")
        except OSError:
            raise InvalidParams.field("params.options.memoryLimitMiB", "on the CPU it works on Linux only") from None
        return self

    def check(self) -> None:
        if self.budget is None or self.device.type == "cuda":
            return
        taken = proc_status_bytes("VmHWM") - self.baseline
        if taken > self.budget:
            raise MemoryError(f"took {taken / MIB:.0f} MiB of RAM, over the {self.budget / MIB:.0f} MiB memoryLimitMiB")

    def __exit__(self, *exc_info) -> None:
        if self.budget is not None and self.device.type == "cuda":
            import torch

            torch.cuda.set_per_process_memory_fraction(1.0, self.device)


def trim_heap() -> None:
    """Returns the C heap's free memory to the system (glibc's malloc_trim; elsewhere a no-op)."""
    libc = ctypes.util.find_library("c")
    malloc_trim = getattr(ctypes.CDLL(libc), "malloc_trim", None) if libc else None
    if malloc_trim is not None:
        malloc_trim(0)


def proc_status_bytes(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise OSError(f"/proc/self/status has no {field}")
