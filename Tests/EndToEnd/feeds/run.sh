#!/usr/bin/env bash
# The subscriptions and API suite: reads the example site's Atom feeds with feedparser and
# its maintenance calendars with icalendar, and validates every /api/v2/ document with
# check-jsonschema against the schemas of docs/schemas/statuspage/ (check.py says what).
#
#   Tests/EndToEnd/feeds/run.sh
#
# Needs a built yourict: YOURICT_BIN, else .build/release/yourict. Installs its Python
# packages (requirements.txt) into a virtual environment, FEEDS_VENV, else
# Tests/EndToEnd/feeds/.venv, only when they changed. KEEP=1 keeps the work folder.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# shellcheck source=../lib.sh
. "$here/../lib.sh"
yourict_binary "$repo"
venv="${FEEDS_VENV:-$here/.venv}"

python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || install_missing python3-venv

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv"
  python3 -m venv "$venv"
fi
stamp="$venv/.feeds-suite-requirements"
if [ ! -f "$stamp" ] || ! cmp -s "$stamp" "$here/requirements.txt"; then
  echo "== installing Python packages"
  "$venv/bin/python" -m pip install -q -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$stamp"
fi

work_folder feeds
export PATH="$venv/bin:$PATH"   # check-jsonschema
exec_status=0
"$venv/bin/python" "$here/check.py" --yourict "$bin" --repo "$repo" --work "$work" || exec_status=$?
exit "$exec_status"
