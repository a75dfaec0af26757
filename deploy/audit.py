"""`make audit`: fail when a locked dependency has a known vulnerability that a release fixes.

Reads pip-audit's JSON report (pip-audit --format json). A dependency pip-audit could not check
fails the audit too: an audit that could not look is not a clean audit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def problems(report: dict[str, Any]) -> list[str]:
    """One line per fixable vulnerability or unaudited dependency."""
    found = []
    for dependency in report.get("dependencies", []):
        name, version = dependency.get("name"), dependency.get("version")
        if dependency.get("skip_reason"):
            found.append(f"{name} {version}: not audited ({dependency['skip_reason']})")
        for vuln in dependency.get("vulns", []):
            if vuln.get("fix_versions"):
                fixes = ", ".join(vuln["fix_versions"])
                found.append(f"{name} {version}: {vuln['id']} (fixed in {fixes})")
    return found


def main(path: str) -> int:
    report_file = Path(path)
    if not report_file.exists() or not report_file.read_text().strip():
        print("audit: pip-audit wrote no report (is the vulnerability service reachable?)", file=sys.stderr)
        return 2
    found = problems(json.loads(report_file.read_text()))
    for line in found:
        print(f"audit: {line}", file=sys.stderr)
    if not found:
        print("audit: no known vulnerability with a fix in the locked versions")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
