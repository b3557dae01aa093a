"""Every fetch has one total deadline, kept against servers that drip their answer.

The servers are real sockets on 127.0.0.1 (tests/support/servers.py RawServer, and a TLS
one made here) that send one byte at a time, each just inside the read timeout, so no
socket timeout ever fires: only the total deadline can stop them. They drip for far
longer than any bound the tests allow, so a fetch that ignored the deadline would fail
the test rather than pass by luck.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time

import pytest
import trustme

from curator.base.errors import FetchError
from curator.clipping.fetch import Fetcher, FetchSettings

DEADLINE = 2.0
#: Generous: the machine is loaded. A fetch that ignored the deadline would take 60 s.
BOUND = 20.0
DRIP_FOR = 60.0
DRIP_EVERY = 0.25


def fetcher(**kw) -> Fetcher:
    base = {"connect_timeout": 2.0, "read_timeout": 1.5, "total_timeout": DEADLINE,
            "proxy": "none"}
    base.update(kw)
    return Fetcher(FetchSettings(**base))


@pytest.fixture
def stop():
    """Set when the test ends, so a dripping handler stops at once."""
    event = threading.Event()
    yield event
    event.set()


def drip(conn: socket.socket, data: bytes, stop: threading.Event) -> None:
    """Send *data* one byte at a time, then keep dripping spaces, until told to stop."""
    ends = time.monotonic() + DRIP_FOR
    i = 0
    while not stop.is_set() and time.monotonic() < ends:
        conn.sendall(data[i:i + 1] if i < len(data) else b" ")
        i += 1
        stop.wait(DRIP_EVERY)


def drip_headers(stop):
    def handler(conn, request):
        drip(conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"a" * 5000,
             stop)
    return handler


def drip_body(stop, *, length: bool):
    def handler(conn, request):
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        head += b"Content-Length: 100000\r\n" if length else b"Connection: close\r\n"
        conn.sendall(head + b"\r\n<html><title>Slow</title><p>")
        drip(conn, b"", stop)
    return handler


def assert_too_slow(call) -> FetchError:
    start = time.monotonic()
    with pytest.raises(FetchError) as err:
        call()
    took = time.monotonic() - start
    assert err.value.kind == "timeout"
    assert "took too long to send the page (over 2 seconds). Try again later." \
        in err.value.message
    assert DEADLINE * 0.9 <= took < BOUND
    return err.value


def test_headers_dripped_a_byte_at_a_time_are_stopped_at_the_deadline(raw_server, stop):
    raw_server.handler = drip_headers(stop)
    f = fetcher()
    try:
        error = assert_too_slow(lambda: f.fetch(raw_server.url("/slow")))
    finally:
        f.close()
    assert error.message.startswith("127.0.0.1 took too long")


@pytest.mark.parametrize("length", [True, False], ids=["content-length", "until-close"])
def test_body_dripped_a_byte_at_a_time_is_stopped_at_the_deadline(raw_server, stop, length):
    # Without a length the body ends when the connection closes: cutting the connection
    # must not pass for a complete (short) page.
    raw_server.handler = drip_body(stop, length=length)
    f = fetcher()
    try:
        assert_too_slow(lambda: f.fetch(raw_server.url("/slow")))
    finally:
        f.close()


def test_the_deadline_counts_the_redirects_too(raw_server, stop):
    hops = []

    def slow_redirects(conn, request):
        hops.append(request.split(b" ")[1])
        stop.wait(0.6)
        n = len(hops)
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /hop%d\r\nContent-Length: 0\r\n"
                     b"Connection: close\r\n\r\n" % n)
    raw_server.handler = slow_redirects
    f = fetcher(max_redirects=50)
    try:
        assert_too_slow(lambda: f.fetch(raw_server.url("/hop0")))
    finally:
        f.close()
    assert 2 <= len(hops) < 10


def test_a_fast_site_is_unaffected_and_no_thread_is_left_behind(httpserver):
    httpserver.expect_request("/page").respond_with_data(b"<title>quick</title>",
                                                         content_type="text/html")
    before = threading.active_count()
    f = fetcher(total_timeout=30)
    try:
        for _ in range(5):
            assert f.fetch(httpserver.url_for("/page")).body == b"<title>quick</title>"
    finally:
        f.close()
    ends = time.monotonic() + 10
    while threading.active_count() > before and time.monotonic() < ends:
        time.sleep(0.05)
    assert threading.active_count() <= before


@pytest.fixture
def tls_drip(tmp_path, monkeypatch, stop):
    """An HTTPS server (private authority, trusted as the system store) dripping its body."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    bundle = tmp_path / "system-ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(ctx)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    conns = []

    def serve():
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except OSError:
                continue
            try:
                conn = ctx.wrap_socket(raw, server_side=True)
                conns.append(conn)
                conn.settimeout(5)
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                             b"Content-Length: 100000\r\n\r\n<p>")
                drip(conn, b"", stop)
            except OSError:
                pass
            finally:
                raw.close()
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}/slow"
    stop.set()
    thread.join(timeout=5)
    for conn in conns:
        conn.close()
    listener.close()


