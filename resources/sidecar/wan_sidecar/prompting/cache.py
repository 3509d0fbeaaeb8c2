"""Helper-model results kept in one JSON file, keyed by (prompt, model, task, seed): the same
request never runs the model twice. Written atomically (temporary file, then rename); a damaged
file is set aside and the cache starts empty, so a bad file costs a recomputation, never a failure."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from ..atomic_json import write_json_atomic

log = logging.getLogger(__name__)

CACHE_VERSION = 1
# Oldest entries are dropped beyond this: a long-lived studio must not grow the file without bound.
MAX_ENTRIES = 5000


def cache_key(prompt: str, model: str, task: str, seed: int | None) -> str:
    identity = json.dumps([prompt, model, task, seed], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


class PromptCache:
    def __init__(self, path: Path):
        self.path = path

    def get(self, key: str) -> dict[str, Any] | None:
        return self._read().get(key)

    def put(self, key: str, entry: dict[str, Any]) -> None:
        entries = self._read()
        entries.pop(key, None)  # re-inserted last: dict order is age order
        entries[key] = entry
        while len(entries) > MAX_ENTRIES:
            del entries[next(iter(entries))]
        self._write(entries)

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as error:  # a folder in its place, no permission: answer without the cache
            log.warning("cannot read the prompt cache %s (%s); answering without it", self.path, error)
            return {}
        try:
            document = json.loads(text)
            if document.get("version") != CACHE_VERSION or not isinstance(document.get("entries"), dict):
                raise ValueError(f"not a version {CACHE_VERSION} prompt cache")
            return document["entries"]
        except (ValueError, AttributeError) as error:
            aside = self.path.with_name(f"{self.path.name}.damaged-{int(time.time())}")
            with contextlib.suppress(OSError):
                os.replace(self.path, aside)
            log.warning("the prompt cache %s is damaged (%s); set aside as %s", self.path, error, aside.name)
            return {}

    def _write(self, entries: dict[str, dict[str, Any]]) -> None:
        write_json_atomic(self.path, {"version": CACHE_VERSION, "entries": entries})
