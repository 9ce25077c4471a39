"""Help pages that are never blocked: hotlines, sex education, anti-bullying and safety advice.

Children have a right to help. These domains (and their subdomains) are allowed by every
profile, whatever a list or the classifier says, and even in offline windows.
"""

from __future__ import annotations

from .urls import host_suffixes

HELP_DOMAINS: frozenset[str] = frozenset(
    {
        # Vietnam: the national child-protection hotline 111 and child-rights bodies
        "tongdai111.vn",
        "treem.gov.vn",
        "molisa.gov.vn",
        "unicef.org",
        "savethechildren.org",
        "plan-international.org",
        # International child helplines and crisis lines
        "childhelplineinternational.org",
        "childline.org.uk",
        "kidshelpphone.ca",
        "988lifeline.org",
        "befrienders.org",
        "findahelpline.com",
        # Anti-bullying and online-safety advice
        "stopbullying.gov",
        "cybertip.ca",
        "missingkids.org",
        "iwf.org.uk",
        "internetmatters.org",
        # Health and sex education for young people
        "who.int",
        "kidshealth.org",
        "plannedparenthood.org",
        "amaze.org",
    }
)


def is_help_site(host: str) -> bool:
    return any(suffix in HELP_DOMAINS for suffix in host_suffixes(host))
