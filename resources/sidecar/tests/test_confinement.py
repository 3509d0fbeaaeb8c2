"""Path confinement: generate writes and reads only inside initialize's allowedRoots, refuses
relative paths, symbolic links at the output or its partial file and existing outputs (-32602),
and initialize accepts only a real ffmpeg."""

from __future__ import annotations

import stat

import pytest

from conftest import segment_params


def error_of(response):
    assert "error" in response, response
    return response["error"]


@pytest.fixture
def confined(start_sidecar, ffmpeg, tmp_path):
    """A sidecar allowed to use tmp_path/renders only."""
    renders = tmp_path / "renders"
    renders.mkdir()
    sidecar = start_sidecar()
    sidecar.initialize(ffmpeg, [str(renders)])
    return sidecar, renders


def test_renders_inside_its_roots(confined):
    sidecar, renders = confined
    response = sidecar.call("generate", segment_params(renders / "a.mp4"))
    assert response["result"]["output"] == str(renders / "a.mp4")
    follow = segment_params(renders / "b.mp4", startFrame=4, continueFrom={"path": str(renders / "a.mp4"), "frames": 5})
    assert "result" in sidecar.call("generate", follow)


def test_an_output_outside_the_roots_is_refused(confined, tmp_path):
    sidecar, renders = confined
    for output in [tmp_path / "elsewhere.mp4", renders / ".." / "escape.mp4"]:
        error = error_of(sidecar.call("generate", segment_params(output)))
        assert error["code"] == -32602
        assert "is outside the folders allowed by initialize" in error["message"], error
    assert not (tmp_path / "elsewhere.mp4").exists() and not (tmp_path / "escape.mp4").exists()


def test_a_folder_linked_out_of_the_roots_is_refused(confined, tmp_path):
    sidecar, renders = confined
    outside = tmp_path / "outside"
    outside.mkdir()
    (renders / "linked").symlink_to(outside)
    error = error_of(sidecar.call("generate", segment_params(renders / "linked" / "a.mp4")))
    assert (error["code"], "outside the folders" in error["message"]) == (-32602, True)
    assert list(outside.iterdir()) == []


def test_symbolic_links_at_the_output_or_its_partial_are_refused(confined, tmp_path):
    sidecar, renders = confined
    victim = tmp_path / "victim.txt"
    victim.write_text("not to be touched")
    (renders / "a.mp4.partial").symlink_to(victim)
    (renders / "b.mp4").symlink_to(victim)
    for output in ["a.mp4", "b.mp4"]:
        error = error_of(sidecar.call("generate", segment_params(renders / output)))
        assert (error["code"], "is a symbolic link" in error["message"]) == (-32602, True), error
    assert victim.read_text() == "not to be touched"


def test_an_existing_output_is_not_overwritten(confined):
    sidecar, renders = confined
    (renders / "a.mp4").write_bytes(b"an earlier segment")
    error = error_of(sidecar.call("generate", segment_params(renders / "a.mp4")))
    assert error == {
        "code": -32602,
        "message": f"params.output: {str(renders / 'a.mp4')!r} already exists; remove it to render it again",
    }
    assert (renders / "a.mp4").read_bytes() == b"an earlier segment"


def test_a_stale_partial_file_is_replaced_by_a_fresh_one(confined):
    sidecar, renders = confined
    (renders / "a.mp4.partial").write_bytes(b"left by a dead run")
    assert "result" in sidecar.call("generate", segment_params(renders / "a.mp4"))
    assert sorted(path.name for path in renders.iterdir()) == ["a.mp4"]


@pytest.mark.parametrize(
    "path, message",
    [
        ("../../../../etc/passwd", "is not an absolute path"),
        ("/etc/passwd", "is outside the folders allowed by initialize"),
    ],
)
def test_continue_from_outside_the_roots_or_relative_is_refused(confined, path, message):
    sidecar, renders = confined
    params = segment_params(renders / "b.mp4", startFrame=4, continueFrom={"path": path, "frames": 5})
    error = error_of(sidecar.call("generate", params))
    assert error["code"] == -32602
    assert message in error["message"], error


def test_continue_from_through_a_symbolic_link_is_refused(confined):
    sidecar, renders = confined
    (renders / "passwd.mp4").symlink_to("/etc/passwd")
    params = segment_params(
        renders / "b.mp4", startFrame=4, continueFrom={"path": str(renders / "passwd.mp4"), "frames": 5}
    )
    error = error_of(sidecar.call("generate", params))
    assert (error["code"], "is a symbolic link" in error["message"]) == (-32602, True), error


def test_initialize_names_its_roots_and_needs_a_real_ffmpeg(start_sidecar, ffmpeg, tmp_path):
    sidecar = start_sidecar()
    missing = error_of(sidecar.call("initialize", {"ffmpegPath": ffmpeg}))
    assert missing["message"] == "params: 'allowedRoots' is a required property"
    relative = error_of(sidecar.call("initialize", {"ffmpegPath": ffmpeg, "allowedRoots": ["renders"]}))
    assert relative["message"] == "params.allowedRoots: 'renders' is not an absolute path"
    impostor = tmp_path / "ffmpeg"
    impostor.write_text("#!/bin/sh\necho 'not really'\n")
    impostor.chmod(impostor.stat().st_mode | stat.S_IXUSR)
    for fake in [str(impostor), "/bin/true"]:
        error = error_of(sidecar.call("initialize", {"ffmpegPath": fake, "allowedRoots": [str(tmp_path)]}))
        assert error["code"] == -32602
        assert (
            error["message"]
            == f"params.ffmpegPath: {fake!r} is not ffmpeg (its -version does not print 'ffmpeg version')"
        )
    assert "result" in sidecar.call("initialize", {"ffmpegPath": ffmpeg, "allowedRoots": [str(tmp_path)]})
