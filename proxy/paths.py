"""Where Kiteguard keeps its state: one home directory, chosen by --home, KITEGUARD_HOME or platformdirs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

HOME_ENV = "KITEGUARD_HOME"


@dataclass(frozen=True)
class Home:
    root: Path

    @property
    def db_path(self) -> Path:
        return self.root / "kiteguard.sqlite3"

    @property
    def ca_dir(self) -> Path:
        return self.root / "ca"

    @property
    def ca_cert_path(self) -> Path:
        return self.ca_dir / "mitmproxy-ca-cert.pem"

    @property
    def lists_dir(self) -> Path:
        return self.root / "lists"

    @property
    def model_dir(self) -> Path:
        return self.root / "model"

    @property
    def run_file(self) -> Path:
        """Written by `kiteguard run`: its pid and ports, for `doctor` and scripts."""
        return self.root / "run.json"

    def ensure(self) -> Home:
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)  # events and secrets live here: only the service's user reads them
        return self


def resolve_home(arg: str | None) -> Home:
    if arg:
        return Home(Path(arg).expanduser().absolute())
    env = os.environ.get(HOME_ENV)
    if env:
        return Home(Path(env).expanduser().absolute())
    return Home(Path(platformdirs.user_data_dir("kiteguard", appauthor=False)))
