// node --test extension/test: the messages the extension sends, without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  HOST, MAX_MESSAGE_BYTES, ClipProblem, buildClipMessage, describeAnswer, panelChoices, splitTags,
} from "../src/clip.js";

const page = {
  url: "https://partner.example/article",
  title: "Staying alongside families",
  html: "<html><body><p>Signed-in text</p></body></html>",
  selection: "  a key passage ",
};

test("a page's clip carries its address, HTML, selection and the panel's choices", () => {
  const m = buildClipMessage(page, {
    id: "c1", title: " Staying alongside ", themes: ["DA"], tags: "partner, , fathers ",
    kind: "guidance", note: " Good ", access: "login",
  });
  assert.deepEqual(m, {
    type: "clip", id: "c1", url: page.url, title: "Staying alongside", themes: ["DA"],
    tags: ["partner", "fathers"], kind: "guidance", note: "Good", selection: "a key passage",
    html: page.html, access: "login",
  });
});

test("a link is clipped by its address: no HTML, and the title falls back to the page's", () => {
  const m = buildClipMessage({ url: "https://example.org/x", title: "Link text" });
  assert.equal(m.html, undefined);
  assert.equal(m.title, "Link text");
  assert.equal(m.access, undefined);
  assert.equal(m.kind, null);
});

test("pages that are not web pages, or have no address, are refused before sending", () => {
  assert.throws(() => buildClipMessage({ url: "" }), ClipProblem);
  assert.throws(() => buildClipMessage({ url: "chrome://settings" }), /http:\/\/ or https:\/\//);
  assert.throws(() => buildClipMessage({ url: "file:///C:/notes.html" }), ClipProblem);
  assert.throws(() => buildClipMessage({ url: "javascript:alert(1)" }), ClipProblem);
});

test("a page over 20 MB is refused with its size", () => {
  const html = "x".repeat(MAX_MESSAGE_BYTES + 10);
  assert.throws(() => buildClipMessage({ url: "https://example.org/", html }), /20\.0 MB/);
});

test("answers and failures become words for a person", () => {
  assert.deepEqual(describeAnswer({ ok: true, message: "Clipped “A”." }), { ok: true, text: "Clipped “A”." });
  assert.deepEqual(describeAnswer({ ok: false, error: "locked", message: "Busy." }), { ok: false, text: "Busy." });
  const missing = describeAnswer(undefined, { message: "Specified native messaging host not found." });
  assert.equal(missing.ok, false);
  assert.match(missing.text, /cannot reach Curator/);
  assert.equal(describeAnswer(undefined, undefined).ok, false);
});

test("the panel's choices keep only well-formed themes and types", () => {
  const c = panelChoices({ ok: true, themes: [{ code: "DA", name: "Domestic abuse" }, { name: "x" }, null],
                           types: ["research", 3] });
  assert.deepEqual(c, { themes: [{ code: "DA", name: "Domestic abuse" }], types: ["research"] });
  assert.deepEqual(panelChoices(undefined), { themes: [], types: [] });
});

test("tags split on commas and the host name matches Curator's manifests", () => {
  assert.deepEqual(splitTags(" a,b ,,c "), ["a", "b", "c"]);
  assert.equal(HOST, "curator.clip");
});
