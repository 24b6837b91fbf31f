#!/usr/bin/env bash
# Publishes a built site with rsync so that readers never see a page without its CSS.
#
#   docs/publish.sh [SITE] DESTINATION
#   docs/publish.sh public/ deploy@web1.example.org:/srv/yourict/public/
#
# SITE defaults to public/. DESTINATION is anything rsync accepts (host:path, a local
# folder). Three passes, in this order:
#   1. assets/: the new fingerprinted files are added next to the old ones; pages still
#      served (and cached for 60 s) keep the CSS and scripts they name;
#   2. everything else: HTML, JSON, feeds, badges. Every page now names assets that
#      are already there. --delay-updates switches each pass's files in at its end;
#   3. --delete, last: what the new site no longer has goes, except the assets the
#      previous publish uploaded: a page cached before this publish (60 s in a browser
#      or proxy) still names them. They go at the next publish. The names of each
#      publish's assets are kept on the server in assets/.yourict-assets (a dot file:
#      the nginx config serves none).
# Each file arrives under a temporary name and is renamed into place, so no reader
# gets half a file. The ssh command goes in RSYNC_RSH (e.g. RSYNC_RSH="ssh -i ~/.ssh/deploy"),
# extra rsync options, separated by spaces, in RSYNC_OPTIONS (e.g. RSYNC_OPTIONS=--dry-run).
set -euo pipefail

if [ $# -eq 1 ]; then set -- public/ "$1"; fi
if [ $# -ne 2 ]; then
  echo "usage: $0 [SITE] DESTINATION" >&2
  exit 2
fi
# An empty DESTINATION (an unset CI variable) became "/", and "host:" "host:/": rsync
# --delete would then remove everything there that the site does not have.
if [ -z "$2" ] || [[ "$2" =~ ^/+$ ]] || [[ "$2" =~ ^[^/]*:/*$ ]]; then
  echo "publish.sh: refusing to publish to '$2': give the site's own folder (e.g. host:/srv/yourict/public/), never a root" >&2
  exit 2
fi
site="${1%/}/"
dest="${2%/}/"
if [ ! -f "$site.yourict-output" ] || [ ! -f "${site}index.html" ]; then
  echo "publish.sh: $site is not a site built by yourict (no .yourict-output or index.html)" >&2
  exit 2
fi
# shellcheck disable=SC2206
extra=(${RSYNC_OPTIONS:-})
common=(-rlpt --chmod=D755,F644 --exclude=/.yourict-output "${extra[@]}")

manifest=assets/.yourict-assets
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The assets the last publish uploaded (none the first time, or from a server published
# before this list existed: then old assets go at once, as they did).
rsync "${extra[@]}" "$dest$manifest" "$tmp/previous" >/dev/null 2>&1 || true
[ -f "$tmp/previous" ] || : > "$tmp/previous"
# Fingerprinted names only: letters, digits, dots, dashes and underscores.
find "${site}assets" -maxdepth 1 -type f ! -name '.*' -printf '%f\n' 2>/dev/null | LC_ALL=C sort > "$tmp/current"
keep=(--filter="P /$manifest")
while IFS= read -r name; do
  [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] && keep+=(--filter="P /assets/$name")
done < "$tmp/previous"
rsync "${common[@]}" --delay-updates --include=/assets/ --include='/assets/**' --exclude='*' "$site" "$dest"
rsync "${common[@]}" --delay-updates --exclude=/assets/ "$site" "$dest"
rsync "${common[@]}" "${keep[@]}" --delete --delete-after "$site" "$dest"
rsync "${extra[@]}" -pt --chmod=F644 "$tmp/current" "$dest$manifest"
