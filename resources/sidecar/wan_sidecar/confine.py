"""Path confinement: `generate` writes and reads only inside the folders `initialize` named, never
through a symbolic link, and never over an existing file; `ffmpegPath` must be ffmpeg."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .errors import InvalidParams

FFMPEG_VERSION_TIMEOUT_SECONDS = 10


def check_ffmpeg(path: str) -> None:
    """Runs `path -version`: anything that does not introduce itself as ffmpeg is refused."""
    try:
        banner = subprocess.run(
            [path, "-version"], capture_output=True, timeout=FFMPEG_VERSION_TIMEOUT_SECONDS, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired) as error:
        raise InvalidParams(f"params.ffmpegPath: {path!r} could not be run ({error})") from None
    if not banner.startswith(b"ffmpeg version"):
        raise InvalidParams(f"params.ffmpegPath: {path!r} is not ffmpeg (its -version does not print 'ffmpeg version')")


def resolve_roots(roots: list[str]) -> list[str]:
    """The allowed folders with their symbolic links resolved (they need not exist yet)."""
    for root in roots:
        if not os.path.isabs(root):
            raise InvalidParams(f"params.allowedRoots: {root!r} is not an absolute path")
    return [os.path.realpath(root) for root in roots]


def _inside(path: str, roots: list[str]) -> bool:
    return any(os.path.commonpath([path, root]) == root for root in roots)


def _is_link(path: Path) -> bool:
    return os.path.islink(path)


def check_output(output: Path, roots: list[str], field: str = "params.output") -> None:
    """The output's folder must resolve inside a root; neither the output nor its partial file may
    exist as a symbolic link, and an existing output is not overwritten."""
    if not output.is_absolute():
        raise InvalidParams(f"{field}: {str(output)!r} is not an absolute path")
    if not _inside(os.path.realpath(output.parent), roots):
        raise InvalidParams(f"{field}: {str(output)!r} is outside the folders allowed by initialize")
    partial = output.with_name(output.name + ".partial")
    for path in (output, partial):
        if _is_link(path):
            raise InvalidParams(f"{field}: {str(path)!r} is a symbolic link")
    if os.path.lexists(output):
        raise InvalidParams(f"{field}: {str(output)!r} already exists; remove it to render it again")


def check_input(path: Path, roots: list[str], field: str = "params.continueFrom.path") -> None:
    """An input must be an absolute path, not a symbolic link, resolving inside a root."""
    if not path.is_absolute():
        raise InvalidParams(f"{field}: {str(path)!r} is not an absolute path")
    if _is_link(path):
        raise InvalidParams(f"{field}: {str(path)!r} is a symbolic link")
    if not _inside(os.path.realpath(path), roots):
        raise InvalidParams(f"{field}: {str(path)!r} is outside the folders allowed by initialize")
