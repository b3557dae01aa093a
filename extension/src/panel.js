// The toolbar panel: the page's title, the library's themes (from Curator, through the
// native host), tags, type and why it matters; then the page as the expert sees it.
import { HOST, buildClipMessage, describeAnswer, panelChoices } from "./clip.js";

const api = globalThis.chrome ?? globalThis.browser; // Firefox has both; its chrome.* takes callbacks
const $ = (id) => document.getElementById(id);

function ask(message) {
  return new Promise((resolve) => {
    api.runtime.sendNativeMessage(HOST, message, (answer) => {
      resolve({ answer, error: api.runtime.lastError });
    });
  });
}

function say(said) {
  $("said").textContent = said.text;
  $("said").className = said.ok ? "" : "problem";
}

async function activeTab() {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab;
}

async function capture(tab) {
  const [result] = await api.scripting.executeScript({
    target: { tabId: tab.id },
    func: () => ({
      url: location.href,
      title: document.title,
      html: document.documentElement.outerHTML,
      selection: String(getSelection() || ""),
    }),
  });
  return result.result;
}

async function loadChoices() {
  const { answer, error } = await ask({ type: "themes" });
  const hint = $("themes-hint");
  if (error || !answer || !answer.ok) {
    hint.textContent = describeAnswer(answer, error).text;
    return;
  }
  const choices = panelChoices(answer);
  hint.remove();
  for (const theme of choices.themes) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = theme.code;
    label.append(box, ` ${theme.name}`);
    $("themes").append(label);
  }
  for (const type of choices.types) {
    const option = document.createElement("option");
    option.value = type;
    option.textContent = type[0].toUpperCase() + type.slice(1);
    $("kind").append(option);
  }
}

async function start() {
  const tab = await activeTab();
  $("title").value = tab && tab.title ? tab.title : "";
  loadChoices();
  $("clip").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("send").disabled = true;
    say({ ok: true, text: "Sending the page to Curator…" });
    try {
      const page = await capture(tab);
      const message = buildClipMessage(page, {
        title: $("title").value,
        themes: [...document.querySelectorAll("#themes input:checked")].map((b) => b.value),
        tags: $("tags").value,
        kind: $("kind").value,
        note: $("note").value,
        access: $("login").checked ? "login" : undefined,
      });
      const { answer, error } = await ask(message);
      say(describeAnswer(answer, error));
    } catch (problem) {
      say({ ok: false, text: String(problem.message || problem) });
    } finally {
      $("send").disabled = false;
    }
  });
}

start();
