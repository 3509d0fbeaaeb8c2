"""The `prompt.*` JSON-RPC methods (PROMPTING.md). Their params are checked when the request
arrives; the work runs on one prompting thread, in arrival order, and answers when done, so the
request loop keeps answering `cancel` while a model loads or writes."""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Busy, EngineError, InvalidParams, NotInitialized, unexpected
from ..protocol import NO_PARAMS_SCHEMA, Request, validate
from .cache import PromptCache, cache_key
from .catalog import DEFAULT_HELPER_MODEL, HELPER_MODELS, describe_helper_models, require_helper_model
from .helper_model import HelperModels
from .instructions import instruction_for

log = logging.getLogger(__name__)

DEFAULT_MAX_NEW_TOKENS = 512  # as Wan2.2's QwenPromptExpander.extend


@dataclass(frozen=True)
class PromptingHost:
    """What the prompt methods need from the server."""

    send: Callable[[dict[str, Any]], None]  # writes one protocol message
    respond_error: Callable[[Any, EngineError], None]  # writes the error response to a request id
    answered_later: object  # the handler result meaning "the response comes later"
    allowed_roots: Callable[[], list[str]]  # set by initialize; the cache file must be inside one
    generate_running: Callable[[], bool]  # a video model holds the GPU


MODEL_PARAMS: dict[str, Any] = {
    "modelsDir": {"type": "string", "minLength": 1},
    "cacheFile": {"type": "string", "minLength": 1},
    "model": {"enum": list(HELPER_MODELS)},
    "device": {"enum": ["cpu", "cuda"]},
    "maxNewTokens": {"type": "integer", "minimum": 1, "maximum": 2048},
}
PROMPT = {"type": "string", "notBlank": True, "maxLength": 4000}

TRANSLATE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"prompt": PROMPT, **MODEL_PARAMS},
    "required": ["prompt", "modelsDir", "cacheFile"],
    "additionalProperties": False,
}
EXTEND_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "prompt": PROMPT,
        "seed": {"type": "integer", "minimum": 0, "maximum": 4294967295},
        "language": {"enum": ["zh", "en"]},
        **MODEL_PARAMS,
    },
    "required": ["prompt", "seed", "modelsDir", "cacheFile"],
    "additionalProperties": False,
}
MODELS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"modelsDir": MODEL_PARAMS["modelsDir"]},
    "required": ["modelsDir"],
    "additionalProperties": False,
}


def absolute_folder(value: str, field: str) -> Path:
    if not os.path.isabs(value):
        raise InvalidParams(f"{field}: {value!r} is not an absolute path")
    return Path(value)


def check_cache_file(value: str, roots: list[str]) -> Path:
    """An absolute .json path, not a symbolic link, in an existing folder inside the allowed roots."""
    field = "params.cacheFile"
    path = Path(value)
    if not path.is_absolute():
        raise InvalidParams(f"{field}: {value!r} is not an absolute path")
    if path.suffix != ".json":
        raise InvalidParams(f"{field}: {value!r} does not end in .json")
    if not path.parent.is_dir():
        raise InvalidParams(f"{field}: the folder {str(path.parent)!r} does not exist")
    if os.path.islink(path):
        raise InvalidParams(f"{field}: {value!r} is a symbolic link")
    folder = os.path.realpath(path.parent)
    if not any(os.path.commonpath([folder, root]) == root for root in roots):
        raise InvalidParams(f"{field}: {value!r} is outside the folders allowed by initialize")
    return path


@dataclass(frozen=True)
class PromptTask:
    """One checked translate or extend request."""

    prompt: str
    task: str  # "translate" or "extend"
    language: str  # of the answer
    seed: int | None  # None: greedy decoding
    model: str
    models_dir: Path
    cache: PromptCache
    device: str
    max_new_tokens: int


