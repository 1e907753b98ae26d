// Issue 22, "history and reload", the opt-in part: with "Keep my files on
// this computer" ticked, the loaded files are kept in the browser's private
// file system (OPFS, which persists within a browser context), so a reload
// opens the same figures without dropping anything; "Forget my files", or
// unticking, deletes them; without the tick a reload starts empty.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { cliReport, launch, pageMetrics, root, serveDist } from './harness.mjs';

const PAGE_ONLY = new Set(['parse_ms', 'analyze_ms', 'render_ms']);
const orders = join(root, 'assets/sample/orders.csv');
const survey = join(root, 'assets/sample/survey.csv');
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

async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const crashes = [];
  page.on('pageerror', (e) => crashes.push(e.message));
  page.on('console', (m) => m.type() === 'error' && crashes.push(m.text()));
  // Leaving with data loaded asks first: yes.
  page.on('dialog', (d) => d.accept());
  await page.goto(site.url);
  await page.waitForSelector('[data-testid=drop-zone]');
  return { page, crashes, context };
}

async function figures(page) {
  const shown = await pageMetrics(page);
  for (const id of PAGE_ONLY) delete shown[id];
  return shown;
}

async function assertFigures(page, expected) {
  const deadline = Date.now() + 30_000;
  let shown;
  while (Date.now() < deadline) {
    shown = await figures(page);
    const idle = (await page.locator('[data-testid=progress]').count()) === 0;
    if (idle && isDeepStrictEqual(shown, expected.metrics)) return;
    await page.waitForTimeout(200);
  }
  assert.deepEqual(shown, expected.metrics);
}

async function loadBoth(page) {
  await page.setInputFiles('[data-testid=file-input]', [orders, survey]);
  await assertFigures(page, cliReport(orders, survey));
}

/** Reloads (a click first: browsers ask before leaving only after one). */
async function reload(page) {
  await page.click('h1');
  await page.reload();
  await page.waitForSelector('[data-testid=drop-zone]');
}

async function assertEmpty(page) {
  // Give a restore, were there one, the time to show its files.
  await page.waitForTimeout(1500);
  assert.equal(await page.locator('[data-testid=loaded-file]').count(), 0);
  assert.equal(await page.locator('p.empty').count(), 1);
  assert.deepEqual(await figures(page), {});
}

/** The kept copies' names in OPFS (the index is written after the files). */
async function keptNames(page) {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    try {
      const dir = await root.getDirectoryHandle('loyalty-lens-kept');
      const index = await (await dir.getFileHandle('index.json')).getFile();
      return JSON.parse(await index.text()).map((e) => e.name);
    } catch {
      return [];
    }
  });
}

async function waitKept(page, names) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && !isDeepStrictEqual(await keptNames(page), names)) await page.waitForTimeout(100);
  assert.deepEqual(await keptNames(page), names);
}

test('kept files reopen after a reload; "forget my files" deletes them', async () => {
  const { page, crashes, context } = await openPage();
  assert.equal(await page.locator('[data-testid=keep-files]').count(), 0, 'no box on the empty start page');
  await loadBoth(page);
  const keep = page.locator('[data-testid=keep-files]');
  assert.equal(await keep.isEnabled(), true, 'Chromium has OPFS');
  assert.equal(await keep.isChecked(), false, 'opt-in: off at first');
  await keep.check();
  await waitKept(page, ['orders.csv', 'survey.csv']);

  await reload(page);
  await assertFigures(page, cliReport(orders, survey));
  assert.deepEqual(
    await page.$$eval('[data-testid=loaded-file]', (els) => els.map((e) => e.dataset.file)),
    ['orders.csv', 'survey.csv'],
  );
  assert.equal(await page.locator('[data-testid=keep-files]').isChecked(), true, 'the choice is remembered');

  // Removing a file is kept too.
  await page.click('[data-testid=remove-file][data-file="survey.csv"]');
  await waitKept(page, ['orders.csv']);
  await assertFigures(page, cliReport(orders));

  await page.click('[data-testid=forget-files]');
  assert.equal(await page.locator('[data-testid=keep-files]').isChecked(), false);
  await waitKept(page, []);
  await reload(page);
  await assertEmpty(page);
  assert.deepEqual(crashes, []);
  await context.close();
});

test('without the tick, or once unticked, a reload starts empty', async () => {
  const { page, crashes, context } = await openPage();
  await loadBoth(page);
  await reload(page);
  await assertEmpty(page);

  await loadBoth(page);
  const keep = page.locator('[data-testid=keep-files]');
  await keep.check();
  await waitKept(page, ['orders.csv', 'survey.csv']);
  await keep.uncheck();
  await waitKept(page, []);
  await reload(page);
  await assertEmpty(page);
  assert.deepEqual(crashes, []);
  await context.close();
});
