"""Send every browser through Kiteguard: a PAC file plus the desktop's own proxy settings.

The PAC file is served by Kiteguard at ``/proxy.pac`` (``pac_file`` is the pure function the
web app calls). It has no "DIRECT" fallback except for Kiteguard's own settings page, so if the
filter stops, browsing stops rather than going around it. Linux gets GNOME (a locked dconf
system database, which is what ``gsettings`` reads), KDE (``/etc/xdg/kioslaverc`` marked
immutable) and ``/etc/environment`` for command-line programs. Windows and macOS get exact
commands, unit-tested only.
"""

from __future__ import annotations

import shutil

from kiteguard.installer.actions import Command, FileWrite, SystemRoot, windows_command
from kiteguard.installer.wizard import Step

ENVIRONMENT = "/etc/environment"
DCONF_PROFILE = "/etc/dconf/profile/user"
DCONF_KEYFILE = "/etc/dconf/db/local.d/00-kiteguard-proxy"
DCONF_LOCKS = "/etc/dconf/db/local.d/locks/kiteguard-proxy"
DCONF_DB = "/etc/dconf/db/local"
KIOSLAVERC = "/etc/xdg/kioslaverc"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY")
WINDOWS_POLICY_KEY = r"HKLM\Software\Policies\Microsoft\Windows\CurrentVersion\Internet Settings"
WINDOWS_USER_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings"


def pac_url(ui_port: int) -> str:
    return f"http://127.0.0.1:{ui_port}/proxy.pac"


def pac_file(proxy_host: str, proxy_port: int, ui_port: int) -> str:
    """The proxy auto-config script: everything through Kiteguard except its own settings page."""
    return (
        "// Kiteguard routes this browser through its filter. Only the settings page itself\n"
        "// is reached directly, so a parent can always open it.\n"
        "function FindProxyForURL(url, host) {\n"
        f'  if ((host === "127.0.0.1" || host === "localhost") && shExpMatch(url, "http://*:{ui_port}/*")) {{\n'
        '    return "DIRECT";\n'
        "  }\n"
        f'  return "PROXY {proxy_host}:{proxy_port}";\n'
        "}\n"
    )


def environment_text(existing: str, proxy_url: str) -> str:
    """``/etc/environment`` with our proxy variables replacing any earlier ones, other lines kept."""
    kept = [line for line in existing.splitlines() if line.split("=", 1)[0].strip() not in PROXY_VARIABLES]
    ours = [f'{name}="{proxy_url}"' for name in PROXY_VARIABLES[:4]]
    ours += [f'{name}="127.0.0.1,localhost"' for name in PROXY_VARIABLES[4:]]
    return "\n".join([*kept, *ours]) + "\n"


def dconf_keyfile(ui_port: int) -> str:
    return f"[system/proxy]\nmode='auto'\nautoconfig-url='{pac_url(ui_port)}'\n"


def dconf_locks() -> str:
    return "/system/proxy/mode\n/system/proxy/autoconfig-url\n"


def dconf_profile(existing: str) -> str:
    """The user profile must read the ``local`` system database, after the user's own."""
    lines = existing.splitlines() or ["user-db:user"]
    if "system-db:local" not in lines:
        lines.append("system-db:local")
    return "\n".join(lines) + "\n"


def kioslaverc_text(existing: str, ui_port: int) -> str:
    """KDE's proxy section, marked ``[$i]`` (immutable) so a user file cannot override it."""
    kept: list[str] = []
    inside = False
    for line in existing.splitlines():
        if line.startswith("["):
            inside = line.startswith("[Proxy Settings]")
        if not inside:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    section = ["[Proxy Settings][$i]", "ProxyType=2", f"Proxy Config Script={pac_url(ui_port)}"]
    return "\n".join([*kept, *([""] if kept else []), *section]) + "\n"


def linux_steps(proxy_port: int, ui_port: int, target: SystemRoot) -> tuple[Step, ...]:
    proxy_url = f"http://127.0.0.1:{proxy_port}"
    steps = [
        Step(
            id="routing-environment",
            title_key="step.routing_environment",
            files=(FileWrite(ENVIRONMENT, environment_text(_read(target, ENVIRONMENT), proxy_url).encode()),),
        ),
        Step(
            id="routing-kde",
            title_key="step.routing_kde",
            files=(FileWrite(KIOSLAVERC, kioslaverc_text(_read(target, KIOSLAVERC), ui_port).encode()),),
        ),
    ]
    if shutil.which("dconf"):
        steps.append(
            Step(
                id="routing-gnome",
                title_key="step.routing_gnome",
                files=(
                    FileWrite(DCONF_PROFILE, dconf_profile(_read(target, DCONF_PROFILE)).encode()),
                    FileWrite(DCONF_KEYFILE, dconf_keyfile(ui_port).encode()),
                    FileWrite(DCONF_LOCKS, dconf_locks().encode()),
                ),
                commands=(
                    Command(
                        ("dconf", "compile", str(target.path(DCONF_DB)), str(target.path(DCONF_DB + ".d"))),
                        touches=(DCONF_DB,),
                    ),
                ),
                probe=lambda root: root.path(DCONF_DB).is_file(),
            )
        )
    return tuple(steps)


def windows_step(ui_port: int) -> Step:
    """Machine policy (one setting for every user) plus the current user's Internet Settings."""
    url = pac_url(ui_port)
    return Step(
        id="routing-windows",
        title_key="step.routing_system",
        commands=(
            windows_command(
                ("reg", "add", WINDOWS_POLICY_KEY, "/v", "ProxySettingsPerUser", "/t", "REG_DWORD", "/d", "0", "/f"),
                undo=("reg", "delete", WINDOWS_POLICY_KEY, "/v", "ProxySettingsPerUser", "/f"),
            ),
            windows_command(
                ("reg", "add", WINDOWS_USER_KEY, "/v", "AutoConfigURL", "/t", "REG_SZ", "/d", url, "/f"),
                undo=("reg", "delete", WINDOWS_USER_KEY, "/v", "AutoConfigURL", "/f"),
            ),
        ),
    )


def macos_step(ui_port: int, services: tuple[str, ...] = ("Wi-Fi", "Ethernet")) -> Step:
    """``networksetup`` for each network service the Mac has (names as in System Settings)."""
    commands = []
    for service in services:
        commands.append(
            Command(
                ("networksetup", "-setautoproxyurl", service, pac_url(ui_port)),
                undo=("networksetup", "-setautoproxystate", service, "off"),
            )
        )
    return Step(id="routing-macos", title_key="step.routing_system", commands=tuple(commands))


def _read(target: SystemRoot, system_path: str) -> str:
    """The current text of a file we merge into (empty when missing); never our previous output."""
    path = target.path(system_path)
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
