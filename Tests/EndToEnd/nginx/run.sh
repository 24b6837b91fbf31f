#!/usr/bin/env bash
# Checks the deployment recipes of docs/ for real:
#   - docs/nginx/yourict.conf passes `nginx -t` and, serving a built site on a free
#     loopback port (its own nginx, not Debian's service), answers with the documented
#     statuses, headers, types and compression;
#   - the built site satisfies the Content-Security-Policy the config sends;
#   - docs/publish.sh uploads a site (to a local folder) and removes stale files.
#
#   Tests/EndToEnd/nginx/run.sh
#
# Needs a built yourict: YOURICT_BIN, else .build/release/yourict. Installs Debian's nginx,
# rsync and curl if missing. KEEP=1 keeps the work folder.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# shellcheck source=../lib.sh
. "$here/../lib.sh"
yourict_binary "$repo"

# --- Debian packages, only those missing ----------------------------------------------
missing=()
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
command -v curl >/dev/null 2>&1 || missing+=(curl)
# Keep Debian's nginx service from starting on port 80: this test runs its own.
install_missing --no-start "${missing[@]}"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

work_folder nginx
chmod 755 "$work"  # nginx's workers run as www-data

echo "== building the example site"
site="$work/public"
"$bin" build --source "$repo" --output "$site" >/dev/null

# --- nginx with the documented server block ---------------------------------------------
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# The documented block, with only its listen lines and root changed for the test.
sed -e "s|^\(\s*\)listen 80;|\1listen 127.0.0.1:$port;|" -e '/^\s*listen \[::\]:80;/d' \
    -e "s|^\(\s*\)root /srv/yourict/public;|\1root $site;|" "$repo/docs/nginx/yourict.conf" > "$work/yourict.conf"
grep -q "listen 127.0.0.1:$port;" "$work/yourict.conf" && grep -q "root $site;" "$work/yourict.conf" \
  || { echo "run.sh: docs/nginx/yourict.conf no longer has 'listen 80;' and 'root /srv/yourict/public;'" >&2; exit 1; }
mkdir -p "$work/temp"
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $work/access.log;
    client_body_temp_path $work/temp/body;
    proxy_temp_path $work/temp/proxy;
    fastcgi_temp_path $work/temp/fastcgi;
    uwsgi_temp_path $work/temp/uwsgi;
    scgi_temp_path $work/temp/scgi;
    include $work/yourict.conf;
}
EOF

echo "== nginx -t"
check "nginx -t accepts the server block" "$nginx_bin" -t -q -p "$work" -e "$work/error.log" -c "$work/nginx.conf"

echo "== serving the site on 127.0.0.1:$port"
"$nginx_bin" -p "$work" -e "$work/error.log" -c "$work/nginx.conf" -g "daemon off;" &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -s -o /dev/null "$base/" && break; sleep 0.2; done

csp="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
# fetch PATH [curl options…]: headers (lower-cased names) to $work/h, body to $work/b, status printed.
fetch() {
  local path="$1"; shift
  curl -s -D "$work/h.raw" -o "$work/b" -w '%{http_code}' "$@" "$base$path"
  tr -d '\r' < "$work/h.raw" | awk 'NR>1 && /:/ { i = index($0, ":"); print tolower(substr($0, 1, i - 1)) ":" substr($0, i + 1) }' > "$work/h"
}
header() { grep -i "^$1: " "$work/h" | head -1 | cut -d' ' -f2-; }
is() { [ "$1" = "$2" ] || { echo "    got [$1], expected [$2]" >&2; return 1; }; }

status="$(fetch /fr/)"
check "/fr/ answers 200" is "$status" 200
check "/fr/ is text/html; charset=utf-8" is "$(header content-type)" "text/html; charset=utf-8"
check "/fr/ has the Content-Security-Policy" is "$(header content-security-policy)" "$csp"
check "/fr/ has X-Content-Type-Options: nosniff" is "$(header x-content-type-options)" nosniff
check "/fr/ has Referrer-Policy" is "$(header referrer-policy)" strict-origin-when-cross-origin
check "/fr/ is cached briefly (60 s)" is "$(header cache-control)" "public, max-age=60"
check "/fr/ is the dashboard" cmp -s "$work/b" "$site/fr/index.html"

status="$(fetch /fr/catalogue)"
check "/fr/catalogue redirects to /fr/catalogue/" is "$status" 301

