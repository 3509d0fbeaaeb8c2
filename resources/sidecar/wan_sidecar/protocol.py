"""JSON-RPC 2.0 framing and the parameter schemas of protocol v1 (PROTOCOL.md)."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .errors import InvalidParams

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INTERNAL_ERROR = -32603

RequestId = str | int | float | None

# A line longer than this is skipped unread and answered with -32600: it bounds what one line can
# make the sidecar hold (a generate request is a few kB; the plan rides along untouched).
MAX_LINE_BYTES = 16 * 1024 * 1024
LINE_TOO_LONG = "invalid request: the line is longer than 16 MiB"
SKIP_CHUNK_BYTES = 1024 * 1024
# Deeper messages are refused: echoing them back (a plan in a result) could exhaust the stack.
MAX_DEPTH = 64
# At most this much of the client's input is echoed in an error message.
ECHO_CHARS = 200


class RpcError(Exception):
    """A protocol-level failure (the engine-level ones are the EngineError classes)."""

    def __init__(self, code: int, message: str, request_id: RequestId = None):
        super().__init__(message)
        self.code = code
        self.data: dict[str, Any] = {}
        self.request_id = request_id


@dataclass(frozen=True)
class Request:
    id: RequestId
    method: str
    params: Any  # an object or array as sent; {} when absent
    is_notification: bool  # no "id" member: the client wants no response


def read_lines(stream: IO[bytes]) -> Iterator[bytes | None]:
    """The stream's lines; None for a line longer than MAX_LINE_BYTES, whose rest is read and dropped
    in chunks, never held whole."""
    while line := stream.readline(MAX_LINE_BYTES + 1):
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield line
            continue
        while (rest := stream.readline(SKIP_CHUNK_BYTES)) and not rest.endswith(b"\n"):
            pass
        yield None


def parse_request(line: bytes) -> Request:
    try:
        message = json.loads(line.decode("utf-8"), parse_constant=_reject_constant, parse_float=_finite_float)
    except ValueError as error:  # also UnicodeDecodeError and json.JSONDecodeError
        raise RpcError(PARSE_ERROR, f"parse error: {clip(str(error))}") from None
    except RecursionError:
        raise RpcError(PARSE_ERROR, "parse error: nested too deeply") from None
    if isinstance(message, list):
        raise RpcError(INVALID_REQUEST, "invalid request: batches are not supported")
    if not isinstance(message, dict):
        raise RpcError(INVALID_REQUEST, "invalid request: a request must be a JSON object")
    request_id = message.get("id")
    # bool is an int in Python but not a number in JSON-RPC.
    if isinstance(request_id, bool) or not isinstance(request_id, (str, int, float, type(None))):
        raise RpcError(INVALID_REQUEST, "invalid request: id must be a string, a number or null")
    if message.get("jsonrpc") != "2.0":
        raise RpcError(INVALID_REQUEST, 'invalid request: jsonrpc must be "2.0"', request_id)
    if not isinstance(message.get("method"), str):
        raise RpcError(INVALID_REQUEST, "invalid request: method must be a string", request_id)
    params = message.get("params", {})
    if not isinstance(params, (dict, list)):
        raise RpcError(INVALID_REQUEST, "invalid request: params must be an object or an array", request_id)
    if _nested_deeper_than(message, MAX_DEPTH):
        raise RpcError(INVALID_REQUEST, f"invalid request: nested deeper than {MAX_DEPTH} levels", request_id)
    return Request(request_id, message["method"], params, is_notification="id" not in message)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400: no double holds it, and it could not be sent back
        raise ValueError(f"{clip(text)} is out of range")
    return value


def _nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether objects and arrays nest more than `limit` levels deep in `value` (level 1)."""
    level = [value]
    for _ in range(limit):
        level = [
            child
            for item in level
            if isinstance(item, (dict, list))
            for child in (item.values() if isinstance(item, dict) else item)
        ]
    return any(isinstance(item, (dict, list)) for item in level)


def clip(text: str, limit: int = ECHO_CHARS) -> str:
    """`text` cut to `limit` characters, its head and its tail (where messages say what is wrong)."""
    if len(text) <= limit:
        return text
    tail = limit // 4
    return f"{text[: limit - tail]}...({len(text) - limit} characters left out)...{text[-tail:]}"


