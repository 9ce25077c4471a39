# ruff: noqa: F811 - pytest fixtures are imported by name from installer_support
"""Trusting the CA: the Debian store and NSS databases for real, Windows and macOS as commands."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from installer_support import home  # noqa: F401 - fixtures used by name

from kiteguard.installer import ca
from kiteguard.installer.actions import SystemRoot
from kiteguard.installer.ca import UserAccount
from kiteguard.installer.manifest import Manifest
from kiteguard.installer.wizard import apply_steps, uninstall
from kiteguard.proxy.paths import Home

NOW = datetime(2026, 11, 28, tzinfo=timezone.utc)


def test_the_debian_store_gains_the_ca_and_loses_it_again(tmp_path: Path, home: Home) -> None:
    target = SystemRoot(tmp_path / "root")
    pem = home.ca_cert_path.read_bytes()
    step = ca.system_trust_step(pem, target, flavour="debian")
    manifest = Manifest(tmp_path / "m")
    assert not step.check(target)
    assert [o.status for o in apply_steps([step], target, manifest, NOW)] == ["done"]
    bundle = target.path("/etc/ssl/certs/ca-certificates.crt").read_bytes()
    assert ca.holds_certificate(bundle, pem)
    assert target.path("/etc/ssl/certs/kiteguard.pem").is_symlink()
    assert step.check(target)
    assert uninstall(target, manifest) == []
    assert not target.prefix.exists() or not any(target.prefix.rglob("*"))


def test_entries_the_store_update_replaces_are_given_back(tmp_path: Path, home: Home) -> None:
    """Seen on a real machine: a local CA kept as a plain file in /etc/ssl/certs is turned into a
    symlink by update-ca-certificates; uninstall must turn it back into the same plain file."""
    target = SystemRoot(tmp_path / "root")
    other = home.ca_cert_path.read_bytes()
    target.path("/usr/local/share/ca-certificates").mkdir(parents=True)
    target.path("/usr/local/share/ca-certificates/office.crt").write_bytes(other)
    target.path("/etc/ssl/certs").mkdir(parents=True)
    plain = target.path("/etc/ssl/certs/office.pem")
    plain.write_bytes(other)
    step = ca.system_trust_step(_another_ca(tmp_path), target, flavour="debian")
    manifest = Manifest(tmp_path / "m")
    apply_steps([step], target, manifest, NOW)
    assert plain.is_symlink()
    assert uninstall(target, manifest) == []
    assert not plain.is_symlink() and plain.read_bytes() == other
    assert sorted(p.name for p in target.path("/etc/ssl/certs").iterdir()) == ["office.pem"]


def _another_ca(tmp_path: Path) -> bytes:
    from kiteguard.proxy.certauthority import ensure_ca

    return ensure_ca(Home(tmp_path / "second")).read_bytes()


def test_fedora_uses_trust_anchors(tmp_path: Path) -> None:
    step = ca.system_trust_step(b"pem", SystemRoot(tmp_path), flavour="fedora")
    assert [f.path for f in step.files] == ["/etc/pki/ca-trust/source/anchors/kiteguard.pem"]
    assert step.commands[0].argv == ("update-ca-trust", "extract")


def test_an_nss_database_is_created_trusting_the_ca_and_removed(tmp_path: Path, home: Home) -> None:
    target = SystemRoot()
    user_home = tmp_path / "child"
    user_home.mkdir()
    pem = home.ca_cert_path.read_bytes()
    step = ca.nss_step(UserAccount("root", str(user_home)), home.ca_cert_path, pem, target)
    manifest = Manifest(tmp_path / "m")
    apply_steps([step], target, manifest, NOW)
    assert ca.nss_holds(user_home / ".pki" / "nssdb", pem, target)
    assert step.check(target)
    assert uninstall(target, manifest) == []
    assert list(user_home.iterdir()) == []


def test_an_existing_nss_database_is_given_back_byte_for_byte(tmp_path: Path, home: Home) -> None:
    target = SystemRoot()
    folder = tmp_path / "child" / ".pki" / "nssdb"
    folder.mkdir(parents=True)
    target.run(("certutil", "-N", "-d", f"sql:{folder}", "--empty-password"))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    step = ca.nss_step(UserAccount("root", str(tmp_path / "child")), home.ca_cert_path,
                       home.ca_cert_path.read_bytes(), target)
    assert [c.argv[1] for c in step.commands] == ["-A"]  # the database exists: only add
    manifest = Manifest(tmp_path / "m")
    apply_steps([step], target, manifest, NOW)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} != before
    uninstall(target, manifest)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.browser
async def test_chromium_trusts_the_ca_through_nss_without_certificate_flags(
    kiteguard, tmp_path: Path  # noqa: ANN001
) -> None:
    """HTTPS through the real `kiteguard run`: an error without the NSS entry, none with it."""
    playwright = pytest.importorskip("playwright.async_api")
    target = SystemRoot()
    trusted, untrusted = tmp_path / "trusted", tmp_path / "untrusted"
    for folder in (trusted, untrusted):
        folder.mkdir()
    step = ca.nss_step(UserAccount("root", str(trusted)), kiteguard.ca_pem, kiteguard.ca_pem.read_bytes(), target)
    apply_steps([step], target, Manifest(tmp_path / "m"), NOW)
    args = ["--no-sandbox", "--disable-gpu", "--no-first-run", f"--proxy-server=http://127.0.0.1:{kiteguard.proxy_port}"]
    async with playwright.async_playwright() as p:
        for user_home, trusts in ((trusted, True), (untrusted, False)):
            context = await p.chromium.launch_persistent_context(
                str(user_home / "profile"), executable_path="/usr/bin/chromium", headless=True, args=args,
                env={"HOME": str(user_home)},
            )
            try:
                page = await context.new_page()
                if trusts:
                    await page.goto("https://site.test/")
                    assert await page.title() == "site.test"
                else:
                    with pytest.raises(Exception, match="ERR_CERT_AUTHORITY_INVALID"):
                        await page.goto("https://site.test/")
            finally:
                await context.close()


# Windows and macOS: exact commands (not run on those systems by our CI).
def test_windows_adds_to_the_machine_root_store() -> None:
    step = ca.windows_trust_step(r"C:\ProgramData\Kiteguard\ca\kiteguard-ca.cer", "Kiteguard Family Protection CA")
    command = step.commands[0]
    assert command.argv == ("certutil", "-addstore", "-f", "Root", r"C:\ProgramData\Kiteguard\ca\kiteguard-ca.cer")
    assert command.undo == ("certutil", "-delstore", "Root", "Kiteguard Family Protection CA")


def test_macos_trusts_the_ca_in_the_system_keychain() -> None:
    command = ca.macos_trust_step("/Library/Application Support/Kiteguard/ca.pem").commands[0]
    assert command.argv == ("security", "add-trusted-cert", "-d", "-r", "trustRoot", "-k",
                            "/Library/Keychains/System.keychain", "/Library/Application Support/Kiteguard/ca.pem")
    assert command.undo == ("security", "remove-trusted-cert", "-d", "/Library/Application Support/Kiteguard/ca.pem")


# Certificates are compared decoded, whatever the line endings or neighbours.
@pytest.mark.parametrize(
    "mangle", [lambda b: b, lambda b: b.replace(b"\n", b"\r\n"), lambda b: b"junk\n" + b + b"more"]
)
def test_holds_certificate(home: Home, mangle) -> None:  # noqa: ANN001
    pem = home.ca_cert_path.read_bytes()
    assert ca.holds_certificate(mangle(pem), pem)
    assert not ca.holds_certificate(b"", pem)