def test_a_secure_site_dripping_its_body_is_stopped_too(tls_drip):
    f = fetcher(use_system_certificates=True)
    try:
        assert_too_slow(lambda: f.fetch(tls_drip))
    finally:
        f.close()


def test_a_clip_from_a_dripping_site_keeps_the_link_and_the_note(library, raw_server, stop):
    raw_server.handler = drip_body(stop, length=True)
    library.fetcher.settings.total_timeout = DEADLINE
    library.fetcher.settings.read_timeout = 1.5
    start = time.monotonic()
    result = library.clip(raw_server.url("/slow-guide"), note="Good on drift in supervision.")
    assert time.monotonic() - start < BOUND
    assert not result.fetched
    assert "took too long to send the page" in result.fetch_error
    stored = library.get(result.resource.id)
    assert stored.notes == "Good on drift in supervision."
    assert stored.fetch_state == "failed"
    assert "took too long" in stored.fetch_error


def test_a_refetch_from_a_dripping_site_records_the_failure(library, raw_server, stop):
    r = library.clip(raw_server.url("/later"), note="Check this one.", fetch=False).resource
    raw_server.handler = drip_headers(stop)
    library.fetcher.settings.total_timeout = DEADLINE
    library.fetcher.settings.read_timeout = 1.5
    start = time.monotonic()
    outcome = library.refetch(r.id)
    assert time.monotonic() - start < BOUND
    assert not outcome.ok
    assert "took too long" in outcome.message
    assert "took too long" in library.get(r.id).fetch_error


def test_a_link_check_of_a_dripping_site_ends_as_a_timeout(raw_server, stop):
    from curator.review.linkcheck import LinkChecker

    raw_server.handler = drip_headers(stop)
    checker = LinkChecker(FetchSettings(connect_timeout=2.0, read_timeout=1.5,
                                        total_timeout=DEADLINE, proxy="none"), spacing=0.0)
    results = {}
    start = time.monotonic()
    try:
        checker.check([("k", raw_server.url("/slow"))],
                      lambda key, result: results.__setitem__(key, result))
    finally:
        checker.close()
    assert time.monotonic() - start < BOUND * 2  # the checker may retry a timeout once
    assert results["k"].outcome == "timeout"


@pytest.mark.parametrize("location", ["http://[::1", "http://example.org:99999/",
                                      "http://[not-an-address]/"])
def test_a_redirect_to_an_impossible_address_is_explained(raw_server, location):
    def redirect(conn, request):
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: " + location.encode() +
                     b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    raw_server.handler = redirect
    f = fetcher()
    try:
        with pytest.raises(FetchError) as err:
            f.fetch(raw_server.url("/moved"))
    finally:
        f.close()
    assert err.value.kind == "bad_address"
    assert err.value.message.startswith(
        "127.0.0.1 sent Curator to an address that is not valid")
