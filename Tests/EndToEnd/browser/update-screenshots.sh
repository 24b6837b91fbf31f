#!/usr/bin/env bash
# Refreshes docs/screenshots/ (the README's pictures): runs the suite's screenshot tests,
# then stores the PNGs with a 128-colour palette to keep the repository small.
#
#   Tests/EndToEnd/browser/update-screenshots.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
venv="${BROWSER_VENV:-$here/.venv}"
raw="$(mktemp -d)"
trap 'rm -rf "$raw"' EXIT

SCREENSHOT_DIR="$raw" "$here/run.sh" -q test_screenshots.py
"$venv/bin/python" -m pip install -q pillow
mkdir -p "$repo/docs/screenshots"
"$venv/bin/python" - "$raw" "$repo/docs/screenshots" <<'PY'
import shutil, sys
from pathlib import Path
from PIL import Image
src, dst = Path(sys.argv[1]), Path(sys.argv[2])
for png in sorted(src.glob("*.png")):
    im = Image.open(png).convert("RGB")
    im.quantize(colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(dst / png.name, optimize=True)
    print(dst / png.name)
for pdf in src.glob("*.pdf"):
    shutil.copy(pdf, dst / pdf.name)
PY
