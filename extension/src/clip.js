// Building the messages the extension sends to Curator's native host (curator native-host).
// Plain functions with no browser calls, so that they are tested with node (extension/test).

export const HOST = "curator.clip";
// The host refuses a message over 20 MB (curator/browser/protocol.py): say so here first.
export const MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

export class ClipProblem extends Error {}

// "a, b ,, c" -> ["a", "b", "c"]
export function splitTags(text) {
  return String(text || "")
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

export function isWebAddress(url) {
  try {
    const parsed = new URL(String(url));
    return parsed.protocol === "http:" || parsed.protocol === "https:";
  } catch {
    return false;
  }
}

// The clip request for a page as the expert sees it (or for a link: no html).
export function buildClipMessage(page, choices = {}) {
  const url = String((page && page.url) || "").trim();
  if (!url) {
    throw new ClipProblem("This tab has no web address to clip.");
  }
  if (!isWebAddress(url)) {
    throw new ClipProblem(
      "Curator clips web pages (addresses starting with http:// or https://), not this kind of page."
    );
  }
  const message = {
    type: "clip",
    id: choices.id || `clip-${Date.now()}`,
    url,
    title: String(choices.title ?? page.title ?? "").trim(),
    themes: Array.isArray(choices.themes) ? choices.themes.slice() : [],
    tags: splitTags(choices.tags),
    kind: choices.kind || null,
    note: String(choices.note || "").trim(),
    selection: String(page.selection || "").trim(),
  };
  if (page.html) {
    message.html = String(page.html);
  }
  if (choices.access === "login" || choices.access === "open") {
    message.access = choices.access;
  }
  const size = new TextEncoder().encode(JSON.stringify(message)).length;
  if (size > MAX_MESSAGE_BYTES) {
    throw new ClipProblem(
      `This page is ${(size / 1024 / 1024).toFixed(1)} MB, more than Curator takes (20 MB). ` +
        "Copy its address into Curator instead."
    );
  }
  return message;
}

// The words to show for the host's answer, or for a failure to reach it at all.
export function describeAnswer(answer, lastError) {
  if (lastError) {
    const text = String(lastError.message || lastError);
    if (/not found|not registered|forbidden|access/i.test(text)) {
      return {
        ok: false,
        text:
          "This browser cannot reach Curator yet. In Curator, see Help › User guide, " +
          "“Clip from your browser”, or ask IT to set up the Curator clipper.",
      };
    }
    return { ok: false, text: `Curator did not answer: ${text}` };
  }
  if (!answer || typeof answer !== "object") {
    return { ok: false, text: "Curator gave no answer. Nothing was saved." };
  }
  return { ok: Boolean(answer.ok), text: String(answer.message || (answer.ok ? "Done." : "Not saved.")) };
}

// The theme and type choices the panel offers, from the host's "themes" answer.
export function panelChoices(answer) {
  const themes = answer && Array.isArray(answer.themes) ? answer.themes : [];
  const types = answer && Array.isArray(answer.types) ? answer.types : [];
  return {
    themes: themes
      .filter((t) => t && typeof t.code === "string")
      .map((t) => ({ code: t.code, name: String(t.name || t.code) })),
    types: types.filter((t) => typeof t === "string"),
  };
}
