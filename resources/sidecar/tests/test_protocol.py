"""The JSON-RPC protocol of PROTOCOL.md, driven against the real sidecar process."""

from __future__ import annotations

import json
import sys
import time

import pytest

from conftest import ALLOWED_ROOTS, NO_DIFFUSERS, segment_params

# Makes importing the diffusers engine fail the way it does where torch is missing.
NO_TORCH = """
import sys, importlib.abc

class NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "wan_sidecar.engines.diffusers_engine":
            raise ModuleNotFoundError("No module named 'torch'", name="torch")

sys.meta_path.insert(0, NoTorch())
"""


def slow_segment(output):
    """A segment that takes 4 s, for cancelling it."""
    return segment_params(output, steps=20, options={"secondsPerStep": 0.2})


def error_of(response):
    assert "error" in response, response
    return response["error"]


def test_ready_is_the_first_line(start_sidecar):
    sidecar = start_sidecar(prelude=None)  # plain `python -m wan_sidecar`
    assert sidecar.ready == {
        "jsonrpc": "2.0",
        "method": "ready",
        "params": {"version": "0.1.0", "protocolVersion": 1, "pid": sidecar.process.pid},
    }


def test_initialize_reports_the_engines(start_sidecar, ffmpeg):
    sidecar = start_sidecar(prelude=NO_TORCH)
    result = sidecar.initialize(ffmpeg)
    assert result["version"] == "0.1.0"
    assert result["protocolVersion"] == 1
    assert result["python"] == ".".join(map(str, sys.version_info[:3]))
    synthetic, diffusers = result["engines"]
    assert synthetic == {
        "id": "synthetic", "label": "Synthetic (no model)", "available": True, "reason": None, "details": {},
    }  # fmt: skip
    assert diffusers["id"] == "diffusers"
    assert diffusers["available"] is False
    assert diffusers["reason"] == f"torch is not installed in {sys.executable}"
    assert any(n["method"] == "log" and n["params"]["level"] == "info" for n in sidecar.notifications)


def test_initialize_imports_the_real_diffusers_engine_module(start_sidecar, ffmpeg):
    sidecar = start_sidecar(prelude=None)
    diffusers = sidecar.initialize(ffmpeg)["engines"][1]
    assert diffusers["id"] == "diffusers"
    assert isinstance(diffusers["available"], bool)
    assert diffusers["available"] or diffusers["reason"]


def test_generate_with_an_unavailable_engine(sidecar, tmp_path):
    error = error_of(sidecar.call("generate", segment_params(tmp_path / "a.mp4", engine="diffusers")))
    assert error["code"] == -32003
    assert error["data"]["reason"]


@pytest.mark.parametrize("params, message", [
    ({}, "params: 'ffmpegPath' is a required property"),
    ({"ffmpegPath": "/no/such/ffmpeg"}, "params.ffmpegPath: '/no/such/ffmpeg' does not exist or is not a file"),
    ({"ffmpegPath": __file__}, f"params.ffmpegPath: {__file__!r} is not executable"),
    ({"ffmpegPath": 7}, "params.ffmpegPath: 7 is not of type 'string'"),
])  # fmt: skip
def test_initialize_rejects_bad_params(sidecar, params, message):
    error = error_of(sidecar.call("initialize", params))
    assert (error["code"], error["message"]) == (-32602, message)


def test_a_bug_in_the_server_is_an_internal_error(start_sidecar, ffmpeg):
    broken_registry = "import wan_sidecar.server\nwan_sidecar.server.load_engines = lambda *args: 1 / 0\n"
    sidecar = start_sidecar(prelude=NO_DIFFUSERS + broken_registry)
    error = error_of(sidecar.call("initialize", {"ffmpegPath": ffmpeg, "allowedRoots": ALLOWED_ROOTS}))
    assert (error["code"], error["message"]) == (-32603, "internal error: division by zero")
    assert sidecar.call("cancel", {})["result"] == {"cancelled": False}  # still serving


def test_generate_before_initialize(start_sidecar, tmp_path):
    sidecar = start_sidecar()
    error = error_of(sidecar.call("generate", segment_params(tmp_path / "a.mp4")))
    assert error["code"] == -32010
    assert "not initialized" in error["message"]


@pytest.mark.parametrize("line", [b"{not json", b'{"jsonrpc": "2.0", "id": 1, "method": "cancel"', b"\xff\xfe", b"NaN"])
def test_parse_error(sidecar, line):
    sidecar.send_line(line)
    response = sidecar.next_message()
    assert response["id"] is None
    assert error_of(response)["code"] == -32700


