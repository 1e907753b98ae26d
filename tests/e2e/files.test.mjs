// Issue 22, points 1 and 2: files dropped one by one add up (the figures are
// the CLI's for all of them together), each can be removed or all cleared;
// each page is a history step (Back and Forward keep the data); leaving with
// data loaded asks first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { artifacts, chartReady, cliReport, dropFile, launch, pageMetrics, root, serveDist } from './harness.mjs';

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

async function openPage(lang) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'ru' ? 'ru-RU' : 'en-US' });
  const page = await context.newPage();
  const crashes = [];
  page.on('pageerror', (e) => crashes.push(e.message));
  page.on('console', (m) => m.type() === 'error' && crashes.push(m.text()));
  await page.goto(site.url);
  await page.waitForSelector('[data-testid=drop-zone]');
  await page.selectOption('select[data-testid=lang]', lang);
  return { page, crashes, context };
}

async function figures(page) {
  const shown = await pageMetrics(page);
  for (const id of PAGE_ONLY) delete shown[id];
  return shown;
}

/** The page's figures become `expected`'s (a run may still be under way) and stay so once it is done. */
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

async function loadedNames(page) {
  return page.$$eval('[data-testid=loaded-file]', (els) => els.map((e) => e.dataset.file));
}

for (const lang of ['en', 'ru']) {
  test(`files add up (${lang}): orders then the survey give the CLI figures of both; remove and clear`, async () => {
    const both = cliReport(orders, survey);
    const ordersOnly = cliReport(orders);
    assert.ok(both.metrics.nps !== undefined && both.metrics.revenue !== undefined, 'the two files give survey and purchase figures');
    const { page, crashes, context } = await openPage(lang);
    await dropFile(page, orders, 'orders.csv');
    await chartReady(page);
    await assertFigures(page, ordersOnly);
    await dropFile(page, survey, 'survey.csv');
    await assertFigures(page, both);
    assert.deepEqual(await loadedNames(page), ['orders.csv', 'survey.csv']);
    const title = await page.innerText('[data-testid=drop-title]');
    assert.match(title, lang === 'ru' ? /Загружено файлов: 2/ : /2 files loaded/);
    assert.match(title, /orders\.csv, survey\.csv/);
    // Each file's kind and rows, in the page's language.
    const survey_line = await page.innerText('[data-testid=loaded-file][data-file="survey.csv"]');
    const rows = both.files.find((f) => f.file === 'survey.csv').rows_read;
    assert.match(survey_line, lang === 'ru' ? /ответы на опрос, строк: / : /survey answers, [\d,]+ rows/);
    assert.ok(survey_line.replace(/\D/g, '').includes(String(rows)), `${survey_line} has ${rows} rows`);
    await page.screenshot({ path: join(artifacts, `files-two-${lang}.png`), fullPage: true });

    // A re-export under the same name replaces the file: no doubled rows.
    await dropFile(page, orders, 'orders.csv');
    assert.deepEqual(await loadedNames(page), ['orders.csv', 'survey.csv']);
    await assertFigures(page, both);

    // Removing the survey leaves the orders' figures.
    await page.click('[data-testid=remove-file][data-file="survey.csv"]');
    await assertFigures(page, ordersOnly);
    assert.deepEqual(await loadedNames(page), ['orders.csv']);

    // Clear all: the empty start page.
    await dropFile(page, survey, 'survey.csv');
    await assertFigures(page, both);
    await page.click('[data-testid=clear-files]');
    await page.waitForSelector('p.empty');
    assert.equal(await page.locator('[data-metric]:not([data-value=""])').count(), 0);
    assert.deepEqual(await loadedNames(page), []);
    assert.equal(await page.locator('[data-testid=clear-files]').count(), 0);
    assert.doesNotMatch(await page.innerText('[data-testid=drop-title]'), /csv/);
    // And the next drop starts a new set.
    await dropFile(page, survey, 'survey.csv');
    await assertFigures(page, cliReport(survey));
    assert.deepEqual(crashes, []);
    await context.close();
  });
}

test('removing the last file returns to the start page', async () => {
  const { page, context } = await openPage('en');
  await dropFile(page, orders, 'orders.csv');
  await assertFigures(page, cliReport(orders));
  await page.click('[data-testid=remove-file][data-file="orders.csv"]');
  await page.waitForSelector('p.empty');
  assert.equal(await page.locator('[data-metric]:not([data-value=""])').count(), 0);
  await context.close();
});

test('history: Back and Forward go from page to page with the data kept', async () => {
  const both = cliReport(orders, survey);
  const { page, crashes, context } = await openPage('en');
  await dropFile(page, orders, 'orders.csv');
  await dropFile(page, survey, 'survey.csv');
  await assertFigures(page, both);
  await page.click('a[data-nav=retention]');
  await page.waitForSelector('[data-page=retention]:not([hidden])');
  await page.click('a[data-nav=surveys]');
  await page.waitForSelector('[data-page=surveys]:not([hidden])');
  await page.goBack();
  await page.waitForSelector('[data-page=retention]:not([hidden])');
  assert.equal(new URL(page.url()).hash, '#retention');
  await chartReady(page, 'lifecycle');
  await assertFigures(page, both);
  await page.goForward();
  await page.waitForSelector('[data-page=surveys]:not([hidden])');
  assert.equal(new URL(page.url()).hash, '#surveys');
  await page.goBack();
  await page.goBack();
  await page.waitForSelector('[data-page=overview]:not([hidden])');
  await assertFigures(page, both);
  assert.deepEqual(crashes, []);
  await context.close();
});

test('leaving with data loaded asks first; with nothing loaded it does not', async () => {
  const { page, context } = await openPage('en');
  const dialogs = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.type());
    await d.accept();
  });
  // A click gives the page the user activation browsers ask for before they show the dialog.
  await page.click('a[data-nav=retention]');
  await page.reload();
  await page.waitForSelector('[data-testid=drop-zone]');
  assert.deepEqual(dialogs, [], 'no question with nothing loaded');
  await dropFile(page, orders, 'orders.csv');
  await assertFigures(page, cliReport(orders));
  await page.click('a[data-nav=overview]');
  await page.reload();
  await page.waitForSelector('[data-testid=drop-zone]');
  assert.deepEqual(dialogs, ['beforeunload']);
  // Accepted: the page reloaded, empty.
  assert.equal(await page.locator('[data-testid=loaded-file]').count(), 0);
  await context.close();
});
