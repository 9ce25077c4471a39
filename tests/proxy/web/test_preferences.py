"""Settings: policy export and import in the CLI's TOML, password change, LAN access."""

from __future__ import annotations

from aiohttp import FormData

from kiteguard.proxy.lanaccess import LanAccess, listen_host
from kiteguard.proxy.policyfile import dump_policy, parse_policy

from .conftest import csrf_of

PASSWORD = "correct horse 42"


async def test_export_asks_for_the_password_again(parent, runtime) -> None:  # noqa: ANN001
    refused = await parent.post("/settings/export", {"password": "wrong one"})
    assert refused.status == 303 and "text/html" not in refused.headers.get("Content-Type", "")
    exported = await parent.post("/settings/export", {"password": PASSWORD})
    assert exported.status == 200 and "attachment" in exported.headers["Content-Disposition"]
    assert await exported.text() == dump_policy(runtime.household)


async def test_import_uses_the_policy_files_validation(parent, runtime) -> None:  # noqa: ANN001
    text = dump_policy(runtime.household).replace('language = "vi"', 'language = "en"')
    form = FormData({"csrf": parent.csrf})
    form.add_field("file", text.encode(), filename="policy.toml", content_type="application/toml")
    reply = await parent.client.post("/settings/import", data=form, allow_redirects=False)
    assert reply.status == 303 and runtime.household.language == "en"
    assert parse_policy(runtime.store.load_policy().toml) == runtime.household
    before = runtime.policy_revision
    bad = await parent.post("/settings/import", {"text": "language = 'klingon'\n[[profiles]]\nname = 'a'\n"})
    page = await (await parent.client.get(bad.headers["Location"])).text()
    assert runtime.policy_revision == before and "klingon" in page


async def test_changing_the_password_signs_out_other_devices(parent, client, aiohttp_client, runtime) -> None:  # noqa: ANN001
    reply = await parent.post("/settings/password", {"password": PASSWORD, "new": "new family pass 7",
                                                     "again": "new family pass 7"})
    assert reply.status == 303
    assert (await parent.client.get("/settings", allow_redirects=False)).status == 200  # this device stays in
    login = await parent.client.post("/login", data={"password": PASSWORD}, allow_redirects=False)
    assert login.status == 401


async def change_password(parent, old: str, new: str) -> None:  # noqa: ANN001
    await parent.post("/settings/password", {"password": old, "new": new, "again": new})
    parent.csrf = csrf_of(await (await parent.client.get("/settings")).text())  # a new session after the change


async def test_lan_access_needs_a_strong_password(parent, runtime) -> None:  # noqa: ANN001
    root = runtime.home.root
    await change_password(parent, PASSWORD, "onlylettersherebutlong")
    await parent.post("/settings/lan", {"enabled": "on", "password": "onlylettersherebutlong"})
    assert not LanAccess(root).enabled() and listen_host(root) == "127.0.0.1"
    await change_password(parent, "onlylettersherebutlong", "Strong-family-2026")
    await parent.post("/settings/lan", {"enabled": "on", "password": "Strong-family-2026"})
    assert LanAccess(root).enabled() and listen_host(root) == "0.0.0.0"
    off = await parent.post("/settings/lan", {})
    assert off.status == 303
    assert not LanAccess(root).enabled() and listen_host(root) == "127.0.0.1"


async def test_general_settings(parent, runtime) -> None:  # noqa: ANN001
    await parent.post("/settings/general", {"language": "en", "timezone": "Europe/Berlin", "retention_days": "7",
                                            "log_full_urls": "on"})
    household = runtime.household
    assert (household.language, household.timezone, household.retention_days, household.log_full_urls) == \
        ("en", "Europe/Berlin", 7, True)
