#!/usr/bin/env bash
# Downloads, here (where PyPI is reachable), the wheels the GPU machine's image lacks, into .gpu-wheels/,
# for scripts/gpu-check.sh to install there with no network. Run from the repository root:
#   bash scripts/gpu-check-wheels.sh
# The image (see docs/benchmarks.md, "Running the GPU check") is Python 3.12 on x86_64 with torch 2.11,
# transformers, accelerate, peft, Pillow, numpy, pytest, hypothesis, safetensors, tokenizers and
# sentencepiece, but not diffusers, torchao, jsonschema, ftfy or an ffmpeg we can count on.
# The first four are pinned from resources/sidecar/requirements; the rest are their dependencies the
# image lacks, at the versions `npm run engine:setup` resolves, and imageio-ffmpeg for its static ffmpeg
# (the engine tests encode H.264 with libx264). torchao 0.18 needs torch >= 2.11 (its __init__ says
# so), so the pinned one also runs on the image's torch.
set -euo pipefail
REQUIREMENTS=resources/sidecar/requirements
WHEELS=.gpu-wheels
[ -d "$REQUIREMENTS" ] || { echo "run from the repository root (no $REQUIREMENTS here)" >&2; exit 2; }

pinned() {  # pinned NAME: NAME==VERSION as written in the sidecar's requirement files
  local line
  line=$(grep -hiE "^$1==" "$REQUIREMENTS"/*.txt | head -n 1)
  [ -n "$line" ] || { echo "no pin for $1 in $REQUIREMENTS/*.txt" >&2; exit 2; }
  echo "$line"
}

top_level=("$(pinned diffusers)" "$(pinned torchao)" "$(pinned jsonschema)" "$(pinned ftfy)")
dependencies=(
  importlib-metadata==10.2.0 lazy-importer==0.1.0                      # diffusers
  jsonschema-specifications==2025.9.1 referencing==0.37.0 rpds-py==2026.9.1  # jsonschema
  wcwidth==0.9.4                                                        # ftfy
)
# 0.7.0, not the newest: 0.8's wheel is 68 MB, over what a call can carry; 0.7's ffmpeg 7.0.2 has libx264.
ffmpeg_wheel=imageio-ffmpeg==0.7.0

rm -rf "$WHEELS"
mkdir -p "$WHEELS"
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$WHEELS" \
  --python-version 3.12 --implementation cp --abi cp312 --abi abi3 --abi none \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_24_x86_64 \
  --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform manylinux1_x86_64 --platform any \
  "${top_level[@]}" "${dependencies[@]}" "$ffmpeg_wheel"

# What gpu-check.sh installs (their dependencies resolve from these wheels and the image's packages).
printf '%s\n' "${top_level[@]}" "$ffmpeg_wheel" > "$WHEELS/requirements.txt"

ls -l "$WHEELS"
total=$(du -cb "$WHEELS" | tail -n 1 | cut -f 1)
echo "total: $((total / 1024 / 1024)) MiB ($total bytes) in $WHEELS (a device call carries at most 64 MiB with the tree)"
if [ "$total" -gt $((60 * 1024 * 1024)) ]; then
  echo "over 60 MiB: too close to the 64 MiB a device call carries" >&2
  exit 1
fi