status="$(fetch /fr/no-such-page/)"
check "a missing page answers 404" is "$status" 404
check "... with the 404 page of its language" cmp -s "$work/b" "$site/fr/404.html"
check "... and the security headers" is "$(header content-security-policy)" "$csp"
status="$(fetch /nl/catalogue/no-such-filter/)"
check "a missing page under /nl/ answers 404 with the Dutch 404 page" sh -c "[ '$status' = 404 ] && cmp -s '$work/b' '$site/nl/404.html'"
status="$(fetch /no-such-page.html)"
check "a missing page outside the languages answers 404 with /404.html" sh -c "[ '$status' = 404 ] && cmp -s '$work/b' '$site/404.html'"
status="$(fetch /xx/no-such-page/)"
check "a prefix that is no language of the site gets /404.html" sh -c "[ '$status' = 404 ] && cmp -s '$work/b' '$site/404.html'"
status="$(fetch /)"
check "/ is the language chooser" sh -c "[ '$status' = 200 ] && cmp -s '$work/b' '$site/index.html'"

asset="$(cd "$site" && ls assets/style.*.css | head -1)"
status="$(fetch "/$asset")"
check "/$asset answers 200 as text/css" is "$status $(header content-type)" "200 text/css; charset=utf-8"
check "/$asset is cached for a year, immutable" is "$(header cache-control)" "public, max-age=31536000, immutable"
status="$(fetch "/$asset" -H 'Accept-Encoding: gzip')"
check "/$asset is gzipped when asked" is "$(header content-encoding)" gzip

status="$(fetch /fr/ -H 'Accept-Encoding: gzip')"
check "/fr/ is gzipped when asked, with Vary" is "$(header content-encoding) $(header vary)" "gzip Accept-Encoding"
check "... and decompresses to the page" sh -c "gzip -dc '$work/b' | cmp -s - '$site/fr/index.html'"
status="$(fetch /fr/)"
check "/fr/ is not gzipped when not asked" is "$(header content-encoding)" ""

status="$(fetch /api/services.json -H 'Accept-Encoding: gzip')"
check "/api/services.json: 200 application/json, gzipped, 60 s" is "$status $(header content-type) $(header content-encoding) $(header cache-control)" \
  "200 application/json; charset=utf-8 gzip public, max-age=60"
status="$(fetch /api/sla/2026-10.csv)"
check "/api/sla/2026-10.csv: 200 text/csv; charset=utf-8" is "$status $(header content-type)" "200 text/csv; charset=utf-8"
status="$(fetch /fr/feed.xml)"
check "/fr/feed.xml is application/atom+xml" is "$status $(header content-type)" "200 application/atom+xml; charset=utf-8"
status="$(fetch /fr/maintenance.ics -H 'Accept-Encoding: gzip')"
check "/fr/maintenance.ics is text/calendar, gzipped" is "$status $(header content-type) $(header content-encoding)" "200 text/calendar; charset=utf-8 gzip"
badge="$(cd "$site" && ls badges/*.svg | head -1)"
status="$(fetch "/$badge")"
check "/$badge is image/svg+xml, 60 s" is "$status $(header content-type) $(header cache-control)" "200 image/svg+xml; charset=utf-8 public, max-age=60"
# Widgets on other sites read the API, the badges, the feeds and the calendars; pages stay same-origin.
for path in /api/v2/summary.json /api/v2/scheduled-maintenances/upcoming.json /api/services.json "/$badge" \
            "/${badge%.svg}.json" /fr/feed.xml /fr/services/messagerie/maintenance.ics; do
  status="$(fetch "$path" -H 'Origin: https://intranet.example.org')"
  check "$path allows any origin (Access-Control-Allow-Origin: *)" is "$status $(header access-control-allow-origin)" "200 *"
done
for path in /fr/ "/$asset" /does-not-exist; do
  fetch "$path" -H 'Origin: https://intranet.example.org' >/dev/null
  check "$path has no Access-Control-Allow-Origin" is "$(header access-control-allow-origin)" ""
done
status="$(fetch /.yourict-output)"
check "the build marker is not served" is "$status" 404

# --- The site satisfies the policy ----------------------------------------------------------
check "every page satisfies the Content-Security-Policy (no inline script, style or handler; same-origin resources)" \
  python3 - "$site" <<'EOF'
import html.parser, pathlib, re, sys
root = pathlib.Path(sys.argv[1])
problems = []

class Page(html.parser.HTMLParser):
    def __init__(self, path):
        super().__init__()
        self.path, self.in_script = path, False
    def bad(self, what):
        problems.append(f"{self.path.relative_to(root)}: {what}")
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.bad(f"inline handler {name} on <{tag}>")
            if name == "style":
                self.bad(f"style attribute on <{tag}>")
            if name in ("href", "src", "action") and value and value.strip().lower().startswith("javascript:"):
                self.bad(f"javascript: URL on <{tag}>")
        def same_origin(url):  # relative, or absolute to this site's own origin only
            return url is not None and not re.match(r"^([a-z][a-z0-9+.-]*:)?//", url, re.I) and not url.lower().startswith("data:")
        if tag == "script":
            if a.get("type") not in (None, "module", "text/javascript", "application/ld+json", "application/json"):
                return
            if "src" not in a and a.get("type") not in ("application/ld+json", "application/json"):
                self.bad("inline <script>")
            elif "src" in a and not same_origin(a["src"]):
                self.bad(f"script from {a['src']}")
        if tag == "style":
            self.bad("<style> element")
        if tag == "link" and "stylesheet" in (a.get("rel") or "") and not same_origin(a.get("href")):
            self.bad(f"stylesheet from {a.get('href')}")
        if tag == "img" and a.get("src") and not (same_origin(a["src"]) or a["src"].startswith("data:")):
            self.bad(f"image from {a['src']}")
        if tag in ("iframe", "object", "embed", "base"):
            self.bad(f"<{tag}>")
        if tag == "form" and a.get("action") and not same_origin(a["action"]):
            self.bad(f"form posting to {a['action']}")

