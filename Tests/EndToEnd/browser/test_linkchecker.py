"""LinkChecker crawls the served site from the root: no broken internal link or anchor."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest

CONFIG = """\
[checking]
threads=4
maxrequestspersecond=100
timeout=30
[filtering]
ignore=
  ^mailto:
  ^tel:
[AnchorCheck]
"""


def test_linkchecker_finds_no_broken_link_or_anchor(base_url, tmp_path):
    exe = shutil.which("linkchecker")
    if not exe:
        pytest.fail("linkchecker not found (Debian package linkchecker)")
    rc = tmp_path / "linkcheckerrc"
    rc.write_text(CONFIG)
    rc.chmod(0o644)
    tmp_path.chmod(0o755)  # linkchecker drops root privileges to `nobody`
    proc = subprocess.run([exe, "-f", str(rc), "--no-status", "-o", "csv", base_url],
                          capture_output=True, text=True, timeout=900)
    rows = [line for line in proc.stdout.splitlines() if line and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";")
    problems = [f"{r['url']} (on {r['parentname']}, line {r['line']}): {r['result']} {r['warningstring']}".strip()
                for r in reader]
    assert proc.returncode in (0, 1), f"linkchecker failed to run ({proc.returncode}):\n{proc.stderr[-3000:]}"
    assert not problems, f"linkchecker found {len(problems)} problem(s):\n  " + "\n  ".join(problems)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
