// The toolbar button opens panel.html; the context menu clips a link by its address, or the
// page (and the selection) as the expert sees it, straight away.
import { HOST, buildClipMessage, describeAnswer } from "./clip.js";

const api = globalThis.chrome ?? globalThis.browser; // Firefox has both; its chrome.* takes callbacks

api.runtime.onInstalled.addListener(() => {
  api.contextMenus.create({ id: "curator-page", title: "Clip to Curator", contexts: ["page", "selection"] });
  api.contextMenus.create({ id: "curator-link", title: "Clip link to Curator", contexts: ["link"] });
});

function send(message) {
  return new Promise((resolve) => {
    api.runtime.sendNativeMessage(HOST, message, (answer) => {
      resolve(describeAnswer(answer, api.runtime.lastError));
    });
  });
}

async function capture(tabId) {
  const [result] = await api.scripting.executeScript({
    target: { tabId },
    func: () => ({
      url: location.href,
      title: document.title,
      html: document.documentElement.outerHTML,
      selection: String(getSelection() || ""),
    }),
  });
  return result.result;
}

function show(tabId, said) {
  api.action.setBadgeText({ tabId, text: said.ok ? "✓" : "!" });
  api.action.setTitle({ tabId, title: said.text });
}

api.contextMenus.onClicked.addListener(async (info, tab) => {
  try {
    const page = info.menuItemId === "curator-link"
      ? { url: info.linkUrl, title: info.linkText || "" }
      : await capture(tab.id);
    show(tab.id, await send(buildClipMessage(page, {})));
  } catch (problem) {
    show(tab.id, { ok: false, text: String(problem.message || problem) });
  }
});
