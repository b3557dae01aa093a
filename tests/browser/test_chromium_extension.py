"""Issue 20, done when: Debian's Chromium, headless, with the unpacked extension loaded,
clips a page behind a login into the library, while `curator clip URL` of the same page
gets only the login page and says so.

Everything is real: a local site (below) whose articles need a login cookie, the
extension as built by extension/build.py, the native host manifest written by `curator
browser install --folder` into the test's Chromium profile, `curator native-host` started
by Chromium itself through native messaging, and the library in tmp_path. The browser is
driven by tests/browser/e2e/clip_in_chromium.mjs (playwright-core from tests/a11y).

Needs node, Chromium (/usr/bin/chromium, or $CHROMIUM) and ``npm ci --prefix tests/a11y``;
skipped, saying which is missing, when they are not there (CI sets CURATOR_REQUIRE_A11Y,
and there a gap fails the test instead).
"""

from __future__ import annotations

import html
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from curator.browser import manifests
from curator.library import Library

ROOT = Path(__file__).resolve().parents[2]
A11Y = ROOT / "tests" / "a11y"
SCRIPT = Path(__file__).resolve().parent / "e2e" / "clip_in_chromium.mjs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
EXPERT = "Alex Lead"
USER, PASSWORD = "alex@council.example", "correct horse"

ARTICLE_WORDS = ("Relationship-based practice with families who are wary of services "
                 "takes time, honesty and a worker who stays. ")
SECOND_WORDS = ("Fathers are too often left out of assessments; asking about them early "
                "changes the plan. ")
PASSAGE = "asking about them early changes the plan"
GUIDE_WORDS = "Open guidance for every practitioner on recording a child's voice. "


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if not (A11Y / "node_modules" / "playwright-core").is_dir():
        return "playwright-core is not installed (run: npm ci --prefix tests/a11y)"
    return None


def _skip_or_fail(reason: str) -> None:
    """CI installs the tools and sets CURATOR_REQUIRE_A11Y, so there a gap is a failure."""
    if os.environ.get("CURATOR_REQUIRE_A11Y"):
        pytest.fail(f"the browser extension check could not run: {reason}")
    pytest.skip(reason)


def _page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html lang='en-GB'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title></head><body>{body}</body></html>"
            ).encode("utf-8")


def _article(title: str, words: str, link: bool) -> bytes:
    more = ("<p>See also <a href='/guide'>Recording the child's voice</a>.</p>"
            if link else "")
    return _page(f"{title} | Partner library",
                 f"<nav>Signed in as {html.escape(USER)} · <a href='/logout'>Sign out</a>"
                 f"</nav><article><h1>{title}</h1><p>{words * 25}</p>{more}</article>")


class PartnerSite(BaseHTTPRequestHandler):
    """A partner library: /article and /second need the login cookie (without it they
    send to /login); /guide is open to all; POST /login sets the cookie."""

    session = secrets.token_hex(16)
    pages = {
        "/article": _article("Staying alongside families", ARTICLE_WORDS, link=True),
        "/second": _article("Bringing fathers in", SECOND_WORDS, link=False),
    }

    def log_message(self, *args):  # keep the test's output quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        for key, value in {"Content-Type": "text/html; charset=utf-8",
                           "Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _signed_in(self) -> bool:
        cookies = self.headers.get("Cookie", "")
        return f"session={self.session}" in [c.strip() for c in cookies.split(";")]

    def do_GET(self):
        path = urlsplit(self.path).path
        if path in self.pages:
            if self._signed_in():
                return self._send(200, self.pages[path])
            return self._send(302, headers={"Location": f"/login?next={path}"})
        if path == "/login":
            nxt = parse_qs(urlsplit(self.path).query).get("next", ["/article"])[0]
            return self._send(200, _page("Sign in | Partner library", (
                "<h1>Sign in</h1><form method='post' action='/login'>"
                f"<input type='hidden' name='next' value='{html.escape(nxt)}'>"
                "<label>Email <input name='user'></label>"
                "<label>Password <input type='password' name='password'></label>"
                "<button type='submit'>Sign in</button></form>")))
        if path == "/guide":
            return self._send(200, _page("Recording the child's voice",
                                         f"<article><h1>Recording the child's voice</h1>"
                                         f"<p>{GUIDE_WORDS * 25}</p></article>"))
        return self._send(404, _page("Not found", "<p>Not found</p>"))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8"))
        nxt = form.get("next", ["/article"])[0]
        if form.get("user") == [USER] and form.get("password") == [PASSWORD]:
            return self._send(303, headers={
                "Location": nxt if nxt in self.pages else "/article",
                "Set-Cookie": f"session={self.session}; Path=/; HttpOnly; SameSite=Lax"})
        return self._send(303, headers={"Location": f"/login?next={nxt}"})


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PartnerSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _run(args: list[str], env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=timeout)


def _resource_at(lib: Library, url: str):
    found = [r for r in lib.list(limit=100) if r.url == url]
    assert len(found) == 1, [r.url for r in lib.list(limit=100)]
    return found[0]


