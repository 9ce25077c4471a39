"""What the children asked for and reported, through the modules that own those records.

Requests belong to the time-rules feature (``kiteguard.proxy.requests``), reports and paired
browsers to the extension feature. Until those modules are part of this build, the pages say
so plainly instead of showing anything made up; ``available`` tells which is which.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from ..runtime import Runtime


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"kiteguard.proxy.{name}")
    except ImportError:
        return None


def requests_module() -> ModuleType | None:
    module = _module("requests")
    return module if module is not None and hasattr(module, "list_requests") else None


def requests_available() -> bool:
    return requests_module() is not None


def list_requests(runtime: Runtime, status: str | None = None, profile: str | None = None) -> list[Any]:
    module = requests_module()
    if module is None:
        return []
    return list(module.list_requests(runtime.store, status=status, profile=profile))


def approve(runtime: Runtime, request_id: int, minutes: int | None) -> Any:
    module = requests_module()
    if module is None:
        raise LookupError("requests are not part of this build")
    return module.approve_request(runtime, request_id, minutes=minutes)


def deny(runtime: Runtime, request_id: int) -> Any:
    module = requests_module()
    if module is None:
        raise LookupError("requests are not part of this build")
    return module.deny_request(runtime, request_id)
