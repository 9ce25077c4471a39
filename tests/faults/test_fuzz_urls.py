"""Hypothesis on URL normalisation: any text a browser or a parent can type either normalises to
one stable form or is refused with a clear ValueError, never another exception.

Failures found by fuzzing are kept as explicit ``@example``s (the corpus), each with a comment.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiteguard.proxy.urls import InvalidHost, host_suffixes, is_ip_literal, normalise_host, parse_url

LABEL = st.from_regex(r"[a-zA-Z0-9_-]{1,20}", fullmatch=True)
UNICODE_LABEL = st.text(st.characters(categories=("Ll", "Lu", "Lo", "Nd", "Mn")), min_size=1, max_size=12)
HOSTS = st.one_of(
    st.lists(st.one_of(LABEL, UNICODE_LABEL), min_size=1, max_size=6).map(".".join),
    st.ip_addresses().map(str),
    st.text(max_size=80),
)
FAST = settings(max_examples=120, deadline=None)


@FAST
@given(HOSTS)
# Corpus: inputs that once needed care.
@example("xn--")  # a bare ACE prefix
@example("ẞ.vn")  # a capital sharp s, which IDNA 2003 folds to "ss"
@example("a..b")  # an empty label in the middle
@example(".")  # nothing but the root
@example("[::1")  # an unclosed bracket
@example("1.2.3.4:80")  # a port on an IPv4 literal
@example("\u3002example\u3002com")  # ideographic full stops
@example("é" * 300)  # longer than DNS allows once encoded
def test_a_host_normalises_once_or_is_refused(host: str) -> None:
    try:
        normal = normalise_host(host)
    except ValueError:  # InvalidHost is a ValueError: the one kind of refusal
        return
    assert normal == normalise_host(normal)  # idempotent: the form decisions are made on is stable
    assert normal.isascii() and normal == normal.lower() and not normal.endswith(".")
    if not is_ip_literal(normal):
        assert len(normal) <= 253
        suffixes = host_suffixes(normal)
        assert suffixes[0] == normal and all(normal.endswith(suffix) for suffix in suffixes)


URLS = st.one_of(
    st.builds("{}://{}{}{}".format, st.sampled_from(["http", "https", "HTTP", "ws", "ftp", ""]), HOSTS,
              st.sampled_from(["", ":80", ":443", ":8080", ":0", ":99999", ":x"]),
              st.text(max_size=40).map(lambda path: "/" + path)),
    st.text(max_size=120),
)


@FAST
@given(URLS)
@example("http://[::1]:8080/a?b=c")
@example("http://%41.com/")  # an escaped letter in the host
@example("https://user:pass@example.com/")  # credentials before the host
@example("http://example.com:/")  # an empty port
@example("http://ex ample.com/")  # a space inside the host
@example("http://0x7f.1/")  # an IPv4 spelled in hex
def test_a_url_parses_to_a_stable_form_or_is_refused(text: str) -> None:
    try:
        url = parse_url(text)
    except (InvalidHost, ValueError):
        return
    again = parse_url(url.text)
    assert again == url  # what the engine judges is what it would judge again
    assert url.scheme in ("http", "https", "ws", "wss") and 0 <= url.port <= 65535
    assert url.path.startswith("/")