@pytest.mark.parametrize("message, expected_id", [
    ([{"jsonrpc": "2.0", "id": 1, "method": "cancel"}], None),  # batches are unsupported
    ([], None),
    ("cancel", None),
    (42, None),
    ({"jsonrpc": "1.0", "id": 5, "method": "cancel"}, 5),
    ({"id": 6, "method": "cancel"}, 6),
    ({"jsonrpc": "2.0", "id": {"a": 1}, "method": "cancel"}, None),
    ({"jsonrpc": "2.0", "id": True, "method": "cancel"}, None),
    ({"jsonrpc": "2.0", "id": 7, "method": 3}, 7),
    ({"jsonrpc": "2.0", "id": 8, "method": "cancel", "params": "x"}, 8),
])  # fmt: skip
def test_invalid_request(sidecar, message, expected_id):
    sidecar.send_line(json.dumps(message))
    response = sidecar.next_message()
    assert response["id"] == expected_id
    assert error_of(response)["code"] == -32600


def test_method_not_found(sidecar):
    error = error_of(sidecar.call("render_everything", {}))
    assert error["code"] == -32601
    assert "render_everything" in error["message"]


def test_string_ids_are_echoed(sidecar):
    response = sidecar.response(sidecar.send("cancel", {}, request_id="abc"))
    assert response == {"jsonrpc": "2.0", "id": "abc", "result": {"cancelled": False}}


@pytest.mark.parametrize("overrides, message", [
    ({"frames": 80}, "params.frames: 80 is not 4n+1"),
    ({"frames": 261}, "params.frames: 261 is greater than the maximum of 257"),
    ({"frames": 9.5}, "params.frames: 9.5 is not of type 'integer'"),
    ({"width": 100}, "params.width: 100 is not a multiple of 16"),
    ({"height": 48}, "params.height: 48 is less than the minimum of 64"),
    ({"shot": 65536}, "params.shot: 65536 is greater than the maximum of 65535"),
    ({"seed": -1}, "params.seed: -1 is less than the minimum of 0"),
    ({"seed": 2**32}, "params.seed: 4294967296 is greater than the maximum of 4294967295"),
    ({"fps": 0}, "params.fps: 0 is less than the minimum of 1"),
    ({"steps": 201}, "params.steps: 201 is greater than the maximum of 200"),
    ({"prompt": "   "}, "params.prompt: '   ' is empty or whitespace only"),
    ({"prompt": ""}, "params.prompt: '' is empty or whitespace only"),
    ({"prompt": "x" * 4001},  # the echo keeps 200 characters of it
     "params.prompt: '" + "x" * 149 + "...(3815 characters left out)..." + "x" * 37 + "' is too long"),
    ({"negativePrompt": 3}, "params.negativePrompt: 3 is not of type 'string', 'null'"),
    ({"engine": "magic"}, "params.engine: 'magic' is not one of ['synthetic', 'diffusers']"),
    ({"output": "relative.mp4"}, "params.output: 'relative.mp4' is not an absolute path"),
    ({"startFrame": -4}, "params.startFrame: -4 is less than the minimum of 0"),
    ({"options": {"secondsPerStep": 61}}, "params.options.secondsPerStep: 61 is greater than the maximum of 60"),
    ({"options": {"turbo": True}}, "params.options: Additional properties are not allowed ('turbo' was unexpected)"),
    ({"continueFrom": {"path": "/no/such.mp4", "frames": 1}},
     "params.continueFrom.path: '/no/such.mp4' does not exist or is not a file"),
    ({"continueFrom": {"path": __file__}}, "params.continueFrom: 'frames' is a required property"),
    ({"continueFrom": {"path": __file__, "frames": 9}}, "params.continueFrom.frames: 9 is not less than frames (9)"),
    ({"colour": "red"}, "params: Additional properties are not allowed ('colour' was unexpected)"),
])  # fmt: skip
def test_generate_rejects_bad_params(sidecar, tmp_path, overrides, message):
    error = error_of(sidecar.call("generate", segment_params(tmp_path / "a.mp4", **overrides)))
    assert (error["code"], error["message"]) == (-32602, message)
    assert message in error["data"]["errors"]
    assert error["data"]["field"] == message.split(":")[0]


def test_generate_rejects_bad_output_paths(sidecar, tmp_path):
    for output, message in [
        (tmp_path / "a.mov", f"params.output: {str(tmp_path / 'a.mov')!r} does not end in .mp4"),
        (tmp_path / "missing" / "a.mp4", f"params.output: the folder {str(tmp_path / 'missing')!r} does not exist"),
    ]:
        error = error_of(sidecar.call("generate", segment_params(output)))
        assert (error["code"], error["message"]) == (-32602, message)


def test_missing_params_are_named(sidecar, tmp_path):
    params = segment_params(tmp_path / "a.mp4")
    del params["prompt"]
    error = error_of(sidecar.call("generate", params))
    assert error["message"] == "params: 'prompt' is a required property"
    error = error_of(sidecar.call("generate", [1, 2]))
    assert error["message"] == "params: [1, 2] is not of type 'object'"


