"""Routing: the PAC file (run by a real JavaScript engine), Linux desktop files, Windows/macOS commands."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kiteguard.installer import routing
from kiteguard.installer.actions import SystemRoot

PAC = routing.pac_file("127.0.0.1", 8377, 8378)
# Browsers provide shExpMatch; this is the same shell-glob match, enough to run the script.
PAC_HARNESS = r"""
function shExpMatch(s, p) {
  const pattern = p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp("^" + pattern + "$").test(s);
}
%s
const cases = JSON.parse(process.argv[2]);
console.log(JSON.stringify(cases.map(([url, host]) => FindProxyForURL(url, host))));
"""


# Where each request goes: only the settings page is reached directly.
PAC_CASES = [
    ("https://vnexpress.net/", "vnexpress.net", "PROXY 127.0.0.1:8377"),
    ("http://example-bad.vn/x", "example-bad.vn", "PROXY 127.0.0.1:8377"),
    ("http://127.0.0.1:8378/settings", "127.0.0.1", "DIRECT"),
    ("http://localhost:8378/api", "localhost", "DIRECT"),
    ("http://127.0.0.1:9999/", "127.0.0.1", "PROXY 127.0.0.1:8377"),
    ("http://evil.test/?x=:8378/", "evil.test", "PROXY 127.0.0.1:8377"),
]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_pac_file_sends_everything_but_the_settings_page_through_kiteguard(tmp_path: Path) -> None:
    script = tmp_path / "pac.js"
    script.write_text(PAC_HARNESS % PAC)
    cases = [[url, host] for url, host, _ in PAC_CASES]
    done = subprocess.run(["node", str(script), json.dumps(cases)], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [expected for _, _, expected in PAC_CASES]


def test_pac_file_never_falls_back_to_direct() -> None:
    assert PAC.count("DIRECT") == 1  # only the settings page: a stopped filter must not mean open internet


# /etc/environment keeps every other line and replaces older proxy settings.
@pytest.mark.parametrize(
    ("existing", "kept"),
    [
        ("", []),
        (
            'LANG="vi_VN.UTF-8"\nhttp_proxy="http://old:3128"\nPATH="/usr/bin"\n',
            ['LANG="vi_VN.UTF-8"', 'PATH="/usr/bin"'],
        ),
        ("no_proxy=example.com\n", []),
    ],
)
def test_environment_text(existing: str, kept: list[str]) -> None:
    text = routing.environment_text(existing, "http://127.0.0.1:8377")
    lines = text.splitlines()
    assert lines[: len(kept)] == kept
    assert 'https_proxy="http://127.0.0.1:8377"' in lines and 'HTTP_PROXY="http://127.0.0.1:8377"' in lines
    assert 'no_proxy="127.0.0.1,localhost"' in lines
    assert "old:3128" not in text and "example.com" not in text
    assert routing.environment_text(text, "http://127.0.0.1:8377") == text  # a re-run changes nothing


def test_kde_section_is_immutable_and_replaces_the_old_one() -> None:
    existing = "[General]\nFoo=1\n\n[Proxy Settings]\nProxyType=0\n[Other]\nBar=2\n"
    text = routing.kioslaverc_text(existing, 8378)
    assert text == (
        "[General]\nFoo=1\n\n[Other]\nBar=2\n\n"
        "[Proxy Settings][$i]\nProxyType=2\nProxy Config Script=http://127.0.0.1:8378/proxy.pac\n"
    )
    assert routing.kioslaverc_text(text, 8378) == text


def test_gnome_settings_are_locked() -> None:
    assert routing.dconf_keyfile(8378) == (
        "[system/proxy]\nmode='auto'\nautoconfig-url='http://127.0.0.1:8378/proxy.pac'\n"
    )
    assert routing.dconf_locks() == "/system/proxy/mode\n/system/proxy/autoconfig-url\n"
    assert routing.dconf_profile("") == "user-db:user\nsystem-db:local\n"
    assert routing.dconf_profile("user-db:user\nsystem-db:site\n") == "user-db:user\nsystem-db:site\nsystem-db:local\n"


def test_linux_steps_write_under_the_root(tmp_path: Path) -> None:
    steps = routing.linux_steps(8377, 8378, SystemRoot(tmp_path))
    files = [item.path for step in steps for item in step.files]
    assert files[:2] == ["/etc/environment", "/etc/xdg/kioslaverc"]
    if shutil.which("dconf"):
        assert "/etc/dconf/db/local.d/00-kiteguard-proxy" in files


# Windows and macOS: exact commands (not run on those systems by our CI).
def test_windows_registry_commands() -> None:
    commands = routing.windows_step(8378).commands
    assert commands[0].argv == ("reg", "add", routing.WINDOWS_POLICY_KEY, "/v", "ProxySettingsPerUser",
                                "/t", "REG_DWORD", "/d", "0", "/f")
    assert commands[1].argv == ("reg", "add", r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings",
                                "/v", "AutoConfigURL", "/t", "REG_SZ", "/d", "http://127.0.0.1:8378/proxy.pac", "/f")
    assert commands[1].undo[:2] == ("reg", "delete")


def test_macos_networksetup_commands() -> None:
    commands = routing.macos_step(8378, ("Wi-Fi",)).commands
    assert commands[0].argv == ("networksetup", "-setautoproxyurl", "Wi-Fi", "http://127.0.0.1:8378/proxy.pac")
    assert commands[0].undo == ("networksetup", "-setautoproxystate", "Wi-Fi", "off")


@pytest.mark.skipif(shutil.which("dconf") is None, reason="dconf-cli is not installed")
def test_gnome_database_is_compiled_locked_and_removed(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from kiteguard.installer.manifest import Manifest
    from kiteguard.installer.wizard import apply_steps, uninstall

    target = SystemRoot(tmp_path / "root")
    (step,) = [s for s in routing.linux_steps(8377, 8378, target) if s.id == "routing-gnome"]
    manifest = Manifest(tmp_path / "m")
    assert [o.status for o in apply_steps([step], target, manifest, datetime.now(timezone.utc))] == ["done"]
    database = target.path("/etc/dconf/db/local")
    reader = tmp_path / "reader-profile"  # read the compiled database the way GNOME sessions will
    reader.write_text(f"file-db:{database}\n")
    for key, value in (("mode", "'auto'"), ("autoconfig-url", "'http://127.0.0.1:8378/proxy.pac'")):
        done = subprocess.run(["dconf", "read", f"/system/proxy/{key}"], env={"DCONF_PROFILE": str(reader)},
                              capture_output=True, text=True, check=True)
        assert done.stdout.strip() == value
    assert database.is_file()
    assert step.check(target)
    assert uninstall(target, manifest) == []
    assert not target.path("/etc").exists()
