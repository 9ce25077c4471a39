"""The household the bypass suite runs under: a child with everything on, and a grown-up with nothing."""

from __future__ import annotations

from pathlib import Path

from kgtest import run_cli

POLICY = """
language = "en"
timezone = "Asia/Ho_Chi_Minh"
default_profile = "child"

[[profiles]]
name = "child"
block = ["adult", "proxy_vpn"]
safe_search = true
youtube_restrict = "strict"
block_ip_urls = true
deny = ["example-bad.vn"]

[[profiles]]
name = "grown-up"
"""


def import_bypass_policy(folder: Path) -> Path:
    """A Kiteguard home under folder with the policy in force; returns the home."""
    home = folder / "home"
    home.mkdir(parents=True, exist_ok=True)
    policy = folder / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    result = run_cli(home, "policy", "import", str(policy))
    assert result.returncode == 0, result.stderr
    return home
