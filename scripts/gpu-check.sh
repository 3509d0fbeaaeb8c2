#!/usr/bin/env bash
# One short GPU check of the sidecar (fast mode, speed levers, previews): the diffusers engine's tests
# on CUDA, then the step benchmark on a full-size random-weight A14B expert. Run from the repository
# root on the GPU machine, with .gpu-wheels/ carried (made here by scripts/gpu-check-wheels.sh):
#   OUT=$OUT bash scripts/gpu-check.sh
# Everything it learns goes under $OUT:
#   env.txt         nvidia-smi, the Python used, each pinned package's version there against our pin
#   install.log     the offline install of .gpu-wheels into the check's venv
#   pytest.log      the engine tests on CUDA (pytest.xml: the same as JUnit XML)
#   bench.json      the benchmark (rewritten after every combination: a run cut short keeps what finished)
#   bench.log       the benchmark's stderr
#   summary.txt     one line per stage with its exit status and seconds
# Time: under ~7 minutes (install 60 s at most, 7 s seen; pytest 120 s; benchmark 270 s with its own
# --budget 200 inside: no combination starts after 200 s, and one still running at 270 s is cut off).
# Python: a venv at $GPU_CHECK_VENV (default /tmp/wan-gpu-check-venv) over the image's python3
# ($IMAGE_PYTHON), which keeps the image's torch, with .gpu-wheels installed into it offline.
# Set PYTHON to skip the venv and use a Python that already has the engine's packages. On a CPU-only
# machine it still runs (the benchmark in --tiny mode) so the script itself can be tried:
#   OUT=/tmp/gpu-check GPU_CHECK_PYTEST_ARGS="-k scheduler" bash scripts/gpu-check.sh
set -u
OUT="${OUT:?set OUT to the folder for the results}"
mkdir -p "$OUT"
ROOT="$(pwd)"
SIDECAR="$ROOT/resources/sidecar"
WHEELS="$ROOT/.gpu-wheels"
[ -d "$SIDECAR" ] || { echo "run from the repository root (no resources/sidecar here)" >&2; exit 2; }
summary="$OUT/summary.txt"
: > "$summary"

stage() {  # stage NAME TIMEOUT COMMAND...: runs it, records status and seconds
  local name="$1" limit="$2"; shift 2
  local started=$SECONDS
  timeout --kill-after=10 "$limit" "$@"
  local status=$?
  echo "$name: exit $status in $((SECONDS - started)) s" | tee -a "$summary"
  return $status
}

make_venv() {  # make_venv IMAGE_PYTHON VENV: a venv that sees the image's packages, plus .gpu-wheels
  local image_python="$1" venv="$2"
  [ -f "$WHEELS/requirements.txt" ] || { echo "no $WHEELS/requirements.txt: run scripts/gpu-check-wheels.sh here and carry .gpu-wheels"; return 2; }
  rm -rf "$venv"
  "$image_python" -m venv --system-site-packages --without-pip "$venv" || return 2
  # The image's python3 is itself a venv (/opt/torch/.venv): a venv made from it gets the BASE
  # interpreter's site-packages, not the image's, so a .pth adds the image's (after the venv's own).
  # pip comes from there too.
  "$image_python" -c 'import site; print("\n".join(site.getsitepackages()))' \
    > "$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/image-site-packages.pth" || return 2
  # Dependencies resolve against the wheels and the image's packages: one missing fails here, by name.
  "$venv/bin/python" -m pip install --isolated --no-index --find-links "$WHEELS" --no-cache-dir --disable-pip-version-check \
    -r "$WHEELS/requirements.txt"
}

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  IMAGE_PYTHON="${IMAGE_PYTHON:-$(command -v python3)}"
  VENV="${GPU_CHECK_VENV:-/tmp/wan-gpu-check-venv}"
  export WHEELS
  export -f make_venv  # for timeout, which runs commands, not shell functions
  if ! stage install 60 bash -c 'make_venv "$@"' make_venv "$IMAGE_PYTHON" "$VENV" > "$OUT/install.log" 2>&1; then
    echo "the offline install failed; see install.log" | tee -a "$summary"
    exit 2
  fi
  PYTHON="$VENV/bin/python"
