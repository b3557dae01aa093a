import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.base.errors import InvalidURL
from curator.catalogue.urls import MAX_URL_LENGTH, check_url, normalise_url, same_page_keys


@pytest.mark.parametrize("text", [
    "javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)", "  javascript:",
    "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
    "FILE:///C:/Windows", "\\\\server\\share\\doc.pdf", "C:\\Users\\x\\doc.pdf",
    "ftp://files.example.org/a.pdf", "mailto:someone@example.org", "", "   ",
    "not a url at all", "http://", "https:///path-only",
])
def test_unsafe_or_unusable_addresses_are_rejected_with_a_reason(text):
    with pytest.raises(InvalidURL) as err:
        check_url(text)
    assert err.value.message  # a sentence the person can read
    assert "Traceback" not in err.value.message


def test_schemeless_address_is_taken_as_https():
    assert check_url("www.gov.uk/guidance/x").url == "https://www.gov.uk/guidance/x"


def test_mixed_script_host_is_shown_as_punycode_with_a_warning():
    checked = check_url("https://\u0430pple.com/login")  # Cyrillic a
    assert checked.url.startswith("https://xn--")
    assert checked.warnings and "mixes alphabets" in checked.warnings[0]


def test_plain_international_host_has_no_warning():
    checked = check_url("https://münchen.de/")
    assert checked.url == "https://xn--mnchen-3ya.de/"
    assert checked.warnings == []


def test_long_url_accepted_and_huge_url_rejected_quickly():
    long_url = "https://example.org/search?q=" + "a" * (8000 - 29)
    assert len(long_url) == 8000
    assert check_url(long_url).url == long_url
    with pytest.raises(InvalidURL, match="characters long"):
        check_url("https://example.org/?q=" + "b" * 100_000)
    assert MAX_URL_LENGTH < 100_000


@pytest.mark.parametrize("a,b", [
    ("HTTPS://Example.ORG:443/Guidance/?utm_source=news&b=2&a=1#top",
     "https://example.org/Guidance?a=1&b=2"),
    ("http://example.org:80/a/b/", "http://example.org/a/b"),
    ("https://example.org", "https://example.org/"),
    ("https://example.org/a?fbclid=123&gclid=9", "https://example.org/a"),
    ("https://example.org/%7euser/", "https://example.org/~user"),
    ("https://example.org:8443/x", "https://example.org:8443/x"),
])
def test_normalisation_makes_one_key_per_page(a, b):
    assert normalise_url(check_url(a).url) == normalise_url(check_url(b).url)


def test_http_and_https_versions_are_the_same_page():
    keys = same_page_keys("http://example.org/a")
    assert "https://example.org/a" in keys


@given(st.text(max_size=300))
def test_check_url_never_fails_unexpectedly(text):
    try:
        checked = check_url(text)
    except InvalidURL:
        return
    assert checked.url.startswith(("http://", "https://"))
    normalise_url(checked.url)


@given(st.from_regex(r"https?://[a-z]{1,10}\.(org|com|uk)(:[0-9]{2,4})?(/[a-zA-Z0-9_~%.-]{0,8}){0,4}"
                     r"/?(\?[a-z]{1,5}=[a-z0-9]{0,5}(&[a-z_]{1,6}=[a-z0-9]{0,5}){0,3})?(#[a-z]*)?",
                     fullmatch=True))
def test_normalisation_is_idempotent(url):
    key = normalise_url(check_url(url).url)
    assert normalise_url(key) == key