@pytest.mark.slow
def test_chromium_clips_a_page_behind_a_login_that_curator_clip_cannot(tmp_path, site):
    reason = _missing()
    if reason:
        _skip_or_fail(reason)
    folder, profile, config = tmp_path / "lib", tmp_path / "chromium", tmp_path / "config"
    with Library.open(folder) as lib:
        lib.act_as(EXPERT)
    env = dict(os.environ, CURATOR_CONFIG_DIR=str(config), CURATOR_EXPERT=EXPERT,
               HOME=str(tmp_path / "home"), CHROMIUM=CHROMIUM)

    # The extension unpacked, and the host manifest where this Chromium profile reads it.
    built = _run([sys.executable, str(ROOT / "extension" / "build.py"),
                  "--unpacked", str(tmp_path / "extension")], env)
    assert built.returncode == 0, built.stderr
    installed = _run([sys.executable, "-m", "curator", "--library", str(folder), "browser",
                      "install", "--browser", "chromium", "--folder",
                      str(profile / "NativeMessagingHosts")], env)
    assert installed.returncode == 0, installed.stderr
    host = json.loads((profile / "NativeMessagingHosts" / "curator.clip.json").read_text())
    assert host["allowed_origins"] == [f"chrome-extension://{manifests.extension_id()}/"]

    article, second = f"{site}/article", f"{site}/second"
    shot = os.environ.get("CURATOR_PANEL_SCREENSHOT")  # docs/screenshots/browser-panel.png
    plan = {
        "chromium": CHROMIUM, "extension": str(tmp_path / "extension"),
        "profile": str(profile), "extensionId": manifests.extension_id(),
        "article": article, "second": second,
        "user": USER, "password": PASSWORD, "passage": PASSAGE,
        "panel": {"themes": ["DA", "NEG"], "tags": "partner library, engagement",
                  "kind": "practice tool", "login": True,
                  "note": "Practical on staying alongside families who avoid services."},
        "screenshot": str(Path(shot).resolve()) if shot else None,
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    done = _run(["node", str(SCRIPT), str(tmp_path / "plan.json")], env, timeout=150)
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout)

    # In the browser: the article sent to the login page until the expert signed in.
    assert report["beforeLogin"].startswith("Sign in")
    assert report["afterLogin"].startswith("Staying alongside families")
    panel = report["panel"]
    assert panel["titleShown"] == "Staying alongside families | Partner library"
    assert {"DA", "NEG"} <= set(panel["themesListed"])  # the library's, via the host
    assert not panel["problem"], panel
    assert panel["text"].startswith("Clipped “Staying alongside families | Partner library”")
    assert "needs a login" in panel["text"]
    for said in (report["menuLink"], report["menuPage"]):
        assert said["ok"] and said["badge"] == "✓" and said["title"] == said["text"], said
    assert report["menuLink"]["text"].startswith("Clipped “Recording the child's voice”")
    assert "needs a login" in report["menuPage"]["text"]

    with Library.open(folder, create=False) as lib:
        # The panel: the signed-in text, the panel's choices, access 'login'.
        res = _resource_at(lib, article)
        assert "a worker who stays" in lib.text(res.id)
        assert (res.themes, sorted(res.tags), res.type) == (
            ["DA", "NEG"], ["engagement", "partner library"], "practice tool")
        assert "staying alongside families who avoid services" in res.notes
        seen = lib.browser_access(res.id)
        assert seen["access"] == "login" and seen["captured_at"]
        # The page menu: nothing ticked, so Curator asked the site and was sent to log in.
        res2 = _resource_at(lib, second)
        assert "changes the plan" in lib.text(res2.id)
        assert res2.summary == PASSAGE
        assert lib.browser_access(res2.id)["access"] == "login"
        # The link menu: clipped by address, fetched by Curator, an open page.
        guide = _resource_at(lib, report["linkUrl"])
        assert "recording a child's voice" in lib.text(guide.id)
        assert lib.browser_access(guide.id) == {"access": None, "captured_at": None}
        assert len(lib.list(limit=100)) == 3

    # `curator clip` of the same page, without the browser's login: the login page only.
    other = tmp_path / "other"
    clipped = _run([sys.executable, "-m", "curator", "--library", str(other), "--json",
                    "clip", article], env)
    assert clipped.returncode == 0, clipped.stderr
    assert "showed Curator its login page" in clipped.stderr
    answer = json.loads(clipped.stdout)
    with Library.open(other, create=False) as lib:
        res = lib.get(answer["id"])
        assert res.title.startswith("Sign in")
        assert "a worker who stays" not in lib.text(res.id)
        assert lib.browser_access(res.id)["access"] is None


def test_a_folder_of_its_own_takes_one_browsers_manifest(tmp_path):
    done = manifests.install(["chromium"], own=tmp_path / "config", platform="linux",
                             folder=tmp_path / "profile" / "NativeMessagingHosts",
                             command=["/opt/curator/curator"])
    assert [d.manifest for d in done] == [
        tmp_path / "profile" / "NativeMessagingHosts" / "curator.clip.json"]
    launcher = json.loads(done[0].manifest.read_text())["path"]
    assert launcher == str(tmp_path / "config" / "browser" / "curator-native-host")
    with pytest.raises(ValueError):
        manifests.install(["chrome", "firefox"], own=tmp_path / "config", folder=tmp_path)
    env = dict(os.environ, CURATOR_CONFIG_DIR=str(tmp_path / "config2"))
    refused = _run([sys.executable, "-m", "curator", "browser", "install", "--folder",
                    str(tmp_path / "two")], env)
    assert refused.returncode == 1
    assert "--folder holds the manifest of one browser" in refused.stderr
    assert not (tmp_path / "two").exists() and not (tmp_path / "config2").exists()
