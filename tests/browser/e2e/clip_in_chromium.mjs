#!/usr/bin/env node
// Clip pages behind a login from a real Chromium with the unpacked Curator extension loaded
// (issue 20's end-to-end check; tests/browser/test_chromium_extension.py runs it).
//
//   node tests/browser/e2e/clip_in_chromium.mjs PLAN.json
//
// PLAN.json: {"chromium", "extension" (the unpacked folder), "profile" (a fresh Chromium
// user-data-dir whose NativeMessagingHosts holds Curator's host manifest), "extensionId",
// "article", "second" (two pages that need the login; the first sends to a login form),
// "user", "password", "passage" (words on the second page to select), "panel" (what to
// fill in the panel), "screenshot" (optional: where to save the panel, filled in and
// showing Curator's answer)}.
//
// Prints a JSON report on stdout: what the panel and the two menu entries said. Exits 0
// when every step ran, 2 (with the reason on stderr) when one could not.
//
// Headless Chromium has no toolbar or menus to click. The toolbar button is pressed with
// the DevTools call Extensions.triggerAction, which does what a click does: opens the
// panel (panel.html) for the tab and gives the extension that tab (activeTab). A menu
// entry is clicked by calling the service worker's handler with what a click passes.

import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';

// playwright-core comes from the accessibility check's packages (npm ci --prefix tests/a11y).
const require = createRequire(new URL('../../a11y/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const plan = JSON.parse(readFileSync(process.argv[2], 'utf-8'));
const STEP_MS = 20000; // each condition waited on (a native host start, a clip)

async function until(what, check, ms = STEP_MS) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out (${ms} ms) waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Raw DevTools calls into a target Playwright does not show as a page (the panel).
class Target {
  constructor(browserSession, sessionId) {
    this.session = browserSession;
    this.sessionId = sessionId;
    this.next = 0;
    this.waiting = new Map();
    browserSession.on('Target.receivedMessageFromTarget', (event) => {
      if (event.sessionId !== this.sessionId) return;
      const message = JSON.parse(event.message);
      const done = this.waiting.get(message.id);
      if (!done) return;
      this.waiting.delete(message.id);
      if (message.error) done.reject(new Error(`${message.error.message}`));
      else done.resolve(message.result);
    });
  }

  static async attach(browserSession, targetId) {
    const { sessionId } = await browserSession.send('Target.attachToTarget',
      { targetId, flatten: false });
    return new Target(browserSession, sessionId);
  }

  call(method, params = {}) {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.session.send('Target.sendMessageToTarget',
        { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) })
        .catch(reject);
    });
  }

  // Run fn(arg) in the page; its (JSON) result.
  async run(fn, arg = null) {
    const { result, exceptionDetails } = await this.call('Runtime.evaluate', {
      expression: `(${fn})(${JSON.stringify(arg)})`, awaitPromise: true, returnByValue: true,
    });
    if (exceptionDetails) {
      throw new Error(exceptionDetails.exception?.description || exceptionDetails.text);
    }
    return result.value;
  }

  async click(selector) {
    const box = await this.run((sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }, selector);
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.call('Input.dispatchMouseEvent', { type, ...box, button: 'left', clickCount: 1 });
    }
  }
}

async function tabTarget(browserSession, url) {
  return until(`the tab showing ${url}`, async () => {
    const { targetInfos } = await browserSession.send('Target.getTargets',
      { filter: [{ type: 'tab' }] });
    return targetInfos.find((t) => t.url === url);
  });
}

async function panelTargets(browserSession) {
  const { targetInfos } = await browserSession.send('Target.getTargets');
  return targetInfos.filter((t) => t.type === 'page' &&
    t.url === `chrome-extension://${plan.extensionId}/panel.html`);
}

// Press the toolbar button on the tab showing *url*; the panel it opens.
async function pressToolbarButton(browserSession, url) {
  const before = new Set((await panelTargets(browserSession)).map((t) => t.targetId));
  const tab = await tabTarget(browserSession, url);
  await browserSession.send('Extensions.triggerAction', { id: plan.extensionId,
                                                          targetId: tab.targetId });
  return until('the panel to open', async () =>
    (await panelTargets(browserSession)).find((t) => !before.has(t.targetId)));
}

