"""Sites: each child's own allowed and blocked sites, and "why is this blocked?" for any address.

The explanation comes from the same engine the proxy uses (``Runtime.decide``), with today's
usage and time, so what the page says is what the child gets.
"""

from __future__ import annotations

from aiohttp import web

from ..policy import RequestFacts
from ..policyfile import PolicyError
from ..urls import InvalidHost, parse_url
from . import keys
from .policyedit import Table, change_profile
from .rendering import apply_then, render, say

LISTS = ("allow", "deny")


async def sites_page(request: web.Request) -> web.Response:
    runtime = request.app[keys.RUNTIME]
    household = runtime.household
    asked = request.query.get("url", "").strip()
    chosen = request.query.get("profile") or household.default_profile
    verdict = problem = None
    if asked:
        try:
            url = parse_url(asked if "://" in asked else f"http://{asked}")
        except (InvalidHost, ValueError) as exc:
            problem = say(request, "web.sites.bad_url", {"detail": str(exc)})
        else:
            decision = runtime.decide(RequestFacts(url=url), chosen)
            reopens = decision.reopens_at.astimezone(runtime.tz).strftime("%Y-%m-%d %H:%M") \
                if decision.reopens_at else None
            verdict = {"url": url.text, "decision": decision, "reopens": reopens,
                       "profile": runtime.profile(chosen).name}
    return render(request, "sites.html", {
        "household": household, "asked": asked, "chosen": chosen, "verdict": verdict, "problem": problem,
    })


async def add_site(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    which, domain = str(form.get("list", "")), _bare(str(form.get("domain", "")).strip())

    def change(profile: Table) -> None:
        if which not in LISTS:
            raise PolicyError("list", f"{which!r} is not allow or deny")
        other = "deny" if which == "allow" else "allow"
        # Moving a site from one list to the other is what a parent means by adding it.
        profile[other] = [item for item in profile.get(other, []) if item != domain]
        profile.setdefault(which, []).append(domain)

    apply_then(request, "/sites", lambda: change_profile(request.app[keys.RUNTIME], str(form.get("profile")), change))


async def remove_site(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    which, domain = str(form.get("list", "")), str(form.get("domain", ""))

    def change(profile: Table) -> None:
        if which not in LISTS:
            raise PolicyError("list", f"{which!r} is not allow or deny")
        profile[which] = [item for item in profile.get(which, []) if item != domain]

    apply_then(request, "/sites", lambda: change_profile(request.app[keys.RUNTIME], str(form.get("profile")), change))


def _bare(domain: str) -> str:
    """The host of whatever a parent pasted (a full address or a name); validation judges the rest."""
    try:
        return parse_url(domain if "://" in domain else f"http://{domain}").host
    except (InvalidHost, ValueError):
        return domain


def setup(app: web.Application) -> None:
    app.router.add_get("/sites", sites_page)
    app.router.add_post("/sites/add", add_site)
    app.router.add_post("/sites/remove", remove_site)
