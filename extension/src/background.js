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

// A click on one of the menu entries; what it said is shown on the toolbar button.
async function menuClicked(info, tab) {
  let said;
  try {
    const page = info.menuItemId === "curator-link"
      ? { url: info.linkUrl, title: info.linkText || "" }
      : await capture(tab.id);
    said = await send(buildClipMessage(page, {}));
  } catch (problem) {
    said = { ok: false, text: String(problem.message || problem) };
  }
  show(tab.id, said);
  return said;
}

api.contextMenus.onClicked.addListener(menuClicked);
// Also reachable from the service worker's console, and from tests/browser/e2e: a browser
// without a screen cannot click its own menus.
globalThis.curatorMenuClicked = menuClicked;
