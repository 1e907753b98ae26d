// Issue 19: a shop whose every data value is Russian, with the page set to
// Russian, shows no English word on any page: visible text (every <details>
// opened), placeholders, titles and aria-labels; and its numbers use the
// decimal comma. The allowed Latin words are the field's acronyms, file
// formats and encodings, proper names of methods and the product's name.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { artifacts, chartReady, launch, root, serveDist } from './harness.mjs';
import { buildRussianShop } from './russian_shop.mjs';

const ALLOWED = new Set(
  [
    // acronyms of the field and file formats
    'NPS', 'CSAT', 'CES', 'CLV', 'RFM', 'ABC', 'XYZ', 'BG', 'NBD', 'CSV', 'PNG', 'SVG', 'JSON', 'HTML',
    'XLSX', 'XLS', 'ODS', 'TSV', 'UTF', 'BOM', 'CRR', 'CLTV', 'MRR',
    // encodings
    'windows', 'cp', 'KOI',
    // proper names of methods and their authors
    'Kaplan', 'Meier', 'Nelder', 'Mead', 'Gamma', 'Pareto', 'Wilson', 'Fader', 'Hardie', 'Lee', 'Mantel', 'Cox',
    'BFGS', 'Greenwood', 'Fine', 'Gray', 'Aalen', 'Johansen', 'Bonferroni', 'Holm', 'Benjamini', 'Hochberg', 'Welch',
    // the language switch names English in English, as language menus do
    'English',
    // products: ours, and the spreadsheet files come from
    'Loyalty', 'Lens', 'Excel',
  ].map((w) => w.toLowerCase()),
);

let browser;
let site;
let files;

before(async () => {
  site = await serveDist('/');
  browser = await launch();
  files = buildRussianShop(join(root, 'assets/sample'), join(tmpdir(), 'loyalty-ru-shop'));
});

after(async () => {
  await browser?.close();
  site?.server.close();
});

/** The English words and decimal points in what a user sees of `page`'s `selector`. */
async function englishOn(page, selector) {
  const seen = await page.$eval(selector, (root) => {
    for (const d of root.querySelectorAll('details')) d.open = true;
    const parts = [root.innerText];
    for (const el of root.querySelectorAll('[placeholder],[title],[aria-label]')) {
      if (el.closest('[hidden]')) continue;
      for (const a of ['placeholder', 'title', 'aria-label']) {
        const v = el.getAttribute(a);
        if (v) parts.push(v);
      }
    }
    // Text marked translate="no" is the file's own writing (a date or number
    // format's example, an encoding's name), not a sentence of the page.
    let text = parts.join('\n');
    for (const el of root.querySelectorAll('[translate=no]')) {
      const own = el.textContent.trim();
      if (own) text = text.split(own).join('');
    }
    return text;
  });
  const lines = [];
  for (const line of seen.split('\n')) {
    const english = [...line.matchAll(/[A-Za-z]{2,}/g)].map((m) => m[0]).filter((w) => !ALLOWED.has(w.toLowerCase()));
    const points = [...line.matchAll(/(?<![\d.])\d+\.\d+(?![\d.])/g)].map((m) => m[0]);
    if (english.length || points.length) lines.push(`[${[...english, ...points].join(' ')}] ${line.trim().slice(0, 160)}`);
  }
  return lines;
}

test('a Russian shop on the Russian page: no English word and no decimal point on any page', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  const page = await context.newPage();
  const crashes = [];
  page.on('pageerror', (e) => crashes.push(e.message));
  await page.goto(site.url);
  await page.waitForSelector('[data-testid=drop-zone]');
  await page.selectOption('select[data-testid=lang]', 'ru');
  await page.setInputFiles('[data-testid=file-input]', files);
  await chartReady(page);
  // Each offending line once, with the pages it is on.
  const found = new Map();
  const note = (id, lines) => {
    for (const line of lines) found.set(line, [...(found.get(line) ?? []), id]);
  };
  note('start', await englishOn(page, 'body'));
  const pages = await page.$$eval('a[data-nav]', (links) => links.map((a) => a.dataset.nav));
  assert.ok(pages.length >= 6, `pages: ${pages}`);
  for (const id of pages) {
    await page.click(`a[data-nav=${id}]`);
    await page.waitForSelector(`[data-page=${id}]:not([hidden])`, { timeout: 10_000 }).catch(() => {});
    await page.waitForTimeout(300);
    note(id, await englishOn(page, 'body'));
    await page.screenshot({ path: join(artifacts, `ru-shop-${id}.png`), fullPage: true });
  }
  const report = [...found].map(([line, ids]) => `${ids.length > 3 ? 'all' : ids.join(',')}: ${line}`).join('\n');
  assert.equal(report, '', `English on the Russian page:\n${report}`);
  assert.deepEqual(crashes, []);
});

// The CLV page's notes (fit problems and caveats) in Russian too: a
// calibration end after the data's last day gives one.
test('the CLV notes on the Russian page are in Russian', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  const page = await context.newPage();
  const crashes = [];
  page.on('pageerror', (e) => crashes.push(e.message));
  await page.goto(`${site.url}#clv&calibration=2030-01-01`);
  await page.waitForSelector('[data-testid=drop-zone]');
  await page.selectOption('select[data-testid=lang]', 'ru');
  await page.setInputFiles('[data-testid=file-input]', files);
  await chartReady(page);
  await page.click('a[data-nav=clv]');
  const note = await page.waitForSelector('[data-page=clv] p.warning[data-code=calibration_end_outside_data]', { timeout: 20_000 });
  assert.match(await note.innerText(), /конец калибровки/);
  assert.deepEqual(await englishOn(page, '[data-page=clv]'), []);
  assert.deepEqual(crashes, []);
  await context.close();
});