class Prompting:
    def __init__(self, host: PromptingHost):
        self.host = host
        self.models = HelperModels()
        self.work: queue.SimpleQueue[tuple[Request, Callable[[], Any]]] = queue.SimpleQueue()
        threading.Thread(target=self.run, name="prompting", daemon=True).start()

    def handlers(self) -> dict[str, Callable[[Request], Any]]:
        return {
            "prompt.translate": self.translate,
            "prompt.extend": self.extend,
            "prompt.unload": self.unload,
            "prompt.status": self.status,
            "prompt.models": self.list_models,
        }

    # Handlers: check, then queue

    def translate(self, request: Request) -> object:
        validate(TRANSLATE_SCHEMA, request.params)
        return self.queue_task(request, "translate", "zh", None)

    def extend(self, request: Request) -> object:
        validate(EXTEND_SCHEMA, request.params)
        return self.queue_task(request, "extend", request.params.get("language", "zh"), int(request.params["seed"]))

    def unload(self, request: Request) -> object:
        validate(NO_PARAMS_SCHEMA, request.params)
        return self.later(request, lambda: {"unloaded": self.models.unload()})

    def status(self, request: Request) -> object:
        validate(NO_PARAMS_SCHEMA, request.params)
        return self.later(request, lambda: {"loaded": self.models.status()})

    def list_models(self, request: Request) -> dict[str, Any]:
        validate(MODELS_SCHEMA, request.params)
        models_dir = absolute_folder(request.params["modelsDir"], "params.modelsDir")
        return {"default": DEFAULT_HELPER_MODEL, "models": describe_helper_models(models_dir)}

    def queue_task(self, request: Request, task: str, language: str, seed: int | None) -> object:
        params = request.params
        roots = self.host.allowed_roots()
        if not roots:
            raise NotInitialized(f"not initialized: call initialize before {request.method}")
        models_dir = absolute_folder(params["modelsDir"], "params.modelsDir")
        cache = PromptCache(check_cache_file(params["cacheFile"], roots))
        device = params.get("device", "cpu")
        if device == "cuda" and self.host.generate_running():
            raise Busy("busy: a generate holds the GPU; run the helper model before it, or on the CPU")
        model = params.get("model", DEFAULT_HELPER_MODEL)
        max_new_tokens = int(params.get("maxNewTokens", DEFAULT_MAX_NEW_TOKENS))
        job = PromptTask(params["prompt"], task, language, seed, model, models_dir, cache, device, max_new_tokens)
        return self.later(request, lambda: self.run_task(job))

    def later(self, request: Request, work: Callable[[], Any]) -> object:
        self.work.put((request, work))
        return self.host.answered_later

    # The prompting thread

    def run(self) -> None:
        while True:
            request, work = self.work.get()
            try:
                result: Any = work()
            except EngineError as error:
                result = error
            except Exception as error:
                log.exception("%s failed", request.method)
                result = unexpected(error)
            if request.is_notification:
                continue
            if isinstance(result, EngineError):
                self.host.respond_error(request.id, result)
            else:
                self.host.send({"jsonrpc": "2.0", "id": request.id, "result": result})

    def run_task(self, job: PromptTask) -> dict[str, Any]:
        started = time.monotonic()
        system_prompt, source = instruction_for(job.task, job.language)
        # The instruction and the token budget are part of the task's key: change either, get a new result.
        task_key = f"{job.task}-{job.language}:{source}:{job.max_new_tokens}"
        key = cache_key(job.prompt, job.model, task_key, job.seed)
        answer = {"task": job.task, "language": job.language, "model": job.model, "seed": job.seed}
        answer["systemPrompt"] = source
        if hit := job.cache.get(key):
            return {**answer, "text": hit["text"], "cached": True, "load": None, "elapsedSeconds": 0.0}
        folder = require_helper_model(job.models_dir, job.model)
        load = self.models.ensure(job.model, folder, job.device)
        text = self.models.generate(system_prompt, job.prompt, job.seed, job.max_new_tokens)
        if not text:
            raise EngineError(f"the helper model {job.model} answered with an empty text; try another seed")
        try:
            job.cache.put(key, {**answer, "prompt": job.prompt, "text": text})
        except OSError as error:  # the answer is still good; it is only not remembered
            log.warning("could not write the prompt cache %s (%s); the answer is not cached", job.cache.path, error)
        return {
            **answer,
            "text": text,
            "cached": False,
            "load": load.report() if load else None,
            "elapsedSeconds": round(time.monotonic() - started, 3),
        }


def register_prompting(handlers: dict[str, Callable[[Request], Any]], host: PromptingHost) -> Prompting:
    """Adds the prompt.* methods to the server's method table."""
    prompting = Prompting(host)
    handlers.update(prompting.handlers())
    return prompting