async function clipThroughThePanel(browserSession) {
  const opened = await pressToolbarButton(browserSession, plan.article);
  const panel = await Target.attach(browserSession, opened.targetId);
  // Ready when the library's themes (asked of Curator through the native host) are listed.
  const loaded = await until('the panel to list the library\'s themes', () => panel.run(() => {
    if (document.readyState !== 'complete') return null;
    const boxes = document.querySelectorAll('#themes input');
    const hint = document.getElementById('themes-hint');
    if (!boxes.length && !(hint && !hint.textContent.startsWith('Loading'))) return null;
    return { themes: [...boxes].map((b) => b.value), hint: hint ? hint.textContent : null,
             title: document.getElementById('title').value };
  }));
  if (!loaded.themes.length) throw new Error(`the panel listed no themes: ${loaded.hint}`);
  const typed = plan.panel;
  await panel.run((fill) => {
    const set = (id, value) => {
      const field = document.getElementById(id);
      field.value = value;
      field.dispatchEvent(new Event('input', { bubbles: true }));
      field.dispatchEvent(new Event('change', { bubbles: true }));
    };
    if (fill.title) set('title', fill.title);
    set('tags', fill.tags);
    set('kind', fill.kind);
    set('note', fill.note);
    for (const box of document.querySelectorAll('#themes input')) {
      box.checked = fill.themes.includes(box.value);
    }
    document.getElementById('login').checked = Boolean(fill.login);
  }, typed);
  await panel.click('#send');
  const said = await until('the panel to show Curator\'s answer', () => panel.run(() => {
    const p = document.getElementById('said');
    const text = p.textContent;
    if (!text || text.startsWith('Sending')) return null;
    return { text, problem: p.className === 'problem' };
  }));
  if (plan.screenshot) { // the panel filled in, with Curator's answer
    const size = await panel.run(() => {
      const box = document.querySelector('main').getBoundingClientRect();
      return { width: Math.ceil(box.right), height: Math.ceil(box.bottom) };
    });
    const shot = await panel.call('Page.captureScreenshot', {
      format: 'png', captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: size.width, height: size.height, scale: 1 } });
    writeFileSync(plan.screenshot, Buffer.from(shot.data, 'base64'));
  }
  return { titleShown: loaded.title, themesListed: loaded.themes, ...said };
}

async function clickMenu(worker, info, url) {
  return worker.evaluate(async ({ info, url }) => {
    // The tab the menu was opened on (its address is readable once it is the extension's).
    const tab = (await chrome.tabs.query({})).find((t) => t.url === url);
    if (!tab) return { ok: false, text: `no tab shows ${url}` };
    const said = await globalThis.curatorMenuClicked(info, tab);
    const badge = await chrome.action.getBadgeText({ tabId: tab.id });
    const title = await chrome.action.getTitle({ tabId: tab.id });
    return { ...said, badge, title };
  }, { info, url });
}

async function main() {
  const args = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--disable-extensions-except=${plan.extension}`, `--load-extension=${plan.extension}`,
    '--enable-unsafe-extension-debugging', // lets DevTools press the toolbar button
  ];
  const context = await chromium.launchPersistentContext(plan.profile, {
    executablePath: plan.chromium, headless: true, args,
    ignoreDefaultArgs: ['--disable-extensions'], viewport: { width: 1000, height: 700 },
  });
  const report = {};
  try {
    const worker = context.serviceWorkers()[0] ||
      await context.waitForEvent('serviceworker', { timeout: STEP_MS });
    report.extensionId = new URL(worker.url()).host;
    if (report.extensionId !== plan.extensionId) {
      throw new Error(`the extension loaded as ${report.extensionId}, not ${plan.extensionId}`);
    }
    const browserSession = await context.browser().newBrowserCDPSession();

    // Sign in as the expert would: the article sends to the login form, which sets a cookie.
    const page = context.pages()[0] || await context.newPage();
    await page.goto(plan.article);
    report.beforeLogin = await page.title();
    await page.fill('input[name=user]', plan.user);
    await page.fill('input[name=password]', plan.password);
    await Promise.all([page.waitForURL(plan.article), page.click('button[type=submit]')]);
    await page.waitForSelector('article');
    report.afterLogin = await page.title();

    // 1. The toolbar button's panel, filled in and sent.
    report.panel = await clipThroughThePanel(browserSession);

    // 2. "Clip link to Curator" on a link in the article: clipped by its address.
    const link = await page.$eval('article a', (a) => ({ url: a.href }));
    report.linkUrl = link.url;
    report.menuLink = await clickMenu(worker, {
      menuItemId: 'curator-link', linkUrl: link.url, pageUrl: plan.article, frameId: 0,
      editable: false }, plan.article);

    // 3. "Clip to Curator" on a second signed-in page, with a passage selected. A real menu
    // click gives the extension the tab; here the toolbar button does (its panel closed).
    const second = await context.newPage();
    await second.goto(plan.second);
    await second.waitForSelector('article');
    const selected = await second.evaluate((words) => {
      const paragraph = [...document.querySelectorAll('article p')]
        .find((p) => p.textContent.includes(words));
      const text = paragraph.firstChild;
      const start = text.textContent.indexOf(words);
      const range = document.createRange();
      range.setStart(text, start);
      range.setEnd(text, start + words.length);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      return String(getSelection());
    }, plan.passage);
    const granted = await pressToolbarButton(browserSession, plan.second);
    await browserSession.send('Target.closeTarget', { targetId: granted.targetId });
    report.menuPage = await clickMenu(worker, {
      menuItemId: 'curator-page', pageUrl: plan.second, frameId: 0, editable: false,
      selectionText: selected }, plan.second);
  } finally {
    await context.close();
  }
  console.log(JSON.stringify(report, null, 2));
}

main().then(() => process.exit(0), (problem) => {
  console.error(String(problem && problem.stack ? problem.stack : problem));
  process.exit(2);
});
