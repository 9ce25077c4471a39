"""Steps that make the operating system and browsers trust Kiteguard's CA.

Linux is done for real: the system store (Debian ``update-ca-certificates``, Fedora
``update-ca-trust``) and the NSS database in each chosen user's ``~/.pki/nssdb``, which
Chrome and Chromium read. Firefox gets the CA through its ``Certificates.Install`` policy
(``browser_policies``). Windows and macOS steps are exact commands, unit-tested only.
"""

from __future__ import annotations

import base64
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from kiteguard.installer.actions import Command, FileWrite, SystemRoot, windows_command
from kiteguard.installer.wizard import Step

NSS_NICKNAME = "Kiteguard"
DEBIAN_CERT = "/usr/local/share/ca-certificates/kiteguard.crt"
DEBIAN_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
FEDORA_CERT = "/etc/pki/ca-trust/source/anchors/kiteguard.pem"
NO_HOOKS = "/nonexistent"
NSS_FILES = ("cert9.db", "key4.db", "pkcs11.txt")


@dataclass(frozen=True)
class UserAccount:
    """A person's login on this computer, whose browsers we set up."""

    name: str
    home: str


def system_flavour() -> str:
    """"fedora" where ``update-ca-trust`` manages the store, else "debian"."""
    return "fedora" if shutil.which("update-ca-trust") else "debian"


def system_trust_step(ca_pem: bytes, target: SystemRoot, flavour: str | None = None) -> Step:
    """The OS-wide store; ``flavour`` is "debian" or "fedora", found from the tools when None."""
    flavour = flavour or system_flavour()
    if flavour == "fedora":
        return Step(
            id="ca-system",
            title_key="step.ca_system",
            files=(FileWrite(FEDORA_CERT, ca_pem),),
            commands=(Command(("update-ca-trust", "extract"), undo=("update-ca-trust", "extract"), live_only=True),),
        )
    flags = _debian_flags(target)
    return Step(
        id="ca-system",
        title_key="step.ca_system",
        files=(FileWrite(DEBIAN_CERT, ca_pem),),
        commands=(
            Command(
                ("update-ca-certificates", *flags),
                touches=(DEBIAN_BUNDLE,),
                watch=("/etc/ssl/certs",),
            ),
        ),
        probe=lambda root: holds_certificate(_read(root.path(DEBIAN_BUNDLE)), ca_pem),
    )


def nss_step(user: UserAccount, ca_path: Path, ca_pem: bytes, target: SystemRoot) -> Step:
    """Add the CA to the user's shared NSS database, creating the database if it is missing."""
    folder = f"{user.home.rstrip('/')}/.pki/nssdb"
    database = f"sql:{target.path(folder)}"
    commands = []
    if not target.path(f"{folder}/cert9.db").exists():
        commands.append(
            Command(
                ("certutil", "-N", "-d", database, "--empty-password"),
                touches=tuple(f"{folder}/{name}" for name in NSS_FILES),
                user=user.name,
            )
        )
    commands.append(
        Command(
            ("certutil", "-A", "-d", database, "-t", "C,,", "-n", NSS_NICKNAME, "-i", str(ca_path)),
            undo=("certutil", "-D", "-d", database, "-n", NSS_NICKNAME),
            touches=tuple(f"{folder}/{name}" for name in NSS_FILES),
            user=user.name,
        )
    )
    return Step(
        id=f"ca-nss-{user.name}",
        title_key="step.ca_nss",
        commands=tuple(commands),
        probe=lambda root: nss_holds(root.path(folder), ca_pem, root),
    )


def nss_holds(folder: Path, ca_pem: bytes, target: SystemRoot) -> bool:
    """True when the database at ``folder`` holds our CA as a trusted issuer."""
    if not (folder / "cert9.db").exists() or shutil.which("certutil") is None:
        return False
    try:
        found = target.run(("certutil", "-L", "-d", f"sql:{folder}", "-n", NSS_NICKNAME, "-a"))
    except Exception:  # noqa: BLE001 - "not found" is an exit code, and means not trusted
        return False
    return holds_certificate(found.encode("ascii", "replace"), ca_pem)


def windows_trust_step(ca_path_windows: str, common_name: str) -> Step:
    """Machine-wide Root store (run in an elevated prompt)."""
    return Step(
        id="ca-windows",
        title_key="step.ca_system",
        commands=(
            windows_command(
                ("certutil", "-addstore", "-f", "Root", ca_path_windows),
                undo=("certutil", "-delstore", "Root", common_name),
            ),
        ),
    )


def macos_trust_step(ca_path_macos: str) -> Step:
    """The System keychain, trusted as a root for every user (run with sudo)."""
    keychain = "/Library/Keychains/System.keychain"
    return Step(
        id="ca-macos",
        title_key="step.ca_system",
        commands=(
            Command(
                ("security", "add-trusted-cert", "-d", "-r", "trustRoot", "-k", keychain, ca_path_macos),
                undo=("security", "remove-trusted-cert", "-d", ca_path_macos),
            ),
        ),
    )


def _debian_flags(target: SystemRoot) -> tuple[str, ...]:
    """Point the script at the temporary root's folders, and never run its hooks.

    Hooks copy the store into other formats (Java's keystore) that we could not restore byte
    for byte; no child browses through Java, so the bundle and the links are all we need.
    Undo needs no command: the bundle's bytes are restored and the links we made removed.
    """
    if target.is_live:
        return ("--hooksdir", NO_HOOKS)
    return (
        "--certsconf", str(target.path("/etc/ca-certificates.conf")),
        "--certsdir", str(target.path("/usr/share/ca-certificates")),
        "--localcertsdir", str(target.path("/usr/local/share/ca-certificates")),
        "--etccertsdir", str(target.path("/etc/ssl/certs")),
        "--hooksdir", NO_HOOKS,
    )


def certificate_ders(pem: bytes) -> set[bytes]:
    """Every certificate in a PEM text, decoded, so line endings and comments do not matter."""
    found = set()
    for match in re.finditer(rb"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", pem, re.S):
        try:
            found.add(base64.b64decode(b"".join(match.group(1).split()), validate=True))
        except ValueError:
            continue
    return found


def holds_certificate(haystack: bytes, ca_pem: bytes) -> bool:
    wanted = certificate_ders(ca_pem)
    return bool(wanted) and wanted <= certificate_ders(haystack)


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() else b""