def encode_message(message: dict[str, Any]) -> bytes:
    text = json.dumps(message, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a lone surrogate (an id or method sent as "\ud800"): escape it
        return json.dumps(message, allow_nan=False, separators=(",", ":")).encode("ascii") + b"\n"


# Keywords beyond JSON Schema, for the checks the protocol needs that plain JSON Schema cannot
# express; each yields errors in the same style as the built-in keywords.


def _remainder(validator, divisor_and_remainder, instance, schema):
    divisor, remainder = divisor_and_remainder
    if validator.is_type(instance, "integer") and instance % divisor != remainder:
        yield ValidationError(f"{instance} is not {divisor}n+{remainder}")


def _not_blank(validator, enabled, instance, schema):
    if enabled and validator.is_type(instance, "string") and not instance.strip():
        yield ValidationError(f"{instance!r} is empty or whitespace only")


def _file(validator, kind, instance, schema):
    if not validator.is_type(instance, "string"):
        return
    path = Path(instance)
    if kind == "executable":
        if not _is_file(path):
            yield ValidationError(f"{instance!r} does not exist or is not a file")
        elif not os.access(path, os.X_OK):
            yield ValidationError(f"{instance!r} is not executable")
    elif kind == "existing":
        # Absolute first: whether a relative path exists depends on the sidecar's working folder.
        if not path.is_absolute():
            yield ValidationError(f"{instance!r} is not an absolute path")
        elif not _is_file(path):
            yield ValidationError(f"{instance!r} does not exist or is not a file")
    elif kind == "new-mp4":
        if not path.is_absolute():
            yield ValidationError(f"{instance!r} is not an absolute path")
        elif path.suffix != ".mp4":
            yield ValidationError(f"{instance!r} does not end in .mp4")
        elif not _is_dir(path.parent):
            yield ValidationError(f"the folder {str(path.parent)!r} does not exist")


# is_file() and is_dir() raise for some paths (a name too long for the file system, say).


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _head_fits(validator, enabled, instance, schema):
    """continueFrom.frames must leave at least one new frame to render."""
    if not (enabled and validator.is_type(instance, "object")):
        return
    continue_from, frames = instance.get("continueFrom"), instance.get("frames")
    if isinstance(continue_from, dict) and validator.is_type(frames, "integer"):
        head = continue_from.get("frames")
        if validator.is_type(head, "integer") and head >= frames:
            yield ValidationError(f"{head} is not less than frames ({frames})", path=["continueFrom", "frames"])


ProtocolValidator = jsonschema.validators.extend(
    Draft202012Validator,
    {"remainder": _remainder, "notBlank": _not_blank, "file": _file, "headFits": _head_fits},
)


def validate(schema: dict[str, Any], instance: Any, where: str = "params") -> None:
    """Raises InvalidParams whose message starts with the offending field's path,
    e.g. `params.frames: 80 is not 4n+1`; data.errors lists every problem found."""
    errors = list(ProtocolValidator(schema).iter_errors(instance))
    if errors:
        first = errors[0]  # in schema order, so the same mistake always gets the same message
        raise InvalidParams(
            _describe(first, where),
            {"field": _field_path(first, where), "errors": [_describe(error, where) for error in errors]},
        )


def _field_path(error: ValidationError, where: str) -> str:
    return clip(where + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path))


def _describe(error: ValidationError, where: str) -> str:
    return f"{_field_path(error, where)}: {clip(error.message)}"


INITIALIZE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "ffmpegPath": {"type": "string", "file": "executable"},
        "modelsDir": {"type": ["string", "null"]},
        # Per model, a diffusers folder (e.g. a Hugging Face cache snapshot) used before <modelsDir>/<repo>.
        "modelDirs": {
            "type": "object",
            "propertyNames": {"enum": ["t2v-a14b", "i2v-a14b", "ti2v-5b"]},
            "additionalProperties": {"type": "string", "minLength": 1},
        },
        # Per model, ComfyUI single files by component (weights.SINGLE_FILE_COMPONENTS), loaded with
        # the shipped configs; a model also in modelDirs loads from its folder.
        "modelFiles": {
            "type": "object",
            "propertyNames": {"enum": ["t2v-a14b"]},
            "additionalProperties": {
                "type": "object",
                "propertyNames": {"enum": ["transformer", "transformer_2", "text_encoder", "vae"]},
                "additionalProperties": {"type": "string", "minLength": 1},
            },
        },
        "allowedRoots": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1, "maxItems": 1000},
    },
    "required": ["ffmpegPath", "allowedRoots"],
    "additionalProperties": False,
}

UINT16 = {"type": "integer", "minimum": 0, "maximum": 65535}
SIZE = {"type": "integer", "minimum": 64, "maximum": 1920, "multipleOf": 16}

GENERATE_REQUIRED = [
    "engine", "shot", "segment", "prompt", "seed", "frames",
    "width", "height", "fps", "steps", "output", "startFrame",
]  # fmt: skip

GENERATE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "engine": {"enum": ["synthetic", "diffusers"]},
        "shot": UINT16,
        "segment": UINT16,
        "prompt": {"type": "string", "notBlank": True, "maxLength": 4000},
        "negativePrompt": {"type": ["string", "null"]},
        "seed": {"type": "integer", "minimum": 0, "maximum": 4294967295},
        "frames": {"type": "integer", "minimum": 1, "maximum": 257, "remainder": [4, 1]},
        "width": SIZE,
        "height": SIZE,
        "fps": {"type": "integer", "minimum": 1, "maximum": 60},
        "steps": {"type": "integer", "minimum": 1, "maximum": 200},
        "output": {"type": "string", "file": "new-mp4"},
        "startFrame": {"type": "integer", "minimum": 0},
        "continueFrom": {
            "type": ["object", "null"],
            "properties": {
                "path": {"type": "string", "file": "existing"},
                "frames": {"type": "integer", "minimum": 1},
            },
            "required": ["path", "frames"],
            "additionalProperties": False,
        },
        "options": {"type": "object"},  # checked again against the engine's options_schema
        "preview": {
            "type": ["object", "null"],
            "properties": {
                "everySteps": {"type": "integer", "minimum": 1, "maximum": 200},
                "maxSide": {"type": "integer", "minimum": 64, "maximum": 512},
            },
            "required": ["everySteps", "maxSide"],
            "additionalProperties": False,
        },
    },
    "required": GENERATE_REQUIRED,
    "additionalProperties": False,
    "headFits": True,
}

NO_PARAMS_SCHEMA: dict[str, Any] = {"type": "object", "additionalProperties": False}
