"""Static checks run by CI (`make audit`).

* bandit over app/: any HIGH-severity finding fails.
* pip-audit over the installed dependencies: a known vulnerability fails; when the advisory source
  cannot be reached (this network only reaches the package registry), that is reported, not failed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run_bandit() -> int:
    proc = subprocess.run([str(BIN / "bandit"), "-q", "-r", "app", "-f", "json"], cwd=ROOT,
                          capture_output=True, text=True)
    report = json.loads(proc.stdout or "{}")
    high = [r for r in report.get("results", []) if r.get("issue_severity") == "HIGH"]
    others = len(report.get("results", [])) - len(high)
    for r in high:
        print(f"bandit HIGH: {r['filename']}:{r['line_number']}: {r['issue_text']}")
    print(f"bandit: {len(high)} high-severity finding(s), {others} lower-severity")
    return 1 if high else 0


def run_pip_audit() -> int:
    try:
        proc = subprocess.run([str(BIN / "pip-audit"), "--skip-editable", "--format", "json", "--progress-spinner",
                               "off"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        print("pip-audit: advisory source did not answer in time (reported, not failed)")
        return 0
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit: advisory source unreachable (reported, not failed): {proc.stderr.strip()[:300]}")
        return 0
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    for d in vulnerable:
        ids = ", ".join(v["id"] for v in d["vulns"])
        print(f"pip-audit: {d['name']} {d.get('version')}: {ids}")
    audited = len(deps) - len(skipped)
    if audited == 0 and deps:
        print(f"pip-audit: advisory source unreachable, {len(skipped)} packages not audited (reported, not failed)")
    else:
        print(f"pip-audit: {audited} packages audited, {len(vulnerable)} vulnerable, {len(skipped)} not audited")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(max(run_bandit(), run_pip_audit()))
