"""One bad line never stops the sidecar (issue #13): every malformed line is answered with an error,
what an error echoes is bounded, and a client that goes away still gets a clean exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ALLOWED_ROOTS, NO_DIFFUSERS, SIDECAR_DIR, segment_params

LINE_LIMIT = 16 * 1024 * 1024
ECHO_LIMIT = 200


def nested(depth: int) -> bytes:
    return b'{"jsonrpc": "2.0", "id": 3, "method": "cancel", "params": {"x": ' + b"[" * depth + b"]" * depth + b"}}"


def error_of(response):
    assert "error" in response, response
    return response["error"]


def still_serving(sidecar, request_id="still-there"):
    assert sidecar.response(sidecar.send("cancel", {}, request_id=request_id)) == {
        "jsonrpc": "2.0",
        "id": request_id,
        "result": {"cancelled": False},
    }


@pytest.mark.parametrize(
    "line, code",
    [
        (b'{"jsonrpc": "2.0", "id": 1e400, "method": "cancel"}', -32700),  # no float can hold it
        (b'{"jsonrpc": "2.0", "id": -1e400, "method": "cancel"}', -32700),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "cancel", "params": {"x": 1e999}}', -32700),
        (b"[" * 100_000 + b"]" * 100_000, -32700),
        (nested(5000), -32700),
        (nested(200), -32600),
        (b'{"jsonrpc": "2.0", "id": 4, "method": "cancel", "params": {"x": "\xed\xa0\x80"}}', -32700),  # raw surrogate
    ],
)  # fmt: skip
def test_lines_that_used_to_stop_the_sidecar(sidecar, line, code):
    sidecar.send_line(line)
    response = sidecar.next_message()
    assert error_of(response)["code"] == code
    assert response["id"] == (3 if code == -32600 else None)
    still_serving(sidecar)


def test_lone_surrogates_in_method_and_id_are_answered(sidecar):
    sidecar.send_line(r'{"jsonrpc": "2.0", "id": 9, "method": "\ud800"}')
    raw = sidecar.stdout_lines  # the response must be valid UTF-8 JSON, with the surrogate escaped
    error = error_of(sidecar.response(9))
    assert error["code"] == -32601 and error["message"] == "method not found: \ud800"
    sidecar.send_line(r'{"jsonrpc": "2.0", "id": "\udc00", "method": "cancel"}')
    assert sidecar.response("\udc00")["result"] == {"cancelled": False}
    assert all(line.decode("utf-8") for line in raw)
    still_serving(sidecar)


def test_errors_echo_at_most_200_characters_of_the_input(sidecar):
    long_name = "m" * 1_000_000
    error = error_of(sidecar.call(long_name, {}))
    assert error["code"] == -32601 and len(error["message"]) < 2 * ECHO_LIMIT
    error = error_of(sidecar.call("initialize", {"ffmpegPath": "/" + "p" * 1_000_000}))
    assert error["code"] == -32602
    assert len(error["message"]) < 2 * ECHO_LIMIT
    assert all(len(message) < 2 * ECHO_LIMIT for message in error["data"]["errors"])
    error = error_of(sidecar.call("cancel", {"k" * 1_000_000: 1}))
    assert error["code"] == -32602 and len(json.dumps(error)) < 4 * ECHO_LIMIT
    assert max(len(line) for line in sidecar.stdout_lines) < 4096
    still_serving(sidecar)


def test_a_line_over_16_mib_is_refused_and_skipped(sidecar):
    request = b'{"jsonrpc": "2.0", "id": 11, "method": "cancel", "params": {"pad": "'
    sidecar.send_line(request + b"x" * LINE_LIMIT + b'"}}')
    response = sidecar.next_message(timeout=60)
    assert response["id"] is None
    assert error_of(response) == {"code": -32600, "message": "invalid request: the line is longer than 16 MiB"}
    # Just under the limit is read as usual.
    at_limit = request + b"x" * (LINE_LIMIT - len(request) - 3) + b'"}}'
    assert len(at_limit) == LINE_LIMIT
    sidecar.send_line(at_limit)
    assert error_of(sidecar.response(11, timeout=60))["code"] == -32602  # cancel takes no params
    still_serving(sidecar)


def spawn() -> subprocess.Popen:
    code = NO_DIFFUSERS + "\nfrom wan_sidecar.server import main\nraise SystemExit(main())\n"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=SIDECAR_DIR,
        env={**os.environ, "PYTHONPATH": str(SIDECAR_DIR)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def request_line(request_id: int, method: str, params: dict) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}).encode() + b"\n"


def test_exit_code_0_when_the_client_is_gone():
    process = spawn()
    assert json.loads(process.stdout.readline())["method"] == "ready"
    process.stdout.close()  # the parent died: nobody reads stdout or stderr any more
    process.stderr.close()
    process.stdin.write(request_line(1, "cancel", {}))  # its answer and logs hit broken pipes
    process.stdin.close()
    assert process.wait(30) == 0


def test_a_client_that_goes_mid_render_still_gets_the_clean_up(ffmpeg, tmp_path):
    process = spawn()
    process.stdin.write(request_line(1, "initialize", {"ffmpegPath": ffmpeg, "allowedRoots": ALLOWED_ROOTS}))
    params = segment_params(tmp_path / "a.mp4", frames=9, steps=9, options={"secondsPerStep": 0.2})
    process.stdin.write(request_line(2, "generate", params))
    process.stdin.flush()
    while json.loads(process.stdout.readline()).get("method") != "progress":
        pass
    process.stdout.close()
    process.stderr.close()
    process.stdin.close()
    assert process.wait(30) == 0
    assert list(tmp_path.iterdir()) == []  # the cancelled segment's partial file is gone
