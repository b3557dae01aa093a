"""Web addresses lose user names, passwords, trackers and a person's details before they
are stored or shared; what says which page it is stays exactly as written."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.catalogue.urls import check_url, normalise_url, public_url

HOSTILE = ("https://jo.bloggs:s3cret@www.example.org/report?id=123&nhs=9434765919"
           "&email=jo.bloggs%40gmail.com&dob=01-02-2010&utm_source=news&fbclid=abc"
           "&First-Name=Jo&surname=Bloggs&gclid=x&page=2#section")


def test_credentials_and_identity_parameters_never_reach_the_stored_address():
    checked = check_url(HOSTILE)
    assert checked.url == "https://www.example.org/report?id=123&page=2#section"
    assert any("user name or password" in w for w in checked.warnings)
    assert any("a person's details" in w for w in checked.warnings)


@pytest.mark.parametrize("url", [
    "https://example.org/a?id=123", "https://example.org/a?ID=123&b=%20x&c",
    "https://example.org/search?q=neglect+toolkit&page=2", "https://example.org/p?b=2&a=1",
    "https://example.org/a?ref=x", "https://example.org/doc#page=4",
])
def test_parameters_that_name_the_page_stay_untouched(url):
    assert check_url(url).url == url
    assert check_url(url).warnings == []
    assert public_url(url) == url


@pytest.mark.parametrize("name", ["utm_source", "UTM_Campaign", "fbclid", "gclid", "email",
                                  "E-mail", "nhs", "NHS_number", "dob", "date_of_birth",
                                  "name", "first_name", "postcode", "phone", "password",
                                  "token", "access_token", "username"])
def test_each_tracking_or_identity_parameter_goes(name):
    url = f"https://example.org/a?id=7&{name}=value"
    assert check_url(url).url == "https://example.org/a?id=7"
    assert public_url(url) == "https://example.org/a?id=7"


def test_a_fragment_carrying_a_token_loses_it():
    assert check_url("https://example.org/cb#access_token=abc&state=1").url == \
        "https://example.org/cb#state=1"


def test_public_url_cleans_a_stored_address_without_checking_it():
    assert public_url(HOSTILE) == "https://www.example.org/report?id=123&page=2#section"
    assert public_url("https://u:p@example.org/") == "https://example.org/"
    assert public_url("not an address") == "not an address"
    assert public_url("http://[::1") == "http://[::1"  # unparseable: returned as it is


def test_the_duplicate_key_ignores_them_too():
    assert normalise_url(HOSTILE) == normalise_url("https://www.example.org/report?page=2&id=123")


@given(st.from_regex(r"https://[a-z]{1,8}\.org/[a-z]{0,6}\?(id|q|page)=[a-z0-9]{1,5}"
                     r"(&(email|utm_source|name|dob|nhs|fbclid)=[a-z0-9@.]{0,8}){0,4}",
                     fullmatch=True))
def test_cleaning_keeps_the_first_parameter_and_is_idempotent(url):
    clean = check_url(url).url
    assert clean.split("&")[0] == url.split("&")[0]
    assert check_url(clean).url == clean and public_url(clean) == clean