pages = sorted(root.rglob("*.html"))
for path in pages:
    Page(path).feed(path.read_text(encoding="utf-8"))
if problems:
    print("\n".join("    " + p for p in problems[:20]), file=sys.stderr)
    sys.exit(1)
print(f"    {len(pages)} pages checked")
EOF

# --- docs/publish.sh ---------------------------------------------------------------------------
dest="$work/published"
check "publish.sh uploads the site" "$repo/docs/publish.sh" "$site/" "$dest/"
check "... everything but the build marker" diff -r -x .yourict-output -x .yourict-assets "$site" "$dest"
check "... readable by the web server" sh -c "[ -z \"\$(find '$dest' ! -perm -o+r)\" ]"
check "... with the names of the assets it uploaded" sh -c "[ \"\$(cat '$dest/assets/.yourict-assets')\" = \"\$(ls '$site/assets' | LC_ALL=C sort)\" ]"
check "... which nginx does not serve" sh -c "cp '$dest/assets/.yourict-assets' '$site/assets/' && [ \"\$(curl -s -o /dev/null -w '%{http_code}' 'http://127.0.0.1:$port/assets/.yourict-assets')\" = 404 ]; rm -f '$site/assets/.yourict-assets'"
mkdir -p "$dest/assets" && echo old > "$dest/assets/style.0123456789.css" && echo old > "$dest/fr/gone.html"
check "a second publish removes what the site no longer has" sh -c "'$repo/docs/publish.sh' '$site' '$dest' && [ ! -e '$dest/assets/style.0123456789.css' ] && [ ! -e '$dest/fr/gone.html' ] && diff -r -x .yourict-output -x .yourict-assets '$site' '$dest'"
# A new theme: its stylesheet has a new name. Pages cached before the publish (60 s) still
# name the old one: it stays one publish longer, then goes.
next="$work/public-next"
rm -rf "$next" && cp -a "$site" "$next"
old_css="$(cd "$next/assets" && ls style.*.css | head -1)"
mv "$next/assets/$old_css" "$next/assets/style.fedcba98765.css"
check "a publish keeps the assets the previous one uploaded" sh -c "'$repo/docs/publish.sh' '$next' '$dest' && [ -e '$dest/assets/$old_css' ] && [ -e '$dest/assets/style.fedcba98765.css' ]"
check "... and the next publish removes them" sh -c "'$repo/docs/publish.sh' '$next' '$dest' && [ ! -e '$dest/assets/$old_css' ] && diff -r -x .yourict-output -x .yourict-assets '$next' '$dest'"
check "publish.sh refuses a folder yourict did not build" sh -c "! '$repo/docs/publish.sh' '$repo/docs' '$work/nothing' 2>/dev/null"
# An unset CI variable must not become rsync --delete into "/" (or a remote's root).
for root in "" "/" "//" "web1:" "web1:/"; do
  check "publish.sh refuses the destination '$root'" sh -c "RSYNC_OPTIONS=--dry-run '$repo/docs/publish.sh' '$site' '$root' 2>/dev/null; [ \$? -eq 2 ]"
done

# --- docs/ci/github-actions.yml ------------------------------------------------------------------
check "the CI workflow example parses, runs every 5 minutes, pulls, builds --strict, publishes; its steps are valid shell" \
  python3 - "$repo/docs/ci/github-actions.yml" <<'EOF'
import re, subprocess, sys
try:
    import yaml
except ImportError:
    print("    (PyYAML missing: not checked)")
    sys.exit(0)
doc = yaml.safe_load(open(sys.argv[1]))
on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
assert on["schedule"][0]["cron"] == "*/5 * * * *", on
steps = doc["jobs"]["publish"]["steps"]
assert any(s.get("uses", "").startswith("actions/checkout") for s in steps)
runs = [s["run"] for s in steps if "run" in s]
text = "\n".join(runs)
for needle in ("yourict pull prometheus", "yourict build --strict", "publish.sh public/"):
    assert needle in text, needle
for run in runs:
    script = re.sub(r"\$\{\{[^}]*\}\}", "X", run)
    subprocess.run(["bash", "-n"], input=script, text=True, check=True)
print(f"    {len(steps)} steps")
EOF

report nginx
