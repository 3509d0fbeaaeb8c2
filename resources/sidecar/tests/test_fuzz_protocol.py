"""Property-based fuzzing of the sidecar's input: batches of random and mutated lines go to ONE
long-running sidecar; after every batch a plain `cancel` must still be answered with its own id,
and every line the sidecar wrote must be a bounded JSON-RPC message."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NO_DIFFUSERS, SidecarProcess

# 1000 batches of 1 to 12 lines, about 6,500 lines: some 12 s on 2 cores, well under 30 s busy.
FUZZ = settings(
    max_examples=1000,
    derandomize=True,  # the same lines on every run, so CI cannot flake on a new example
    database=None,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MAX_OUTPUT_LINE = 16 * 1024  # errors echo little of the input, so no answer is ever long

VALID = [
    {"jsonrpc": "2.0", "id": 1, "method": "cancel", "params": {}},
    {"jsonrpc": "2.0", "id": "x", "method": "initialize", "params": {"ffmpegPath": "/no/ffmpeg", "modelsDir": None}},
    {"jsonrpc": "2.0", "id": 2, "method": "generate", "params": {"engine": "synthetic", "frames": 9, "seed": 1}},
    {"jsonrpc": "2.0", "method": "cancel"},
]

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
)


@st.composite
def mutated_request(draw) -> bytes:
    """A valid request with one part swapped for a wrong type, a huge number or a surrogate."""
    message = dict(draw(st.sampled_from(VALID)))
    key = draw(st.sampled_from(["id", "method", "params", "jsonrpc", "extra"]))
    message[key] = draw(
        json_values | st.sampled_from(["\ud800", "\udfff", "a\udc00b", 10**400, -(10**30), 1.7976931348623157e308])
    )
    return json.dumps(message).encode()


@st.composite
def raw_tokens(draw) -> bytes:
    """Numbers and escapes Python's encoder never writes: overflowing floats, NaN, lone surrogates."""
    token = draw(st.sampled_from(["1e400", "-1e999", "NaN", "Infinity", '"\\ud800"', '"\\udc00x"', "1" * 5000]))
    slot = draw(st.sampled_from(["id", "method", "params"]))
    value = token if slot != "params" else '{"a": ' + token + "}"
    return f'{{"jsonrpc": "2.0", "{slot}": {value}, "method": "cancel"}}'.encode()


def truncated(line: bytes) -> st.SearchStrategy[bytes]:
    return st.integers(0, len(line)).map(lambda end: line[:end])


def deep(depth: int, opener: bytes, closer: bytes) -> bytes:
    return opener * depth + closer * depth


lines = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from(VALID).map(lambda message: json.dumps(message).encode()).flatmap(truncated),
    mutated_request(),
    raw_tokens(),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.integers(1, 200_000).map(lambda depth: deep(depth, b"[", b"]")),
    st.integers(1, 5_000).map(lambda depth: b'{"jsonrpc": "2.0", "id": 1, "params": ' + deep(depth, b'{"a":', b"}")),
).map(lambda line: line.replace(b"\n", b" "))  # one message per line; a newline would split it


def is_shutdown(line: bytes) -> bool:
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(message, dict) and message.get("method") == "shutdown"


@pytest.fixture(scope="module")
def fuzzed():
    sidecar = SidecarProcess(NO_DIFFUSERS)
    yield sidecar
    sidecar.stop()


@FUZZ
@given(batch=st.lists(lines, min_size=1, max_size=12))
def test_one_sidecar_survives_any_lines(fuzzed, batch):
    written = len(fuzzed.stdout_lines)
    for line in batch:
        if not is_shutdown(line):
            fuzzed.send_line(line)
    sentinel = f"sentinel-{written}"
    assert fuzzed.response(fuzzed.send("cancel", {}, request_id=sentinel))["result"] == {"cancelled": False}
    for raw in fuzzed.stdout_lines[written:]:
        assert len(raw) < MAX_OUTPUT_LINE, raw[:300]
        message = json.loads(raw)
        assert message["jsonrpc"] == "2.0"
        assert "method" in message or ("result" in message) != ("error" in message)
    assert fuzzed.process.poll() is None