def test_notifications_get_no_response(sidecar):
    sidecar.send_line(json.dumps({"jsonrpc": "2.0", "method": "cancel"}))
    sidecar.send_line(json.dumps({"jsonrpc": "2.0", "method": "no_such_method"}))
    sidecar.send_line(json.dumps({"jsonrpc": "2.0", "method": "generate", "params": {"frames": 80}}))
    request_id = sidecar.send("cancel", {})
    response = sidecar.next_message()
    while response.get("method") == "log":
        response = sidecar.next_message()
    assert response["id"] == request_id


def test_cancel_when_idle(sidecar):
    assert sidecar.call("cancel", {})["result"] == {"cancelled": False}
    assert sidecar.call("cancel")["result"] == {"cancelled": False}  # params may be left out


def test_cancel_mid_render(sidecar, tmp_path):
    output = tmp_path / "a.mp4"
    generate_id = sidecar.send("generate", slow_segment(output))
    first_step = sidecar.wait_for_notification("progress")["params"]
    assert (first_step["requestId"], first_step["step"], first_step["steps"]) == (generate_id, 1, 20)

    asked = time.monotonic()
    cancel = sidecar.call("cancel", {})
    assert time.monotonic() - asked < 1
    assert cancel["result"] == {"cancelled": True}
    error = error_of(sidecar.response(generate_id))
    assert (error["code"], error["message"]) == (-32001, "cancelled")
    assert list(tmp_path.iterdir()) == []  # neither the output nor its .partial


def test_busy_while_generating(sidecar, tmp_path):
    first = sidecar.send("generate", slow_segment(tmp_path / "a.mp4"))
    error = error_of(sidecar.call("generate", segment_params(tmp_path / "b.mp4")))
    assert error["code"] == -32004
    assert error["data"] == {"requestId": first}
    error = error_of(sidecar.call("initialize", {"ffmpegPath": sys.executable, "allowedRoots": ALLOWED_ROOTS}))
    assert error["code"] == -32004
    assert sidecar.call("cancel", {})["result"] == {"cancelled": True}
    assert error_of(sidecar.response(first))["code"] == -32001
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("prompt, code, data", [
    ("oom", -32002, {"plan": {"precision": "fp8"}}),
    ("weights", -32005, {"missing": ["Wan2.2-T2V-A14B"]}),
    ("unavailable", -32003, {"reason": "no CUDA device"}),
])  # fmt: skip
def test_engine_errors_pass_through(sidecar, tmp_path, prompt, code, data):
    error = error_of(sidecar.call("generate", segment_params(tmp_path / "a.mp4", prompt=prompt)))
    assert error["code"] == code
    assert error["data"] == data


def test_engine_crash_keeps_the_sidecar_serving(sidecar, tmp_path):
    error = error_of(sidecar.call("generate", segment_params(tmp_path / "a.mp4", prompt="crash")))
    assert error["code"] == -32000
    assert error["message"] == "RuntimeError: boom"
    assert error["data"]["traceback"].endswith("in generate\nRuntimeError: boom")
    assert "result" in sidecar.call("generate", segment_params(tmp_path / "b.mp4"))


def test_printing_engines_do_not_pollute_stdout(sidecar, tmp_path):
    response = sidecar.call("generate", segment_params(tmp_path / "a.mp4", prompt="print"))
    assert "result" in response
    for line in sidecar.stdout_lines:
        assert json.loads(line)["jsonrpc"] == "2.0"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any("file descriptor 1" in line for line in sidecar.stderr_lines):
        time.sleep(0.05)
    stderr = "".join(sidecar.stderr_lines)
    assert "noise from print()" in stderr
    assert "noise on file descriptor 1" in stderr


def test_shutdown(start_sidecar):
    sidecar = start_sidecar()
    response = sidecar.call("shutdown", {})
    assert response == {"jsonrpc": "2.0", "id": response["id"], "result": None}
    assert sidecar.wait_exit() == 0


def test_shutdown_cancels_the_running_generate(start_sidecar, ffmpeg, tmp_path):
    sidecar = start_sidecar()
    sidecar.initialize(ffmpeg)
    generate_id = sidecar.send("generate", slow_segment(tmp_path / "a.mp4"))
    sidecar.wait_for_notification("progress")
    shutdown_id = sidecar.send("shutdown", {})
    assert error_of(sidecar.response(generate_id))["code"] == -32001
    assert sidecar.response(shutdown_id)["result"] is None
    assert sidecar.wait_exit() == 0
    assert list(tmp_path.iterdir()) == []


def test_end_of_input_exits_cleanly(start_sidecar):
    sidecar = start_sidecar()
    sidecar.close_stdin()
    assert sidecar.wait_exit() == 0


def test_end_of_input_cancels_the_running_generate(start_sidecar, ffmpeg, tmp_path):
    sidecar = start_sidecar()
    sidecar.initialize(ffmpeg)
    sidecar.send("generate", slow_segment(tmp_path / "a.mp4"))
    sidecar.wait_for_notification("progress")
    sidecar.close_stdin()
    assert sidecar.wait_exit() == 0
    assert list(tmp_path.iterdir()) == []
