# ruff: noqa: F811 - pytest fixtures are imported by name from installer_support
"""`kiteguard setup / uninstall / doctor` under a temporary root, as a parent would run them."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from installer_support import home, snapshot, system_root  # noqa: F401 - fixtures used by name

from kiteguard.installer import cli
from kiteguard.proxy.cli import main
from kiteguard.proxy.password import PasswordFile
from kiteguard.proxy.paths import Home
from kiteguard.proxy.runtime import load_household
from kiteguard.proxy.store import Store

PASSWORD = "mật khẩu dài"


def setup_args(root: Path, home: Home, *extra: str) -> list[str]:
    return ["--home", str(home.root), "setup", "--non-interactive", "--root", str(root), "--language", "en",
            "--user", "root", *extra]


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def seed_existing_files(root: Path) -> None:
    """Files a real machine already has, which setup merges into and uninstall must give back."""
    (root / "etc" / "environment").write_bytes(b'LANG="vi_VN.UTF-8"\nhttp_proxy="http://old:3128"\n')
    os.chmod(root / "etc" / "environment", 0o640)
    firefox = root / "etc" / "firefox" / "policies"
    firefox.mkdir(parents=True)
    (firefox / "policies.json").write_text('{"policies": {"DisableTelemetry": true}}')
    (root / "etc" / "xdg").mkdir()
    (root / "etc" / "xdg" / "kioslaverc").write_text("[General]\nFoo=1\n[Proxy Settings]\nProxyType=0\n")


def test_dry_run_lists_every_file_and_command_and_changes_nothing(
    system_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = Home(tmp_path / "fresh-home")  # no CA yet: the dry run must not create one either
    before = snapshot(system_root, tmp_path)
    assert run(setup_args(system_root, home, "--dry-run", "--child", "An:8"), monkeypatch) == 0
    out = capsys.readouterr().out
    assert snapshot(system_root, tmp_path) == before
    for expected in (
        # files, as they will be on this root
        f"write {system_root}/usr/local/share/ca-certificates/kiteguard.crt",
        f"write {system_root}/etc/chromium/policies/managed/kiteguard.json",
        f"write {system_root}/etc/opt/chrome/policies/managed/kiteguard.json",
        f"write {system_root}/etc/opt/edge/policies/managed/kiteguard.json",
        f"write {system_root}/etc/firefox/policies/policies.json",
        f"write {system_root}/usr/lib/firefox-esr/distribution/policies.json",
        f"write {system_root}/etc/environment",
        f"write {system_root}/etc/xdg/kioslaverc",
        f"write {system_root}/etc/systemd/system/kiteguard.service",
        # commands, exactly as they will run
        "run update-ca-certificates --certsconf",
        f"run certutil -N -d sql:{system_root}/root/.pki/nssdb --empty-password",
        f"run certutil -A -d sql:{system_root}/root/.pki/nssdb -t C,, -n Kiteguard -i {home.ca_cert_path}",
        f"run useradd --prefix {system_root} --system",
        f"run systemctl --root={system_root} enable kiteguard.service",
        # what stays under home
        f"{home.root / 'parent-password'} (mode 0600",
        "profile An: preset 6-9",
    ):
        assert expected in out


def test_setup_then_uninstall_gives_back_every_byte(
    system_root: Path, home: Home, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_existing_files(system_root)
    before = snapshot(system_root)
    home_before = snapshot(home.root)
    assert run(setup_args(system_root, home, "--password-stdin", "--child", "An:8", "--child", "Bình:14"),
               monkeypatch, PASSWORD + "\n") == 0
    environment = (system_root / "etc" / "environment").read_text()
    assert 'LANG="vi_VN.UTF-8"' in environment and "old:3128" not in environment
    policies = json.loads((system_root / "etc/firefox/policies/policies.json").read_text())["policies"]
    assert policies["DisableTelemetry"] is True and policies["DisablePrivateBrowsing"] is True
    assert "kiteguard:" in (system_root / "etc" / "passwd").read_text()
    assert (home.root.stat().st_mode & 0o777) == 0o700

    assert run(["--home", str(home.root), "uninstall"], monkeypatch) == 0
    assert snapshot(system_root) == before
    assert snapshot(home.root).keys() >= home_before.keys()
    assert home.root.stat().st_uid == os.getuid()  # handed back from the service account
    assert not (home.root / "installer").exists()
    assert "undone" in capsys.readouterr().out


def test_a_second_setup_changes_nothing(
    system_root: Path, home: Home, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(setup_args(system_root, home, "--password-stdin"), monkeypatch, PASSWORD + "\n") == 0
    first = snapshot(system_root)
    capsys.readouterr()
    assert run(setup_args(system_root, home), monkeypatch) == 0  # the saved password is enough now
    out = capsys.readouterr().out
    assert snapshot(system_root) == first
    assert out.count("already in place") >= 12 and ": done" not in out  # 13 where dconf (GNOME) is present


def test_children_and_password_are_saved(system_root: Path, home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    args = setup_args(system_root, home, "--password-stdin", "--child", "An:8", "--child", "Bình:16-17",
                      "--skip", "autostart")
    assert run(args, monkeypatch, PASSWORD + "\n") == 0
    stored = PasswordFile(home.root)
    assert stored.verify(PASSWORD) and not stored.verify("wrong password")
    assert stored.path.stat().st_mode & 0o777 == 0o600
    assert PASSWORD not in stored.path.read_text()
    store = Store(home.db_path)
    household, _ = load_household(store)
    store.close()
    assert household.default_profile == "An"
    assert household.profile("An").youtube_restrict == "strict"
    assert household.profile("Bình").sensitivity == "relaxed"


# Mistakes a parent can make: one clear line, exit 1, nothing changed.
@pytest.mark.parametrize(
    ("extra", "stdin", "message"),
    [
        (("--child", "An"), "", "is not NAME:AGE"),
        (("--child", "An:4"), "", "is not NAME:AGE"),
        (("--skip", "polcy"), "", "There is no step called polcy"),
        (("--user", "no-such-user-here"), "", "no user account called"),
        (("--password-stdin",), "short\n", "at least 8 varied characters"),
        (("--password-stdin",), "aaaaaaaaaaaa\n", "at least 8 varied characters"),
        ((), "", "needs the parent password"),
    ],
)
def test_mistakes_are_reported_in_one_line(
    extra: tuple[str, ...], stdin: str, message: str, system_root: Path, home: Home,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    before = snapshot(system_root)
    assert run(setup_args(system_root, home, *extra), monkeypatch, stdin) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert snapshot(system_root) == before


def test_interactive_setup_asks_and_lets_the_parent_skip_steps(
    system_root: Path, home: Home, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["vi", "An", "1", "", "y", "s"] + ["y"] * 30)
    secrets = iter([PASSWORD, PASSWORD])
    args = cli_args(["--home", str(home.root), "setup", "--root", str(system_root)])
    code = cli.run_setup(args, home, ask=lambda prompt: next(answers), ask_secret=lambda prompt: next(secrets))
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"Bước 1/1[12]: Tin cậy chứng chỉ của Kiteguard trong kho chứng chỉ hệ thống \[ca-system\]", out)
    assert "ca-nss" not in out  # no --user: no browser profile to set up
    assert "routing-environment: đã bỏ qua" in out
    assert not (system_root / "etc" / "environment").exists()
    assert (system_root / "etc/chromium/policies/managed/kiteguard.json").exists()


def test_doctor_after_uninstall_says_absent(
    system_root: Path, home: Home, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(setup_args(system_root, home, "--password-stdin"), monkeypatch, PASSWORD + "\n") == 0
    assert run(["--home", str(home.root), "uninstall"], monkeypatch) == 0
    capsys.readouterr()
    assert run(["--home", str(home.root), "doctor", "--json"], monkeypatch) == cli.ABSENT_EXIT
    report = json.loads(capsys.readouterr().out)
    assert report["installed"] is False
    assert report["findings"][0]["message"] == "Kiteguard chưa được cài trên máy này (không tìm thấy bản ghi cài đặt)."


def cli_args(argv: list[str]):  # noqa: ANN201 - argparse.Namespace
    from kiteguard.proxy.cli import build_parser

    return build_parser().parse_args(argv)


# Another system's steps can be shown from here, never run.
@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("windows", ["run certutil -addstore -f Root", "run reg add \"HKCU\\Software\\Microsoft\\Windows",
                     "run schtasks /Create /TN Kiteguard /SC ONSTART /RU SYSTEM"]),
        ("macos", ["run security add-trusted-cert -d -r trustRoot", "run networksetup -setautoproxyurl Wi-Fi",
                   "write /Library/LaunchDaemons/org.kiteguard.daemon.plist"]),
    ],
)
def test_other_systems_are_shown_as_exact_commands(
    platform: str, expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = ["--home", str(tmp_path / "h"), "setup", "--non-interactive", "--language", "en", "--platform", platform]
    assert run([*home, "--dry-run"], monkeypatch) == 0
    out = capsys.readouterr().out
    assert all(line in out for line in expected)
    assert not (tmp_path / "h").exists()
    assert run([*home, "--password-stdin", "--root", str(tmp_path)], monkeypatch, PASSWORD + "\n") == 1
    assert "can only be shown here" in capsys.readouterr().err


@pytest.mark.browser
async def test_live_setup_protects_a_fresh_chromium_and_uninstall_leaves_no_trace(kiteguard, tmp_path: Path) -> None:  # noqa: ANN001
    """The whole promise on the REAL system (as root, serially): setup, doctor green, a fresh Chromium
    profile with no flags browsing HTTPS through Kiteguard, no incognito, safe search forced; then
    uninstall, every touched file back byte for byte, and doctor saying Kiteguard is absent.
    """
    playwright = pytest.importorskip("playwright.async_api")
    if os.geteuid() != 0:
        pytest.skip("changes the real system: needs root")
    if Path("/etc/chromium/policies/managed/kiteguard.json").exists():
        pytest.skip("Kiteguard is already set up on this machine")
    watched = [Path(p) for p in ("/etc/ssl/certs", "/etc/environment", "/etc/chromium", "/etc/opt", "/etc/xdg",
                                 "/etc/firefox", "/usr/lib/firefox-esr", "/etc/dconf",
                                 "/usr/local/share/ca-certificates", Path.home() / ".pki")]
    before = snapshot(*[p for p in watched if p.exists()])
    env = {**os.environ, "KITEGUARD_HOME": str(kiteguard.home)}

    def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kiteguard", *args], input=stdin, env=env,
                              capture_output=True, text=True, timeout=120)

    try:
        done = cli("setup", "--non-interactive", "--language", "en", "--password-stdin", "--child", "An:8",
                   "--user", "root", "--skip", "autostart", "--proxy-port", str(kiteguard.proxy_port),
                   "--ui-port", str(kiteguard.ui_port), stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stdout + done.stderr
        done = cli("doctor")
        assert done.returncode == 0 and "Everything is working." in done.stdout, done.stdout

        async with playwright.async_playwright() as p:
            context = await p.chromium.launch_persistent_context(
                str(tmp_path / "fresh-profile"), executable_path="/usr/bin/chromium", headless=True,
                args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            try:
                page = await context.new_page()
                await page.goto("https://site.test/")  # no proxy flag, no certificate flag
                assert await page.title() == "site.test"
                await page.goto("https://www.google.com/search?q=kite")
                assert "safe=active" in await page.inner_text("#query")
                await page.goto("chrome://policy")
                for name in ("ForceGoogleSafeSearch", "IncognitoModeAvailability", "ProxySettings"):
                    await page.get_by_text(name, exact=True).first.wait_for(timeout=10_000)
                session = await context.new_cdp_session(page)
                with pytest.raises(Exception, match="Not allowed"):
                    await session.send("Target.createBrowserContext")
            finally:
                await context.close()
    finally:
        done = cli("uninstall")
    assert done.returncode == 0, done.stdout + done.stderr
    assert snapshot(*[p for p in watched if p.exists()]) == before
    assert not (Path.home() / ".pki").exists() or (Path.home() / ".pki") in before
    done = cli("doctor", "--language", "en")
    assert done.returncode == 3 and "not installed" in done.stdout