fi

if [ -z "${FFMPEG_BIN:-}" ]; then
  FFMPEG_BIN="$(command -v ffmpeg || "$PYTHON" -c 'import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_exe())' 2>/dev/null || true)"
fi
export FFMPEG_BIN WAN_STUDIO_FFMPEG="${WAN_STUDIO_FFMPEG:-$FFMPEG_BIN}"

{
  date -u
  nvidia-smi || echo "nvidia-smi: not available"
  echo "python: $PYTHON"
  echo "image python: ${IMAGE_PYTHON:-not used (PYTHON was given)}"
  echo "ffmpeg: $WAN_STUDIO_FFMPEG"
  "$PYTHON" - "$SIDECAR/requirements" <<'PY'
import importlib, importlib.metadata, pathlib, re, sys
# Figures from this run are read against these: the image's torch (2.11) is not our pin (2.15).
pins = {}
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")):
    for line in path.read_text().splitlines():
        match = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line)
        if match:
            pins[match[1].lower()] = match[2]
torch_installed = importlib.metadata.version("torch")
if torch_installed.split("+")[0] != pins["torch"]:
    print(f"NOTE: torch {torch_installed} here, not our pin {pins['torch']}: read these figures as from that torch")
print("package: installed (pinned) -- DIFFERS where the run does not use our pin")
for name, pin in pins.items():
    if name == "ruff":  # the linter: not part of this check
        continue
    try:
        installed = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        installed = "MISSING"
    print(f"{name}: {installed} ({pin})" + ("" if installed.split("+")[0] == pin else "  DIFFERS"))
missing = []
for name in ("torch", "diffusers", "transformers", "torchao", "accelerate", "peft", "PIL", "pytest", "jsonschema", "triton", "flash_attn", "flash_attn_interface", "sageattention"):
    try:
        module = importlib.import_module(name)
        print("import", name, getattr(module, "__version__", "?"))
    except Exception as error:
        print("import", name, "MISSING:", type(error).__name__, error)
        missing.append(name)
import torch
print("cuda", torch.cuda.is_available(), torch.version.cuda, [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())])
required = {"torch", "diffusers", "transformers", "torchao", "accelerate", "peft", "PIL", "pytest", "jsonschema"}
if required & set(missing):
    raise SystemExit(f"required packages missing: {sorted(required & set(missing))}")
PY
} > "$OUT/env.txt" 2>&1
env_status=$?
echo "env: exit $env_status" | tee -a "$summary"
if [ "$env_status" -ne 0 ]; then
  echo "the Python at $PYTHON lacks the engine's packages; see env.txt" | tee -a "$summary"
  exit 2
fi

cuda=$("$PYTHON" -c "import torch; print(int(torch.cuda.is_available()))")
cd "$SIDECAR" || exit 2
# shellcheck disable=SC2086  # GPU_CHECK_PYTEST_ARGS is a list of pytest arguments
stage pytest 120 "$PYTHON" -m pytest tests/test_fast_mode.py tests/test_previews.py tests/test_diffusers_engine.py \
  -q -p no:cacheprovider --junitxml="$OUT/pytest.xml" ${GPU_CHECK_PYTEST_ARGS:-} > "$OUT/pytest.log" 2>&1
if [ "$cuda" = 1 ]; then
  bench_args=(--budget 200)
else
  bench_args=(--tiny --budget 60)
fi
stage benchmark 270 "$PYTHON" benchmarks/bench_transformer_step.py "${bench_args[@]}" --out "$OUT/bench.json" \
  > /dev/null 2> "$OUT/bench.log"
