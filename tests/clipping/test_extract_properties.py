"""Property tests: extract() must never raise, whatever bytes it is given."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.clipping.extract import Extracted, extract

_TAGS = [
    "html",
    "head",
    "body",
    "title",
    "p",
    "div",
    "a",
    "script",
    "style",
    "meta",
    "article",
    "nav",
    "br",
    "table",
    "td",
    "li",
    "ul",
    "h1",
    "pre",
    "span",
    "time",
]

_fragment = st.one_of(
    st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(
        [
            '<meta property="og:title" content="T">',
            '<meta charset="bogus-charset">',
            '<meta name="author" content="By Jo">',
            '<script type="application/ld+json">{"@type":"Article","author":[{"@id":"x"}],',
            '<time datetime="2019-13-45">',
            '<link rel="canonical" href="http://[::1">',
            "<!--",
            "<![CDATA[",
            "&#xD800;",
            "&amp",
            '<div class="comments share">',
            '<p style="display:none">',
        ]
    ),
    st.text(max_size=40),
)

_html = st.lists(_fragment, max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    html=_html,
    cut=st.integers(min_value=0, max_value=5000),
    content_type=st.sampled_from(
        [
            None,
            "text/html",
            "text/html; charset=utf-8",
            "text/html; charset=x-unknown",
            "application/xhtml+xml",
        ]
    ),
)
def test_random_and_truncated_html_never_raises(
    html: str, cut: int, content_type: str | None
) -> None:
    body = html.encode("utf-8", errors="surrogatepass")
    for data in (body, body[:cut]):
        ex = extract(data, "https://example.org/page", content_type)
        assert isinstance(ex, Extracted)
        assert ex.size == len(data)
        assert isinstance(ex.text, str)
        assert all(isinstance(a, str) for a in ex.authors)


@settings(max_examples=100, deadline=None)
@given(
    body=st.binary(max_size=3000),
    content_type=st.sampled_from(
        [
            None,
            "text/html",
            "application/pdf",
            "image/png",
            "application/octet-stream",
            "text/plain",
        ]
    ),
)
def test_random_bytes_never_raise(body: bytes, content_type: str | None) -> None:
    ex = extract(body, "https://example.org/x", content_type)
    assert isinstance(ex, Extracted)
    assert ex.kind in ("html", "pdf", "other")
    assert ex.size == len(body)


@settings(max_examples=40, deadline=None)
@given(prefix=st.binary(max_size=200))
def test_random_pdf_like_bytes_never_raise(prefix: bytes) -> None:
    ex = extract(b"%PDF-1.4\n" + prefix, "https://example.org/x.pdf")
    assert ex.kind == "pdf"
    assert isinstance(ex.warnings, list)
