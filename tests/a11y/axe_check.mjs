#!/usr/bin/env node
// Check HTML files against the WCAG 2.2 AA rules of axe-core in a real headless Chromium.
//
//   node tests/a11y/axe_check.mjs FILE.html [FILE.html ...]
//
// Prints a JSON report ({"files": [{"file", "violations": [...]}]}) on stdout and exits
// 0 when no rule is violated, 1 when any is, 2 when the check itself could not run.
// The browser is the system's Chromium (CHROMIUM env var, else /usr/bin/chromium); it
// gets no network, and pages are loaded from disk.

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [1280, 320]; // desktop, and the 320 CSS px of WCAG's reflow criterion

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node axe_check.mjs FILE.html [FILE.html ...]');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}`);
  process.exit(2);
}

const args = [
  '--headless', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-extensions',
];
// Chromium's sandbox cannot start as root (containers, CI); everything loaded is local.
if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');

const browser = await chromium.launch({ executablePath, headless: true, args });
let failed = false;
const report = { tags: TAGS, files: [] };
try {
  for (const file of files) {
    const url = pathToFileURL(resolve(file)).href;
    const entry = { file, violations: [] };
    for (const width of WIDTHS) {
      // The pages forbid scripts by Content-Security-Policy; only axe itself may run.
      const context = await browser.newContext({
        bypassCSP: true, javaScriptEnabled: true, offline: true,
        viewport: { width, height: 900 },
      });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'load' });
      await page.addScriptTag({ path: AXE_SOURCE });
      const result = await page.evaluate(async (tags) => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { runOnly: { type: 'tag', values: tags },
                                            resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
          nodes: v.nodes.slice(0, 10).map((n) => ({ target: n.target, html: n.html,
                                                    summary: n.failureSummary })),
        }));
      }, TAGS);
      for (const v of result) entry.violations.push({ viewport: width, ...v });
      await context.close();
    }
    if (entry.violations.length) failed = true;
    report.files.push(entry);
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report, null, 2));
process.exit(failed ? 1 : 0);
