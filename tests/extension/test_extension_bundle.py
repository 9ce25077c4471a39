"""The extension's own checks, run from pytest so the one CI command covers them:
its pure modules under `node --test`, and `web-ext lint` (0 errors) for the Firefox build."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_pure_modules_pass_their_node_tests() -> None:
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed")
    result = subprocess.run(["node", "--test", "tests/extension/"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout


def test_web_ext_lint_reports_no_errors() -> None:
    web_ext = ROOT / "node_modules" / ".bin" / "web-ext"
    if not web_ext.exists():
        pytest.skip("web-ext is not installed: run `npm ci` in the repository root")
    result = subprocess.run([str(web_ext), "lint", "--source-dir", "extension", "--output", "json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    assert report["errors"] == [], report["errors"]
    # The one accepted warning: Firefox ignores background.service_worker, which Chromium needs.
    assert [w["code"] for w in report["warnings"]] in ([], ["MANIFEST_FIELD_UNSUPPORTED"])
