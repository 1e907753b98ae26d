// Issue 22: axe-core finds no serious or critical violation on any page: the
// empty start page, then every page of the loaded sample, in English and in
// Russian, with every <details> opened. axe-core comes from node_modules (no
// CDN at run time).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { chartReady, launch, serveDist } from './harness.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

let browser;
let site;

before(async () => {
  site = await serveDist('/');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.server.close();
});

/** The serious and critical violations on `page` now, as lines to print. */
async function serious(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: axePath });
  }
  const violations = await page.evaluate(async () => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}, ${v.count}×): ${v.help} — ${v.targets.join(' | ')}`);
}

async function showPage(page, id) {
  await page.click(`a[data-nav=${id}]`);
  await page.waitForSelector(`[data-page=${id}]:not([hidden])`, { timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(300);
}

test('axe-core: no serious or critical violation on any page, in English and in Russian', async () => {
  // The page's CSP allows no inline script; axe-core is the test's, not the
  // page's, so the context lets it in.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const crashes = [];
  page.on('pageerror', (e) => crashes.push(e.message));
  await page.goto(site.url);
  await page.waitForSelector('[data-testid=drop-zone]');
  const found = new Map();
  const note = (where, lines) => {
    for (const line of lines) found.set(line, [...(found.get(line) ?? []), where]);
  };
  note('start/en', await serious(page));
  await page.selectOption('select[data-testid=lang]', 'ru');
  await page.waitForTimeout(200);
  note('start/ru', await serious(page));
  await page.selectOption('select[data-testid=lang]', 'en');
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  const pages = await page.$$eval('a[data-nav]', (links) => links.map((a) => a.dataset.nav));
  assert.ok(pages.length >= 6, `pages: ${pages}`);
  for (const lang of ['en', 'ru']) {
    await page.selectOption('select[data-testid=lang]', lang);
    await page.waitForTimeout(200);
    for (const id of pages) {
      await showPage(page, id);
      note(`${id}/${lang}`, await serious(page));
    }
  }
  const report = [...found].map(([line, where]) => `${line}\n    on: ${where.join(', ')}`).join('\n');
  assert.equal(report, '', `axe-core's serious and critical violations:\n${report}`);
  assert.deepEqual(crashes, []);
});
