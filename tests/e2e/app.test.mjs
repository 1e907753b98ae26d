// The dashboard as a user drives it, in Debian's Chromium against the built
// dist served on 127.0.0.1. Expected figures come from the CLI's JSON for the
// same file (the CLI is itself checked against awk figures in crates/*/tests).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  artifacts,
  chartReady,
  cliReport,
  dataFile,
  dropFile,
  launch,
  pageMetrics,
  shownAs,
  root,
  serveDist,
} from './harness.mjs';

const PAGE_ONLY = new Set(['parse_ms', 'analyze_ms', 'render_ms']);
const samplePath = join(root, 'assets/cdnow_sample.txt');
// What "load sample data" loads: the synthetic shop (crates/sample-gen).
const bundledSample = ['orders.csv', 'survey.csv', 'churned.csv'].map((f) => join(root, 'assets/sample', f));
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
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const crashes = [];
  page.on('pageerror', (e) => crashes.push(e.message));
  page.on('console', (m) => m.type() === 'error' && crashes.push(m.text()));
  await page.goto(site.url);
  await page.waitForSelector('[data-testid=drop-zone]');
  return { page, crashes };
}

/** Every headline figure on the page equals the CLI's, and no figure is missing. */
async function assertFiguresEqualCli(page, expected) {
  const shown = await pageMetrics(page);
  for (const id of Object.keys(shown)) if (PAGE_ONLY.has(id)) delete shown[id];
  assert.deepEqual(shown, expected.metrics);
  const date = async (field) =>
    (await page.locator(`[data-field=${field}]`).count()) ? page.getAttribute(`[data-field=${field}]`, 'data-value') : null;
  assert.equal(await date('first_date'), expected.first_date);
  assert.equal(await date('last_date'), expected.last_date);
}

test('file input: CDNOW master figures equal the CLI report, charts drawn, timings shown', async () => {
  const file = dataFile('cdnow/CDNOW_master.txt');
  const expected = cliReport(file);
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  await chartReady(page);
  await chartReady(page, 'lifecycle');
  // Every cohort of the report is a row of the heat map. A table's rows are
  // built when its page first shows, not with the page shown first.
  assert.equal(await page.locator('[data-testid=cohort-table] tbody tr').count(), 0);
  await page.click('a[data-nav=retention]');
  assert.equal(await page.locator('[data-testid=cohort-table] tbody tr').count(), expected.cohorts.cohorts.length);
  await assertFiguresEqualCli(page, expected);
  assert.equal(expected.metrics.customers, 23570); // SOURCES.md
  const timings = await pageMetrics(page);
  for (const id of PAGE_ONLY) assert.ok(timings[id] >= 0, `${id} shown`);
  // The analysis split by section: every section once, and together no more
  // than the whole analysis (the worker's clock brackets all of them).
  const sections = await page.$$eval('[data-timing]', (els) => els.map((e) => [e.dataset.timing, Number(e.dataset.value)]));
  const names = sections.map(([name]) => name);
  for (const name of ['customer_index', 'cohorts', 'clv', 'surveys', 'churn', 'assemble']) assert.ok(names.includes(name), `section ${name} listed`);
  assert.equal(new Set(names).size, names.length, 'each section listed once');
  assert.ok(sections.every(([, ms], i) => i === 0 || sections[i - 1][1] >= ms), 'slowest section first');
  const sum = sections.reduce((total, [, ms]) => total + ms, 0);
  assert.ok(sections.every(([, ms]) => ms >= 0), 'no negative section time');
  assert.ok(sum <= timings.analyze_ms + 1, `sections ${sum} ms within analysis ${timings.analyze_ms} ms`);
  assert.ok(sum >= timings.analyze_ms * 0.5, `sections ${sum} ms account for most of analysis ${timings.analyze_ms} ms`);
  await page.click('a[data-nav=overview]');
  await page.screenshot({ path: join(artifacts, 'overview-cdnow-master.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

test('drag and drop: the sample file dropped on the zone gives the CLI figures', async () => {
  const expected = cliReport(samplePath);
  const { page, crashes } = await openPage();
  await dropFile(page, samplePath, 'cdnow_sample.txt');
  await chartReady(page);
  await assertFiguresEqualCli(page, expected);
  assert.deepEqual(crashes, []);
});

test('load sample data: one click gives the bundled sample analysed', async () => {
  const expected = cliReport(...bundledSample);
  const { page, crashes } = await openPage();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  await assertFiguresEqualCli(page, expected);
  await page.screenshot({ path: join(artifacts, 'overview-sample.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

test('download report: the saved JSON is the CLI report', async () => {
  const expected = cliReport(...bundledSample);
  const { page } = await openPage();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  await page.click('a[data-nav=quality]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-report]')]);
  assert.equal(download.suggestedFilename(), 'loyalty-report.json');
  const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(saved, expected);
});

const badFiles = [
  ['empty.csv', '', /empty\.csv: the file is empty/],
  ['colours.csv', 'colour,size\nred,1\nblue,2\n', /colours\.csv: no known columns found \(columns: colour, size\)/],
  ['photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /photo\.csv: this is not a text export/],
  ['orders.csv', 'customer_id,date,amount\n1,someday,10\n2,next week,5\n', /orders\.csv: line 2, column 'date': the date 'someday' cannot be read/],
];

/** Writes `contents` as `name`, drops it on the page and gives the alert's text. */
async function dropForAlert(page, name, contents) {
  const path = join(artifacts, name);
  writeFileSync(path, contents);
  await page.setInputFiles('[data-testid=file-input]', path);
  const alert = page.locator('[role=alert][data-testid=error]');
  await alert.waitFor({ timeout: 10_000 });
  return { alert, text: await alert.innerText() };
}

test('bad input: each file gets a readable alert, and the next good file is analysed', async () => {
  const expected = cliReport(samplePath);
  const { page, crashes } = await openPage();
  for (const [name, contents, message] of badFiles) {
    const { alert, text } = await dropForAlert(page, name, contents);
    assert.match(text, message);
    // Files add up: a file that could not be read at all is not kept; one
    // without known columns stays loaded (for its mapping panel) until removed.
    const kept = name === 'colours.csv';
    assert.equal(await page.locator(`[data-testid=loaded-file][data-file="${name}"]`).count(), kept ? 1 : 0);
    if (kept) await page.click(`[data-testid=remove-file][data-file="${name}"]`);
    // The page keeps working: the next good file is analysed and the alert goes.
    await page.setInputFiles('[data-testid=file-input]', samplePath);
    await chartReady(page);
    await assertFiguresEqualCli(page, expected);
    // The sample is already loaded from the round before (files add up), so
    // its figures can show before this run ends: wait for the run's end.
    await alert.waitFor({ state: 'detached', timeout: 30_000 }).catch(() => {});
    assert.equal(await alert.count(), 0);
  }
  await page.setInputFiles('[data-testid=file-input]', join(artifacts, 'orders.csv'));
  await page.locator('[role=alert][data-testid=error]').waitFor();
  await page.screenshot({ path: join(artifacts, 'error-unreadable-dates.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

// The same files with the page in Russian: the reader's reasons are worded
// in the page's language (the English above is the CLI's own text).
const badFilesRu = [
  ['empty.csv', /empty\.csv: файл пуст/],
  ['colours.csv', /colours\.csv: не найдено известных столбцов \(столбцы: colour, size\)/],
  ['photo.csv', /photo\.csv: это не текстовая выгрузка/],
  ['orders.csv', /orders\.csv: строка 2, столбец «date»: дату «someday» не удаётся прочитать/],
];

test('bad input in Russian: each file is named, and why, in Russian', async () => {
  for (const [name, message] of badFilesRu) {
    const { page, crashes } = await openPage();
    await page.selectOption('select[data-testid=lang]', 'ru');
    const [, contents] = badFiles.find(([n]) => n === name);
    const { text } = await dropForAlert(page, name, contents);
    assert.match(text, message);
    assert.deepEqual(crashes, []);
    await page.context().close();
  }
});

test('a good and a bad file together: the good one is analysed, the bad one named', async () => {
  const expected = cliReport(samplePath);
  const { page } = await openPage();
  const bad = join(artifacts, 'colours.csv');
  writeFileSync(bad, 'colour,size\nred,1\n');
  await page.setInputFiles('[data-testid=file-input]', [samplePath, bad]);
  await chartReady(page);
  await assertFiguresEqualCli(page, expected);
  assert.match(await page.innerText('[role=alert][data-testid=error]'), /colours\.csv/);
});

test('privacy: a strict Content-Security-Policy, no violation, and no request at all after the page has loaded', async () => {
  const { page, crashes } = await openPage();
  const csp = await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
  // No inline script in the shipped page (Trunk's start script is a file).
  assert.equal(await page.locator('script:not([src])').count(), 0);
  await page.evaluate(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  // Wait until the worker is ready (its wasm fetched), then watch every request.
  await page.waitForLoadState('networkidle');
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  for (const id of ['retention', 'surveys', 'clv', 'churn', 'quality', 'overview']) await page.click(`a[data-nav=${id}]`);
  await page.selectOption('[data-testid=period]', 'week');
  await page.waitForFunction(() => /week/.test(document.querySelector('[data-metric=retention_rate] .kpi-label')?.textContent ?? ''));
  await chartReady(page);
  // The sample's three files come from the page's own folder on the click;
  // nothing else is requested.
  assert.deepEqual(requests.filter((u) => !u.startsWith(`${site.url}sample/`)), [], 'analysis, navigation and settings make no request');
  assert.ok(requests.length <= 3);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(crashes, []);
});

test('no request leaves 127.0.0.1 while loading and analysing', async () => {
  const { page } = await openPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.reload();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  const foreign = requests.filter((u) => !u.startsWith(site.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
});

for (const relative of ['ru_ecom_home_goods_orders_cp1251.csv', 'uci_online_retail.csv.gz']) {
  test(`real export ${relative}: the page's figures equal the CLI report`, async () => {
    const file = dataFile(relative);
    const expected = cliReport(file);
    const { page, crashes } = await openPage();
    await page.setInputFiles('[data-testid=file-input]', file);
    await chartReady(page);
    await assertFiguresEqualCli(page, expected);
    const timings = await pageMetrics(page);
    console.log(`${relative}: parse ${timings.parse_ms} ms, analyze ${timings.analyze_ms} ms, render ${timings.render_ms} ms`);
    await page.screenshot({ path: join(artifacts, `overview-${relative}.png`), fullPage: true });
    assert.deepEqual(crashes, []);
  });
}

test('a survey file is recognised as survey answers; purchase figures stay absent, not zero', async () => {
  const file = dataFile('prepbench_case122_airline_nps_other_airlines.csv');
  const expected = cliReport(file);
  assert.equal(expected.files[0].kind, 'survey_answers');
  // Every kind of file counts its customers (issue 18): the respondents' ids.
  assert.equal(expected.metrics.customers, expected.files[0].customers);
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  await page.locator('[data-testid=no-purchases]').waitFor();
  await assertFiguresEqualCli(page, expected);
  await page.click('a[data-nav=quality]');
  assert.match(await page.innerText('.files'), /survey answers/);
  // No purchase cards at all rather than a row of empty ones: the customers
  // figure alone.
  for (const id of ['transactions', 'orders', 'revenue', 'repeat_rate']) {
    assert.equal(await page.locator(`[data-metric=${id}]`).count(), 0, id);
  }
  assert.equal(await page.locator('[data-page=overview] [data-metric=customers]').count(), 1);
  assert.deepEqual(crashes, []);
});

test('a large file: progress shows rows and MB as they are read, and Cancel stops the run', async () => {
  const file = dataFile('uci_online_retail.csv.gz');
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  // The reading happens in the worker: the page keeps painting progress updates.
  const text = page.locator('.progress-text');
  await page.waitForFunction(() => /Reading uci_online_retail\.csv\.gz: [\d,]+ rows/.test(document.querySelector('.progress-text')?.textContent ?? ''));
  const first = await text.innerText();
  await page.waitForFunction(
    (before) => {
      const now = document.querySelector('.progress-text')?.textContent;
      return now && now !== before;
    },
    first,
  );
  const value = await page.getAttribute('progress[data-testid=progress]', 'value');
  assert.ok(Number(value) > 0, `progress value ${value}`);
  await page.click('[data-testid=cancel]');
  await page.locator('[data-testid=progress]').waitFor({ state: 'detached' });
  assert.equal(await page.locator('canvas[data-chart]').count(), 0);
  assert.equal(await page.locator('[role=alert]').count(), 0);
  // After a cancel, the next run works.
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  assert.deepEqual(crashes, []);
});

test('a workbook (XLSX, data on the second sheet below a title) gives the CLI figures', async () => {
  const file = join(root, 'tests/fixtures/superstore_500.xlsx');
  const expected = cliReport(file);
  assert.equal(expected.files[0].sheet, 'Orders');
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  await chartReady(page);
  await assertFiguresEqualCli(page, expected);
  assert.deepEqual(crashes, []);
});

test('ambiguous dates: the mapping panel asks, and the chosen reading re-reads the file', async () => {
  const path = join(artifacts, 'ambiguous.csv');
  // 03/04 and 05/06 fit month-first and day-first alike.
  writeFileSync(path, 'client,date,amount\na,03/04/2024,10\nb,05/06/2024,5\n');
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', path);
  await chartReady(page);
  await page.click('a[data-nav=quality]');
  const panel = page.locator('details.mapping');
  assert.match(await panel.locator('summary').innerText(), /the dates can be read two ways/);
  assert.equal(await page.getAttribute('[data-field=first_date]', 'data-value'), '2024-03-04');
  await panel.locator('label', { hasText: 'Dates' }).locator('select').selectOption('day_month_year_slash');
  await panel.locator('[data-testid=apply-mapping]').click();
  await page.waitForFunction(() => document.querySelector('[data-field=first_date]')?.dataset.value === '2024-04-03');
  assert.equal(await page.getAttribute('[data-field=last_date]', 'data-value'), '2024-06-05');
  await page.screenshot({ path: join(artifacts, 'mapping-panel.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

test('data quality: rejected rows listed by reason with line, column and value, shown as text', async () => {
  const path = join(artifacts, 'messy.csv');
  const payload = '<img src=x onerror="window.__pwned=1">';
  writeFileSync(path, `customer_id,date,amount\na,2024-01-01,10\n,2024-01-02,5\nb,${payload.replaceAll('"', '""').replace(/^/, '"')}",3\nc,2024-01-03,lots\n`);
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', path);
  await chartReady(page);
  await page.click('a[data-nav=quality]');
  const panel = page.locator('[data-testid=data-quality]');
  const date = panel.locator('details[data-reason=UnreadableDate]');
  assert.match(await date.locator('summary').innerText(), /1 × the date cannot be read/);
  await date.locator('summary').click();
  assert.deepEqual(await date.locator('tbody tr').first().locator('td').allInnerTexts(), ['4', 'date', payload]);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('img[src=x]').count(), 0);
  assert.match(await panel.locator('details[data-reason=MissingCustomerId] summary').innerText(), /1 × the customer id is blank/);
  assert.match(await panel.locator('details[data-reason=UnreadableAmount] summary').innerText(), /1 × the amount is not a number/);
  // The examples download as CSV for whoever owns the export: the payload
  // as plain text, its leading '<' needing no neutralising.
  const [rejected] = await Promise.all([
    page.waitForEvent('download'),
    date.locator('[data-testid=export-csv]').click(),
  ]);
  assert.equal(rejected.suggestedFilename(), 'messy-rejected-unreadabledate.csv');
  assert.deepEqual(parseCsv(readFileSync(await rejected.path(), 'utf8')), [['Line', 'Column', 'Cell'], ['4', 'date', payload]]);
  // In Russian the reasons read in Russian.
  await page.selectOption('select[data-testid=lang]', 'ru');
  assert.match(await date.locator('summary').innerText(), /^1 × дату не удалось прочитать$/);
  await page.selectOption('select[data-testid=lang]', 'en');
  assert.deepEqual(crashes, []);
});

test('a churn file: the survival chart is drawn and the median lifetime equals the CLI', async () => {
  const file = dataFile('pysurvival_saas_churn_csat.csv');
  const expected = cliReport(file);
  assert.equal(expected.metrics.km_median_months, 6);
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  await chartReady(page, 'survival');
  await assertFiguresEqualCli(page, expected);
  assert.match(await page.getAttribute('canvas[data-chart=survival]', 'aria-label'), /median lifetime: 6\.0 months/);
  await page.screenshot({ path: join(artifacts, 'survival-pysurvival.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

test('a damaged workbook that stops the reader: the page says so and the next file is analysed', async () => {
  // Found by fuzzing: calamine panics on it. In wasm a panic stops the
  // worker; the page must survive, say so, and start a new worker.
  const damaged = join(root, 'tests/fixtures/damaged_workbook.xls');
  const { page } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', damaged);
  const alert = page.locator('[role=alert][data-testid=error]');
  await alert.waitFor({ timeout: 15_000 });
  assert.match(await alert.innerText(), /stopped|damaged/);
  const expected = cliReport(samplePath);
  await page.setInputFiles('[data-testid=file-input]', samplePath);
  await chartReady(page);
  await assertFiguresEqualCli(page, expected);
});

test('surveys page: NPS with its interval, distribution, segments and comment themes equal the CLI', async () => {
  const file = dataFile('prepbench_case040_sudzilla_nps_survey.csv');
  const expected = cliReport(file);
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  await page.click('a[data-nav=surveys]');
  await page.waitForSelector('canvas[data-chart="nps_distribution"][data-ready="true"]');
  assert.ok(await page.locator('[data-page=surveys]').isVisible());
  assert.ok(!(await page.locator('[data-page=overview]').isVisible()));
  await assertFiguresEqualCli(page, expected);
  const nps = page.locator('[data-page=surveys] [data-metric=nps]');
  assert.equal(Number(await nps.getAttribute('data-ci-low')), expected.metrics.nps_ci_low);
  assert.equal(Number(await nps.getAttribute('data-ci-high')), expected.metrics.nps_ci_high);
  // A theme's comments are listed as text when it is clicked.
  const theme = page.locator('[data-testid=themes] tbody button').first();
  await theme.click();
  await page.locator('[data-testid=verbatims] li').first().waitFor();
  assert.ok((await page.locator('[data-testid=verbatims] li').count()) > 0);
  await page.screenshot({ path: join(artifacts, 'surveys-sudzilla.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

test('surveys page: one NPS row per airline, as the CLI computes them', async () => {
  const file = dataFile('prepbench_case122_airline_nps_other_airlines.csv');
  const expected = cliReport(file);
  const { page } = await openPage();
  await page.goto(`${site.url}#surveys`);
  await page.setInputFiles('[data-testid=file-input]', file);
  const table = page.locator('[data-testid=nps-segments][data-column=Airline]');
  await table.waitFor();
  const rows = expected.surveys.nps_segments.find((t) => t.column === 'Airline').rows;
  assert.equal(await table.locator('tbody tr').count(), rows.length);
  assert.equal(Number(await table.locator('tbody tr').first().locator('td[data-value]').getAttribute('data-value')), rows[0].summary.nps);
});

test('settings: a quarterly period reruns the analysis without re-reading and matches the CLI', async () => {
  const expected = cliReport(...bundledSample, '--period', 'quarter');
  const { page, crashes } = await openPage();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  await page.selectOption('[data-testid=period]', 'quarter');
  await page.waitForFunction(() => /quarter/.test(document.querySelector('[data-metric=retention_rate] .kpi-label')?.textContent ?? ''));
  await page.waitForFunction(
    (want) => document.querySelector('[data-metric=retention_rate]')?.dataset.value === String(want),
    expected.metrics.retention_rate,
  );
  await assertFiguresEqualCli(page, expected);
  // A rerun, not a re-read: the page reports no parsing time for it.
  assert.equal((await pageMetrics(page)).parse_ms, 0);
  assert.deepEqual(crashes, []);
});

test('churn page: reasons, categories and a reason re-mapped by hand equal the CLI with the same settings', async () => {
  const file = dataFile('ibm_telco_v11_merged.csv');
  const expected = cliReport(file);
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  await page.click('a[data-nav=churn]');
  await page.waitForSelector('canvas[data-chart="churn_pareto"][data-ready="true"]');
  await chartReady(page, 'churn_reference');
  await chartReady(page, 'churn_incidence');
  await assertFiguresEqualCli(page, expected);
  const rows = page.locator('[data-testid=churn-reasons] tbody tr');
  assert.equal(await rows.count(), expected.churn.reasons.length);
  // "Competitor made better offer" is a competitor reason; call it price instead.
  const reason = expected.churn.reasons.find((r) => r.category === 'competitor').reason;
  const row = rows.filter({ has: page.locator('th', { hasText: reason }) });
  await row.locator('select[data-testid=reason-category]').selectOption('price');
  const settingsPath = join(artifacts, 'remap-settings.json');
  writeFileSync(settingsPath, JSON.stringify({ ...expected.settings, churn: { rules: null, overrides: { [reason]: 'price' } } }));
  const remapped = cliReport(file, '--settings', settingsPath);
  assert.notEqual(remapped.metrics.churn_top_reason_share ?? 0, undefined);
  await page.waitForFunction(
    (want) => document.querySelector('[data-page=churn] [data-metric=churn_controllable_share]')?.dataset.value === String(want),
    remapped.metrics.churn_controllable_share,
  );
  await assertFiguresEqualCli(page, remapped);
  const priceRow = remapped.churn.categories.find((c) => c.category === 'price');
  const before = expected.churn.categories.find((c) => c.category === 'price');
  assert.ok(priceRow.customers > before.customers, 'the re-mapped reason moved into price');
  await page.screenshot({ path: join(artifacts, 'churn-telco.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

test('CLV page: a calibration end set on the page gives the published CDNOW fit, the CLI figures, lookups and exports', async () => {
  const expected = cliReport(samplePath, '--calibration-end', '1997-09-30');
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', samplePath);
  await chartReady(page);
  await page.click('a[data-nav=clv]');
  await page.fill('[data-testid=calibration-end]', '1997-09-30');
  await page.dispatchEvent('[data-testid=calibration-end]', 'change');
  await page.waitForSelector('canvas[data-chart="clv_tracking"][data-ready="true"]');
  await chartReady(page, 'clv_holdout');
  await chartReady(page, 'rfm_grid');
  await assertFiguresEqualCli(page, expected);
  // Fader, Hardie & Lee (2005): r 0.243, alpha 4.414, a 0.793, b 2.426.
  const shown = await pageMetrics(page);
  assert.equal(shown.bgnbd_r.toFixed(3), '0.243');
  assert.equal(shown.bgnbd_alpha.toFixed(3), '4.414');
  // The most valuable customer, looked up by id.
  const top = expected.clv.top_customers[0];
  await page.fill('[data-testid=customer-search]', top.customer);
  await page.press('[data-testid=customer-search]', 'Enter');
  const card = page.locator(`[data-testid=customer-card][data-customer="${top.customer}"]`);
  await card.waitFor();
  // A segment's ids as CSV.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-testid=rfm-segments] [data-testid=export-segment]').first().click(),
  ]);
  assert.match(download.suggestedFilename(), /^customers-rfm-[a-z_]+\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\ufeffcustomer_id'), 'a BOM, then the header');
  const first = expected.clv.rfm.segments[0];
  assert.equal(csv.trim().split('\n').length, first.customers + 1);
  await page.screenshot({ path: join(artifacts, 'clv-cdnow-sample.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

test('language: Russian labels and number style, <html lang> follows, and the choice is kept', async () => {
  const { page, crashes } = await openPage();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  await page.selectOption('select[data-testid=lang]', 'ru');
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  assert.equal(await page.innerText('a[data-nav=retention]'), 'Удержание');
  const customers = page.locator('[data-page=overview] [data-metric=customers]');
  assert.equal(await customers.locator('.kpi-label').innerText(), 'Клиенты');
  // 2,486 in English is "2 486" in Russian (a no-break space); data-value stays plain.
  assert.equal(await customers.getAttribute('data-value'), '2486');
  assert.equal(await customers.locator('.kpi-value').innerText(), '2\u00a0486');
  // Sentences with a figure inside follow the language too (pages not shown included).
  assert.match(await page.locator('section.comments h3').textContent(), /^О чём говорят [\d\u00a0 ]+ комментариев$/);
  assert.match(await page.locator('[data-testid=call-list] caption').textContent(), /^Кому позвонить первым/);
  // Names the core keys in English show in Russian: churn categories and
  // loyalty-link groups (in tables, whose rows are built when their page shows).
  await page.click('a[data-nav=churn]');
  const categories = await page.locator('[data-testid=churn-categories] tbody th[scope=row]').allTextContents();
  assert.ok(categories.length > 0, 'churn categories shown');
  for (const name of categories) assert.match(name, /^[А-Яа-яЁё /]+$/, `category "${name}" in Russian`);
  const reasonCategories = await page.locator('[data-testid=reason-category] option').allTextContents();
  assert.ok(reasonCategories.includes('Конкурент'), reasonCategories.join(', '));
  await page.click('a[data-nav=surveys]');
  const groups = await page.locator('[data-testid=loyalty-link] tbody th[scope=row]').allTextContents();
  assert.ok(groups.includes('промоутер'), `loyalty-link groups: ${groups.join(', ')}`);
  await page.click('a[data-nav=overview]');
  await page.screenshot({ path: join(artifacts, 'overview-ru.png'), fullPage: true });
  await page.reload();
  await page.waitForSelector('[data-testid=drop-zone]');
  assert.equal(await page.getAttribute('html', 'lang'), 'ru', 'kept in local storage');
  await page.selectOption('select[data-testid=lang]', 'en');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.deepEqual(crashes, []);
});

test('the address holds the page and the settings: a link reopens the same view', async () => {
  const { page } = await openPage();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  await page.click('a[data-nav=retention]');
  await page.selectOption('[data-testid=period]', 'quarter');
  await page.waitForFunction(() => location.hash === '#retention&period=quarter');
  const link = page.url();
  const second = await browser.newContext();
  const other = await second.newPage();
  await other.goto(link);
  await other.waitForSelector('[data-testid=drop-zone]');
  await other.click('[data-testid=load-sample]');
  await other.waitForSelector('canvas[data-chart="lifecycle"][data-ready="true"]');
  assert.ok(await other.locator('[data-page=retention]').isVisible());
  assert.equal(await other.inputValue('[data-testid=period]'), 'quarter');
  await second.close();
});

test('retention extras on the sample: segments, log-rank, programme marks, date filter, themes and PNG export match the CLI', async () => {
  const { page, crashes } = await openPage();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  await page.click('a[data-nav=retention]');
  const base = cliReport(...bundledSample);
  // Segments: retention by channel, survival by plan with the log-rank test.
  const channel = page.locator('[data-testid=segment-retention][data-column=channel] tbody tr');
  assert.equal(await channel.count(), base.segment_retention.find((s) => s.column === 'channel').segments.length);
  assert.match(await page.innerText('[data-testid=log-rank]'), /log-rank χ² = [\d.]+, df = \d+/);
  // Members vs non-members and the discount share are found by column name.
  await page.locator('[data-testid=members]').waitFor();
  await page.locator('[data-testid=discount-share]').waitFor();
  // A programme mark: before/after rows, as the CLI computes them with the same settings.
  await page.fill('[data-testid=mark-date]', '2025-03-01');
  await page.fill('[data-testid=mark-label]', 'launch');
  await page.click('[data-testid=add-mark]');
  const mark = page.locator('[data-testid=mark-effect]');
  await mark.waitFor();
  const settingsPath = join(artifacts, 'mark-settings.json');
  writeFileSync(settingsPath, JSON.stringify({ ...base.settings, marks: [{ date: '2025-03-01', label: 'launch' }] }));
  const marked = cliReport(...bundledSample, '--settings', settingsPath);
  assert.equal(await mark.locator('tbody tr').count(), marked.programme.marks[0].comparisons.length);
  // The date filter reruns everything on the chosen range.
  const filtered = cliReport(...bundledSample, '--settings', settingsPath, '--from', '2025-01-01');
  await page.fill('[data-testid=date-from]', '2025-01-01');
  await page.dispatchEvent('[data-testid=date-from]', 'change');
  await page.waitForFunction(
    (want) => document.querySelector('[data-metric=transactions]')?.dataset.value === String(want),
    filtered.metrics.transactions,
  );
  await assertFiguresEqualCli(page, filtered);
  // Themes edited as text: only the themes given are counted.
  await page.click('a[data-nav=surveys]');
  await page.click('.survey-settings summary');
  await page.fill('[data-testid=themes]', 'delivery: deliver, доставк');
  await page.click('[data-testid=apply-themes]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=themes] tbody tr').length === 1);
  // PNG of a chart.
  await page.click('a[data-nav=overview]');
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-page=overview] figure:has(canvas[data-chart=monthly_activity]) [data-testid=export-png]').click(),
  ]);
  assert.equal(png.suggestedFilename(), 'monthly_activity.png');
  assert.equal(readFileSync(await png.path()).subarray(1, 4).toString(), 'PNG');
  await page.screenshot({ path: join(artifacts, 'retention-sample.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

test('standalone HTML report: one file with the figures and SVG charts, no script and no address', async () => {
  const { page, crashes } = await openPage();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  await page.click('a[data-nav=quality]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-html]')]);
  assert.equal(download.suggestedFilename(), 'loyalty-report.html');
  const html = readFileSync(await download.path(), 'utf8');
  assert.ok((html.match(/<svg/g) ?? []).length >= 10, 'the charts are inline SVG');
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /https?:\/\//);
  const expected = cliReport(...bundledSample);
  assert.match(html, new RegExp(`data-metric="nps" data-value="${expected.metrics.nps}"`));
  assert.deepEqual(crashes, []);
});

test('churn rules edited as text on the page give the CLI figures with the same rules', async () => {
  const file = dataFile('ibm_telco_v11_merged.csv');
  const base = cliReport(file);
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  await page.click('a[data-nav=churn]');
  await page.waitForSelector('canvas[data-chart="churn_pareto"][data-ready="true"]');
  await page.click('[data-page=churn] details.survey-settings summary');
  await page.fill('[data-testid=churn-rules]', 'price: competitor, offer\nmoved_away: moved');
  await page.click('[data-testid=apply-churn-rules]');
  const rules = { rules: [{ category: 'price', keywords: ['competitor', 'offer'] }, { category: 'moved_away', keywords: ['moved'] }], refine_other_by_reason: true };
  const settingsPath = join(artifacts, 'rules-settings.json');
  writeFileSync(settingsPath, JSON.stringify({ ...base.settings, churn: { rules, overrides: {} } }));
  const expected = cliReport(file, '--settings', settingsPath);
  await page.waitForFunction(
    (want) => document.querySelector('[data-page=churn] [data-metric=churn_controllable_share]')?.dataset.value === String(want),
    expected.metrics.churn_controllable_share,
  );
  await assertFiguresEqualCli(page, expected);
  // A line with an unknown category is refused with a message, not applied.
  await page.fill('[data-testid=churn-rules]', 'prices: cheap');
  await page.click('[data-testid=apply-churn-rules]');
  assert.match(await page.innerText('[data-page=churn] details.survey-settings [role=alert]'), /line 1: "prices" is not a category/);
  assert.deepEqual(crashes, []);
});

test('the built folder works from any sub-path', async () => {
  const sub = await serveDist('/some/path/');
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const crashes = [];
    page.on('pageerror', (e) => crashes.push(e.message));
    await page.goto(sub.url);
    await page.click('[data-testid=load-sample]');
    await chartReady(page);
    const shown = await pageMetrics(page);
    assert.equal(shown.customers, cliReport(...bundledSample).metrics.customers);
    assert.deepEqual(crashes, []);
    await context.close();
  } finally {
    sub.server.close();
  }
});

/** A CSV text as rows of cells (quoted cells may hold separators, quotes
 * and newlines); the byte-order mark every download opens with is dropped. */
function parseCsv(text, separator = ',') {
  if (text.startsWith('\ufeff')) text = text.slice(1);
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

/** `rows` stably sorted by `key` (a number, or null: last either way), as the tables promise. */
function sortedBy(rows, key, descending = false) {
  return [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x == null || y == null) return (x == null) - (y == null);
    return descending ? y - x : x - y;
  });
}

/** A CSV cell as a number, or null when empty. */
const csvNumber = (cell) => (cell === '' ? null : Number(cell));

/** A programme comparison's CSV cells (before, after, p-value) as the page rounds them. */
const comparisonCells = (row, c) => {
  const figure = c.measure === 'repeat_share' ? 3 : 2;
  return [shownAs(row[1], c.before, figure), shownAs(row[2], c.after, figure), shownAs(row[3], c.p_value, 4)];
};

/** Clicks a table's heading (its exact English name) and checks the order it now claims. */
async function clickHeading(table, name, order) {
  const button = table.locator('thead').getByRole('button', { name, exact: true });
  await button.click();
  assert.equal(await button.locator('xpath=..').getAttribute('aria-sort'), order, `${name} ${order}`);
}

/** The table's CSV download: its file name and rows. */
async function downloadCsv(page, table) {
  const [download] = await Promise.all([page.waitForEvent('download'), table.locator('[data-testid=export-csv]').click()]);
  return { name: download.suggestedFilename(), rows: parseCsv(readFileSync(await download.path(), 'utf8')) };
}

/** Where month `i` of `n` sits on the activity canvas, in canvas pixels (see chart/activity.rs: plot from x 72 to 876). */
function activityColumn(i, n) {
  return 72 + ((i + 0.5) * (876 - 72)) / n;
}

test('charts: SVG download of the same chart, and hover and keyboard readouts with the CLI figures in both languages', async () => {
  const expected = cliReport(...bundledSample);
  const months = expected.monthly_activity;
  const { page, crashes } = await openPage();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  const figure = page.locator('[data-page=overview] figure:has(canvas[data-chart=monthly_activity])');
  // The SVG download: a well-formed SVG document with the chart's words.
  const [svgFile] = await Promise.all([page.waitForEvent('download'), figure.locator('[data-testid=export-svg]').click()]);
  assert.equal(svgFile.suggestedFilename(), 'monthly_activity.svg');
  const svg = readFileSync(await svgFile.path(), 'utf8');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      root: doc.documentElement.nodeName,
      error: doc.getElementsByTagName('parsererror').length,
      texts: [...doc.getElementsByTagName('text')].map((t) => t.textContent.trim()),
      rects: doc.getElementsByTagName('rect').length,
    };
  }, svg);
  assert.equal(parsed.root, 'svg');
  assert.equal(parsed.error, 0);
  for (const word of ['Active customers', 'Revenue', months[0].month]) {
    assert.ok(parsed.texts.includes(word), `the SVG has the text ${word}`);
  }
  assert.ok(parsed.rects >= months.length, 'one bar per month');
  // Hover: the pointer over a month's column reads out that month's figures.
  const canvas = figure.locator('canvas');
  const readout = figure.locator('[data-testid=chart-readout]');
  await canvas.scrollIntoViewIfNeeded();
  let box = await canvas.boundingBox();
  const scale = box.width / 960;
  const i = Math.floor(months.length / 2);
  await page.mouse.move(box.x + activityColumn(i, months.length) * scale, box.y + 200 * scale);
  await readout.waitFor();
  const en = (n) => n.toLocaleString('en-US');
  assert.match(await readout.textContent(), new RegExp(`^${months[i].month}: Active customers ${en(months[i].active_customers)} · Revenue `));
  // Off the chart, the readout goes.
  await page.mouse.move(box.x - 40, box.y - 40);
  await readout.waitFor({ state: 'hidden' });
  // The keyboard: focus shows the first month, End the last, ArrowLeft the one before.
  await canvas.focus();
  await readout.waitFor();
  assert.ok((await readout.textContent()).startsWith(`${months[0].month}: Active customers ${en(months[0].active_customers)}`));
  await canvas.press('End');
  await canvas.press('ArrowLeft');
  const last = months[months.length - 2];
  assert.ok((await readout.textContent()).startsWith(`${last.month}: Active customers ${en(last.active_customers)}`));
  // In Russian: translated series and Russian number style (no-break spaces).
  await page.selectOption('select[data-testid=lang]', 'ru');
  const big = months.reduce((a, b) => (b.active_customers > a.active_customers ? b : a));
  const j = months.indexOf(big);
  box = await canvas.boundingBox();
  await page.mouse.move(box.x + activityColumn(j, months.length) * scale, box.y + 200 * scale);
  await readout.waitFor();
  const ru = String(big.active_customers).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  assert.ok((await readout.textContent()).startsWith(`${big.month}: Активные клиенты ${ru} · `), await readout.textContent());
  // The chart's own words follow the page: the readout's second series too.
  assert.match(await readout.textContent(), / · Выручка \d/);
  await page.screenshot({ path: join(artifacts, 'readout-ru.png') });
  // The SVG download in Russian: Russian axis titles and legend, no English
  // chart word, and thousands as "тыс." rather than "k" on the ticks.
  await chartReady(page);
  const [svgRu] = await Promise.all([page.waitForEvent('download'), figure.locator('[data-testid=export-svg]').click()]);
  const ruTexts = await page.evaluate(
    (text) => [...new DOMParser().parseFromString(text, 'image/svg+xml').getElementsByTagName('text')].map((t) => t.textContent.trim()),
    readFileSync(await svgRu.path(), 'utf8'),
  );
  for (const word of ['Активные клиенты', 'Выручка', 'Неполный месяц', months[0].month]) {
    assert.ok(ruTexts.includes(word), `the Russian SVG has the text ${word}: ${ruTexts.join(' | ')}`);
  }
  for (const word of ['Active customers', 'Revenue', 'Partial month']) {
    assert.ok(!ruTexts.includes(word), `no English ${word} in the Russian SVG`);
  }
  assert.ok(ruTexts.some((t) => /\d\u00a0тыс\.$/.test(t)), `Russian thousands on the ticks: ${ruTexts.join(' | ')}`);
  assert.ok(!ruTexts.some((t) => /\dk$/.test(t)), `no "k" ticks in Russian: ${ruTexts.join(' | ')}`);
  await page.selectOption('select[data-testid=lang]', 'en');
  // The survey page's score distribution, by keyboard: End is score 10.
  await page.click('a[data-nav=surveys]');
  await chartReady(page, 'nps_distribution');
  const scores = page.locator('canvas[data-chart=nps_distribution]');
  const scoresReadout = page.locator('figure:has(canvas[data-chart=nps_distribution]) [data-testid=chart-readout]');
  await scores.focus();
  await scores.press('End');
  const dist = expected.surveys.nps_distribution;
  const share = ((100 * dist[10]) / dist.reduce((a, b) => a + b, 0)).toFixed(1);
  assert.equal(await scoresReadout.textContent(), `10: Answers ${en(dist[10])} · Share ${share}%`);
  // The same readout in Russian: the chart's words and the Russian number style.
  await page.selectOption('select[data-testid=lang]', 'ru');
  await chartReady(page, 'nps_distribution');
  await scores.focus();
  await scores.press('End');
  const ruCount = String(dist[10]).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  assert.equal(await scoresReadout.textContent(), `10: Ответы ${ruCount} · Доля ${share.replace('.', ',')}\u00a0%`);
  await page.selectOption('select[data-testid=lang]', 'en');
  // Another page's chart: the survival curve as SVG, with its axis words.
  await page.click('a[data-nav=retention]');
  await chartReady(page, 'survival');
  const [survival] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('figure:has(canvas[data-chart=survival]) [data-testid=export-svg]').click(),
  ]);
  assert.equal(survival.suggestedFilename(), 'survival.svg');
  const survivalSvg = readFileSync(await survival.path(), 'utf8');
  assert.match(survivalSvg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(survivalSvg, /Months as a customer/);
  assert.match(survivalSvg, /Still a customer/);
  assert.deepEqual(crashes, []);
});

test('tables: headings sort numbers as numbers, and CSV downloads the rows shown with formulas neutralised', async () => {
  // A customers file whose reasons include spreadsheet formulas; counts
  // 10, 9, 2, 1, 1 sort differently as text ("10" < "2" < "9").
  const reasons = [
    ...Array(10).fill('Too expensive'),
    ...Array(9).fill('Competitor offer'),
    ...Array(2).fill('Moved away'),
    '=1+2',
    '@SUM(A1)',
  ];
  const lines = ['customer_id,customer_since,churn_date,plan,mrr,reason'];
  reasons.forEach((r, k) => {
    const day = String((k % 27) + 1).padStart(2, '0');
    lines.push(`L${k},2024-01-${day},2024-06-${day},basic,${10 + k},"${r.replace(/"/g, '""')}"`);
  });
  for (let k = 0; k < 12; k++) lines.push(`A${k},2024-02-0${(k % 9) + 1},,pro,20,`);
  const file = join(artifacts, 'churn-formulas.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  const expected = cliReport(file);
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  await page.click('a[data-nav=churn]');
  await chartReady(page, 'churn_pareto');
  const table = page.locator('[data-testid=churn-reasons]');
  const rows = table.locator('tbody tr');
  assert.equal(await rows.count(), expected.churn.reasons.length);
  const customersShown = async () =>
    (await rows.locator('td:nth-of-type(1)').allInnerTexts()).map((t) => Number(t.replace(/[^\d]/g, '')));
  const reasonsShown = () => rows.locator('th').allInnerTexts();
  const heading = (name) => table.locator('thead th', { has: page.locator('button', { hasText: name }) }).first();
  // As given: most frequent first, as the CLI lists them.
  assert.deepEqual(await reasonsShown(), expected.churn.reasons.map((r) => r.reason ?? '(no reason given)'));
  assert.equal(await heading('Customers').getAttribute('aria-sort'), 'none');
  await heading('Customers').locator('button').click();
  assert.equal(await heading('Customers').getAttribute('aria-sort'), 'ascending');
  const up = await customersShown();
  assert.deepEqual(up, [...up].sort((a, b) => a - b));
  assert.deepEqual(up, [1, 1, 2, 9, 10]);
  await heading('Customers').locator('button').click();
  assert.equal(await heading('Customers').getAttribute('aria-sort'), 'descending');
  assert.deepEqual(await customersShown(), [10, 9, 2, 1, 1]);
  await heading('Reason').locator('button').click();
  assert.equal(await heading('Reason').getAttribute('aria-sort'), 'ascending');
  assert.equal(await heading('Customers').getAttribute('aria-sort'), 'none');
  const byName = await reasonsShown();
  assert.deepEqual(byName, [...byName].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
  // The CSV: the rows in the order shown, plain numbers, formulas neutralised.
  const [download] = await Promise.all([page.waitForEvent('download'), table.locator('[data-testid=export-csv]').click()]);
  assert.equal(download.suggestedFilename(), 'churn-reasons.csv');
  const csv = parseCsv(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(csv[0], ['Reason', 'Customers', 'Share', 'Cumulative', 'Revenue lost', 'Category']);
  const body = csv.slice(1);
  assert.equal(body.length, byName.length);
  const counts = await customersShown();
  body.forEach((cells, k) => {
    const shown = byName[k];
    assert.equal(cells[0], /^[=+\-@]/.test(shown) ? `'${shown}` : shown);
    assert.equal(Number(cells[1]), counts[k]);
    const cli = expected.churn.reasons.find((r) => r.reason === shown);
    // Rounded as the page shows it (48.9% is 0.489); the JSON keeps every digit.
    assert.equal(shownAs(cells[2], cli.share, 3), cli.share, `share of ${shown}: ${cells[2]}`);
  });
  assert.ok(body.some((cells) => cells[0] === "'=1+2"), 'the formula is neutralised');
  assert.ok(body.some((cells) => cells[0] === "'@SUM(A1)"));
  // Excel opens the file as UTF-8 only with a byte-order mark; in Russian
  // the cells are split by ';' and shares have a decimal comma.
  assert.deepEqual([...readFileSync(await download.path()).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  await page.selectOption('select[data-testid=lang]', 'ru');
  const [russian] = await Promise.all([page.waitForEvent('download'), table.locator('[data-testid=export-csv]').click()]);
  const ruBytes = readFileSync(await russian.path());
  assert.deepEqual([...ruBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const ruRows = parseCsv(ruBytes.toString('utf8'), ';');
  assert.equal(ruRows[0].length, 6, ruRows[0].join(' | '));
  ruRows.slice(1).forEach((cells, k) => {
    assert.equal(cells[1], body[k][1]);
    assert.equal(cells[2], body[k][2].replace('.', ','), `the share of ${body[k][0]}`);
  });
  await page.selectOption('select[data-testid=lang]', 'en');
  // The file table on the quality page sorts and exports too.
  await page.click('a[data-nav=quality]');
  const [files] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-testid=file-table] [data-testid=export-csv]').click(),
  ]);
  const fileRows = parseCsv(readFileSync(await files.path(), 'utf8'));
  assert.deepEqual(fileRows[1].slice(0, 2), ['churn-formulas.csv', String(expected.files[0].rows_read)]);
  await page.screenshot({ path: join(artifacts, 'sorted-reasons.png'), fullPage: true });
  assert.deepEqual(crashes, []);

  // The bundled sample: churn by month, ABC/XYZ, comment themes and a
  // programme mark's table, each against the CLI's rows sorted here.
  const sample = cliReport(...bundledSample);
  const second = await openPage();
  const p2 = second.page;
  await p2.click('[data-testid=load-sample]');
  await chartReady(p2);

  // Churn by month: by the month's total, up then down; one column per category that occurs.
  await p2.click('a[data-nav=churn]');
  const months = p2.locator('[data-testid=churn-by-month]');
  await months.waitFor();
  const periods = sample.churn.by_period;
  assert.ok(periods.length > 3, 'several months');
  const monthsShown = () => months.locator('tbody th').allInnerTexts();
  assert.deepEqual(await monthsShown(), periods.map((p) => p.month));
  await clickHeading(months, 'Customers who left', 'ascending');
  assert.deepEqual(await monthsShown(), sortedBy(periods, (p) => p.total).map((p) => p.month));
  const totalsShown = (await months.locator('tbody td:last-child').allInnerTexts()).map((t) => Number(t.replace(/[^\d]/g, '')));
  assert.deepEqual(totalsShown, [...totalsShown].sort((a, b) => a - b));
  await clickHeading(months, 'Customers who left', 'descending');
  const monthsDown = sortedBy(periods, (p) => p.total, true);
  assert.deepEqual(await monthsShown(), monthsDown.map((p) => p.month));
  const monthCsv = await downloadCsv(p2, months);
  assert.equal(monthCsv.name, 'churn-by-month.csv');
  const categoriesUsed = periods[0].counts.filter((_, i) => periods.some((p) => p.counts[i] > 0)).length;
  assert.equal(monthCsv.rows[0].length, categoriesUsed + 2);
  assert.deepEqual([monthCsv.rows[0][0], monthCsv.rows[0].at(-1)], ['Month', 'Customers who left']);
  assert.deepEqual(
    monthCsv.rows.slice(1).map((r) => [r[0], Number(r.at(-1))]),
    monthsDown.map((p) => [p.month, p.total]),
  );

  // ABC/XYZ: classes A, B, C by their customers in X.
  await p2.click('a[data-nav=clv]');
  const abc = p2.locator('[data-testid=abc-xyz]');
  await abc.waitFor();
  const cell = (a, x) => sample.clv.abc_xyz.cells.find((c) => c.abc === a && c.xyz === x)?.customers ?? 0;
  const classes = ['A', 'B', 'C'].map((a) => ({ abc: a, counts: ['X', 'Y', 'Z'].map((x) => cell(a, x)) }));
  await clickHeading(abc, 'X (steady)', 'ascending');
  const byX = sortedBy(classes, (c) => c.counts[0]);
  assert.deepEqual(await abc.locator('tbody th').allInnerTexts(), byX.map((c) => c.abc));
  const xShown = (await abc.locator('tbody td:nth-of-type(1)').allInnerTexts()).map((t) => Number(t.replace(/[^\d]/g, '')));
  assert.deepEqual(xShown, byX.map((c) => c.counts[0]));
  const abcCsv = await downloadCsv(p2, abc);
  assert.equal(abcCsv.name, 'abc-xyz-customers.csv');
  assert.deepEqual(abcCsv.rows, [['ABC', 'X (steady)', 'Y', 'Z (erratic)'], ...byX.map((c) => [c.abc, ...c.counts.map(String)])]);

  // Comment themes: by comments, then by impact (themes without one last);
  // a theme clicked after sorting still lists its own comments.
  await p2.click('a[data-nav=surveys]');
  const themes = p2.locator('table[data-testid=themes]');
  await themes.waitFor();
  const mentioned = sample.surveys.comments.themes.filter((t) => t.mentions > 0);
  assert.ok(mentioned.length > 2, 'several themes');
  const themesShown = () => themes.locator('tbody th').allInnerTexts();
  assert.deepEqual(await themesShown(), mentioned.map((t) => t.theme));
  await clickHeading(themes, 'Comments', 'ascending');
  assert.deepEqual(await themesShown(), sortedBy(mentioned, (t) => t.mentions).map((t) => t.theme));
  await clickHeading(themes, 'Impact on NPS', 'ascending');
  const byImpact = sortedBy(mentioned, (t) => t.impact);
  assert.deepEqual(await themesShown(), byImpact.map((t) => t.theme));
  await themes.locator('tbody tr').first().locator('button').click();
  assert.equal(await p2.innerText('[data-testid=verbatims] h4'), `Comments about ${byImpact[0].theme}`);
  const themeCsv = await downloadCsv(p2, themes);
  assert.equal(themeCsv.name, 'comment-themes.csv');
  assert.deepEqual(themeCsv.rows[0], ['Theme', 'Comments', "Of detractors' comments", "Of promoters' comments", 'Impact on NPS']);
  assert.deepEqual(
    themeCsv.rows.slice(1).map((r, k) => {
      const t = byImpact[k];
      return [r[0], csvNumber(r[1]), shownAs(r[2], t.share_detractors, 3), shownAs(r[3], t.share_promoters, 3), shownAs(r[4], t.impact, 1)];
    }),
    byImpact.map((t) => [t.theme, t.mentions, t.share_detractors ?? null, t.share_promoters ?? null, t.impact ?? null]),
  );

  // A programme mark: its figures by p-value, as the CLI computes them with the same mark.
  await p2.click('a[data-nav=retention]');
  await p2.fill('[data-testid=mark-date]', '2025-03-01');
  await p2.fill('[data-testid=mark-label]', 'launch');
  await p2.click('[data-testid=add-mark]');
  const mark = p2.locator('[data-testid=mark-effect]');
  await mark.waitFor();
  const markSettings = join(artifacts, 'tables-mark-settings.json');
  writeFileSync(markSettings, JSON.stringify({ ...sample.settings, marks: [{ date: '2025-03-01', label: 'launch' }] }));
  const marked = cliReport(...bundledSample, '--settings', markSettings);
  const comparisons = marked.programme.marks[0].comparisons;
  const measuresShown = () => mark.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.measure));
  assert.deepEqual(await measuresShown(), comparisons.map((c) => c.measure));
  await clickHeading(mark, 'p-value (* < 0.05)', 'ascending');
  const byP = sortedBy(comparisons, (c) => c.p_value);
  assert.deepEqual(await measuresShown(), byP.map((c) => c.measure));
  const markCsv = await downloadCsv(p2, mark);
  assert.equal(markCsv.name, 'before-after-2025-03-01.csv');
  assert.deepEqual(markCsv.rows[0], ['Figure', 'Before', 'After', 'p-value (* < 0.05)']);
  assert.deepEqual(markCsv.rows.slice(1).map((r) => r[0]), await mark.locator('tbody th').allInnerTexts());
  assert.deepEqual(
    markCsv.rows.slice(1).map((r, k) => comparisonCells(r, byP[k])),
    byP.map((c) => [c.before ?? null, c.after ?? null, c.p_value ?? null]),
  );
  // Members vs non-members: its figures by the members' value; the discount
  // table's one row (repeat purchases after a first order with / without discount).
  const members = p2.locator('[data-testid=members]');
  await members.waitFor();
  const memberRows = marked.programme.members.comparisons;
  const memberMeasures = () => members.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.measure));
  assert.deepEqual(await memberMeasures(), memberRows.map((c) => c.measure));
  await clickHeading(members, 'Members', 'ascending');
  const byMembers = sortedBy(memberRows, (c) => c.after);
  assert.deepEqual(await memberMeasures(), byMembers.map((c) => c.measure));
  await clickHeading(members, 'Members', 'descending');
  const byMembersDown = sortedBy(memberRows, (c) => c.after, true);
  assert.deepEqual(await memberMeasures(), byMembersDown.map((c) => c.measure));
  const membersCsv = await downloadCsv(p2, members);
  assert.equal(membersCsv.name, 'members-vs-non-members.csv');
  assert.deepEqual(membersCsv.rows[0], ['Figure', 'Non-members', 'Members', 'p-value (* < 0.05)']);
  assert.deepEqual(membersCsv.rows.slice(1).map((r) => r[0]), await members.locator('tbody th').allInnerTexts());
  assert.deepEqual(
    membersCsv.rows.slice(1).map((r, k) => comparisonCells(r, byMembersDown[k])),
    byMembersDown.map((c) => [c.before ?? null, c.after ?? null, c.p_value ?? null]),
  );
  const repeat = p2.locator('[data-testid=discount-repeat]');
  await repeat.waitFor();
  const firstOrder = marked.programme.discount.repeat_after_first_order;
  await clickHeading(repeat, 'First order on discount', 'ascending');
  assert.deepEqual(await repeat.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.measure)), [firstOrder.measure]);
  const repeatCsv = await downloadCsv(p2, repeat);
  assert.equal(repeatCsv.name, 'repeat-after-discount.csv');
  assert.deepEqual(repeatCsv.rows[0], ['Figure', 'First order at full price', 'First order on discount', 'p-value (* < 0.05)']);
  assert.deepEqual(
    repeatCsv.rows.slice(1).map((r) => [r[0], ...comparisonCells(r, firstOrder)]),
    [[await repeat.locator('tbody th').innerText(), firstOrder.before ?? null, firstOrder.after ?? null, firstOrder.p_value ?? null]],
  );

  // Churn by segment (the first segment column) by the share who left, then
  // the call list by value, each against the CLI's rows.
  await p2.click('a[data-nav=churn]');
  const bySegment = p2.locator('[data-testid=churn-by-segment]');
  await bySegment.waitFor();
  const seg = sample.churn_by_segment[0];
  assert.ok(seg.rows.length > 1, 'several segments');
  assert.equal(await bySegment.getAttribute('data-column'), seg.column);
  // The select shows the column the table is by (issue 22: it was blank).
  assert.equal(await p2.locator('select[data-testid=churn-segment-column]').inputValue(), seg.column);
  const segmentsShown = () => bySegment.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.segment));
  assert.deepEqual(await segmentsShown(), seg.rows.map((r) => r.segment));
  await clickHeading(bySegment, 'Share who left', 'ascending');
  assert.deepEqual(await segmentsShown(), sortedBy(seg.rows, (r) => r.churn_share).map((r) => r.segment));
  await clickHeading(bySegment, 'Customers', 'ascending');
  await clickHeading(bySegment, 'Customers', 'descending');
  const segmentsDown = sortedBy(seg.rows, (r) => r.customers, true);
  assert.deepEqual(await segmentsShown(), segmentsDown.map((r) => r.segment));
  const segmentCsv = await downloadCsv(p2, bySegment);
  assert.equal(segmentCsv.name, `churn-by-${seg.column.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '')}.csv`);
  assert.deepEqual(segmentCsv.rows[0], [seg.column, 'Customers', 'Left', 'Share who left', 'Revenue lost']);
  assert.deepEqual(
    segmentCsv.rows.slice(1).map(([name, customers, left, share, lost], k) => [
      name,
      csvNumber(customers),
      csvNumber(left),
      shownAs(share, segmentsDown[k].churn_share, 3),
      shownAs(lost, segmentsDown[k].revenue_lost, 'money'),
    ]),
    segmentsDown.map((r) => [r.segment, r.customers, r.churned, r.churn_share, r.revenue_lost ?? null]),
  );

  const callList = p2.locator('[data-testid=call-list]');
  await callList.waitFor();
  const calls = sample.churn.call_list;
  assert.ok(calls.length > 3, 'several customers to call');
  const callId = (c) => c.customer ?? `row ${c.record + 1}`;
  const callsShown = () => callList.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.customer));
  assert.deepEqual(await callsShown(), calls.map(callId));
  await clickHeading(callList, 'Value', 'ascending');
  const byValue = sortedBy(calls, (c) => c.value);
  assert.deepEqual(await callsShown(), byValue.map(callId));
  const callCsv = await downloadCsv(p2, callList);
  assert.equal(callCsv.name, 'call-list.csv');
  // Columns for what the listed customers have: purchases, the model, CLV.
  const has = (f) => calls.some((c) => c[f] != null);
  const headings = [
    'Customer',
    ...(has('last_purchase') ? ['Last purchase', 'Days since', 'Usual gap, days'] : []),
    ...(has('p_alive') ? ['P(alive)', 'P(alive) change, 30 days'] : []),
    'Risk of leaving', 'Similar customers', 'Their share who left', 'Likely reason', 'Value',
    ...(has('expected_value') ? ['Expected value (CLV)'] : []),
    'Value at risk',
  ];
  assert.deepEqual(callCsv.rows[0], headings);
  const callCell = (row, name) => row[headings.indexOf(name)];
  assert.deepEqual(
    callCsv.rows.slice(1).map((r, k) => [
      callCell(r, 'Customer'),
      callCell(r, 'Similar customers'),
      shownAs(callCell(r, 'Risk of leaving'), byValue[k].risk, 3),
      shownAs(callCell(r, 'Their share who left'), byValue[k].segment_churn_share, 3),
      shownAs(callCell(r, 'Value'), byValue[k].value, 'money'),
      shownAs(callCell(r, 'Value at risk'), byValue[k].value_at_risk, 'money'),
    ]),
    byValue.map((c) => [callId(c), c.segment ?? 'all customers', c.risk, c.segment_churn_share, c.value, c.value_at_risk]),
  );
  // Each customer's own risk, not one group's figure copied down.
  assert.ok(new Set(calls.map((c) => c.risk.toFixed(6))).size > 1, 'risks differ');
  // The grouping select lists what separates leavers, best first, and a
  // choice reruns the list grouped by it.
  const grouping = p2.locator('select[data-testid=call-grouping]');
  const usable = sample.churn.call_groupings.filter((g) => !g.restates_churn);
  assert.equal(await grouping.locator('option').count(), usable.length + 1);
  assert.equal(await grouping.inputValue(), '', 'the best separating, unchosen');
  const pick = usable.find((g) => g.key.column && JSON.stringify(g.key) !== JSON.stringify(sample.churn.call_grouping));
  if (pick) {
    await grouping.selectOption(`column:${pick.key.column}`);
    await p2.waitForFunction(
      (name) => {
        const caption = document.querySelector('[data-testid=call-list] caption');
        return document.querySelector('[data-testid=call-list-empty]') || caption?.textContent.includes(`same ${name})`);
      },
      pick.key.column,
      { timeout: 30_000 },
    );
    assert.equal(await p2.locator('select[data-testid=call-grouping]').inputValue(), `column:${pick.key.column}`);
  }
  assert.deepEqual(second.crashes, []);

  // Churn by answer (bank customers file): each table by the share who left.
  const bankFile = dataFile('bank_churn_records_satisfaction_points.csv');
  const bank = cliReport(bankFile).surveys.churn_by_answer;
  const third = await openPage();
  await third.page.setInputFiles('[data-testid=file-input]', bankFile);
  await third.page.click('a[data-nav=surveys]');
  for (const [title, groups, name] of [
    ['Complained', bank.by_problem, 'churn-by-complaint.csv'],
    ['Satisfaction score', bank.by_satisfaction, 'churn-by-satisfaction.csv'],
  ]) {
    const table = third.page.locator('[data-testid=churn-by-answer]', { has: third.page.locator('caption', { hasText: title }) });
    await table.waitFor();
    const groupsShown = () => table.locator('tbody th').allInnerTexts();
    assert.deepEqual(await groupsShown(), groups.map((g) => g.group));
    await clickHeading(table, 'Left', 'ascending');
    const up = sortedBy(groups, (g) => g.churn.share);
    assert.deepEqual(await groupsShown(), up.map((g) => g.group));
    const shares = await table.locator('tbody td[data-value]').evaluateAll((tds) => tds.map((td) => Number(td.dataset.value)));
    assert.deepEqual(shares, up.map((g) => g.churn.share));
    const answerCsv = await downloadCsv(third.page, table);
    assert.equal(answerCsv.name, name);
    // The interval in two number columns, each rounded as the page shows it.
    assert.deepEqual(answerCsv.rows[0], [title, 'Customers', 'Left', '95% interval, low', '95% interval, high']);
    assert.deepEqual(
      answerCsv.rows.slice(1).map(([group, of, left, low, high], k) => [
        group,
        Number(of),
        shownAs(left, up[k].churn.share, 3),
        shownAs(low, up[k].churn.ci_low, 3),
        shownAs(high, up[k].churn.ci_high, 3),
      ]),
      up.map((g) => [g.group, g.churn.of, g.churn.share, g.churn.ci_low, g.churn.ci_high]),
    );
  }
  assert.deepEqual(third.crashes, []);
});

test('offline: after one visit the page opens and analyses with the server gone', async () => {
  const own = await serveDist('/offline/');
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const crashes = [];
    page.on('pageerror', (e) => crashes.push(e.message));
    await page.goto(own.url);
    await page.waitForSelector('[data-testid=drop-zone]');
    // The service worker is active once it has kept every file of the folder.
    const kept = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const names = [];
      for (const key of await caches.keys()) for (const r of await (await caches.open(key)).keys()) names.push(new URL(r.url).pathname);
      return names;
    });
    assert.ok(kept.includes('/offline/index.html') && kept.includes('/offline/sample/orders.csv'), kept.join(', '));
    assert.ok(kept.some((p) => p.endsWith('.wasm')), 'the wasm is kept');
    own.server.closeAllConnections();
    await new Promise((done) => own.server.close(done));
    await assert.rejects(fetch(own.url), 'nothing answers on that address any more');
    await page.reload();
    await page.waitForSelector('[data-testid=drop-zone]');
    await page.click('[data-testid=load-sample]');
    await chartReady(page);
    const shown = await pageMetrics(page);
    assert.equal(shown.customers, cliReport(...bundledSample).metrics.customers);
    assert.deepEqual(crashes, []);
  } finally {
    await context.close();
    own.server.close();
  }
});

test('injection: ids, regions, comments and reasons holding HTML/JS show as text on every page and in the HTML report', async () => {
  // The bundled sample with markup written into every text the page shows:
  // a customer id, a segment value, survey comments and churn reasons.
  const payload = {
    id: '<img src=x onerror="window.__pwned=1">',
    region: '<script>window.__pwned=2</script>',
    comment: '<svg onload="window.__pwned=3"></svg> плохо, долго',
    reason: '"><iframe src="javascript:top.__pwned=4"></iframe>',
  };
  const cell = (v) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const rewrite = (name, change) => {
    const [head, ...rows] = parseCsv(readFileSync(join(root, 'assets/sample', name), 'utf8')).filter((r) => r.length > 1);
    const col = (c) => head.indexOf(c);
    const out = [head, ...rows.map((r, i) => change(r.slice(), col, i))];
    const path = join(artifacts, `injected-${name}`);
    writeFileSync(path, out.map((r) => r.map(cell).join(',')).join('\n') + '\n');
    return path;
  };
  const id = (r, col) => {
    if (r[col('customer_id')] === 'C0001') r[col('customer_id')] = payload.id;
    return r;
  };
  const files = [
    rewrite('orders.csv', (r, col) => {
      if (r[col('region')] === 'London') r[col('region')] = payload.region;
      return id(r, col);
    }),
    rewrite('survey.csv', (r, col, i) => {
      if (r[col('region')] === 'Leeds') r[col('region')] = payload.region;
      if (i % 3 === 0) r[col('comment')] = payload.comment;
      return id(r, col);
    }),
    rewrite('churned.csv', (r, col, i) => {
      if (r[col('reason')] && i % 2 === 0) r[col('reason')] = payload.reason;
      return id(r, col);
    }),
  ];
  const expected = cliReport(...files);
  assert.ok(expected.churn.reasons.some((r) => r.reason === payload.reason), 'the CLI reads the payload as a reason');
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', files);
  await chartReady(page);
  await assertFiguresEqualCli(page, expected);
  const injected = () =>
    page.evaluate(() => ({
      pwned: window.__pwned,
      elements: document.querySelectorAll('img[src=x], iframe, svg[onload], [onerror], [onload]').length,
      scripts: [...document.scripts].filter((s) => s.textContent.includes('__pwned')).length,
    }));
  for (const id of ['overview', 'retention', 'surveys', 'clv', 'churn', 'quality']) {
    await page.click(`a[data-nav=${id}]`);
    await page.waitForTimeout(200);
    assert.deepEqual(await injected(), { pwned: undefined, elements: 0, scripts: 0 }, `page ${id}`);
  }
  // The texts show literally: the reason in the churn table, the id on its card.
  await page.click('a[data-nav=churn]');
  const reasons = await page.locator('[data-testid=churn-reasons] tbody th').allInnerTexts();
  assert.ok(reasons.includes(payload.reason), reasons.join(' | '));
  await page.click('a[data-nav=clv]');
  await page.fill('[data-testid=customer-search]', payload.id);
  await page.press('[data-testid=customer-search]', 'Enter');
  const card = page.locator('[data-testid=customer-card]');
  await card.first().waitFor();
  assert.equal(await card.first().getAttribute('data-customer'), payload.id);
  assert.ok((await card.first().innerText()).includes(payload.id));
  await page.click('a[data-nav=surveys]');
  const theme = page.locator('[data-testid=themes] tbody button').first();
  await theme.click();
  await page.locator('[data-testid=verbatims] li').first().waitFor();
  assert.deepEqual(await injected(), { pwned: undefined, elements: 0, scripts: 0 }, 'verbatims shown');
  // The standalone report escapes the same texts.
  await page.click('a[data-nav=quality]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-html]')]);
  const html = readFileSync(await download.path(), 'utf8');
  assert.doesNotMatch(html, /<script|<iframe|<img|onload="window/i);
  assert.ok(html.includes('&lt;iframe'), 'the reason is in the report, escaped');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.screenshot({ path: join(artifacts, 'injection-churn.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

test('72 monthly cohorts: one heat-map row each, scrolling inside its box with the headings and cohort column kept in view', async () => {
  // Six years of cohorts, written here: three customers start in each month
  // from 2019-01 and buy again 1 and 5 months later (the last purchases run
  // past the data's end, so late cohorts have fewer cells).
  const lines = ['customer_id,date,amount'];
  for (let m = 0; m < 72; m++) {
    for (let c = 0; c < 3; c++) {
      for (const k of [0, 1, 5]) {
        const month = m + k;
        if (month >= 72) continue;
        const date = `${2019 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-1${c}`;
        lines.push(`m${m}c${c},${date},${10 + c}`);
      }
    }
  }
  const path = join(artifacts, 'cohorts72.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  const expected = cliReport(path);
  assert.equal(expected.cohorts.cohorts.length, 72);
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', path);
  await chartReady(page);
  await page.click('a[data-nav=retention]');
  const rows = page.locator('[data-testid=cohort-table] tbody tr');
  assert.equal(await rows.count(), 72);
  // Month 1 of every full cohort: all 3 customers came back.
  for (const i of [0, 40, 70]) assert.match(await rows.nth(i).locator('td[data-k="1"]').innerText(), /^100(\.0)?\s?%$/);
  const box = page.locator('[data-testid=cohort-table] .cohort-scroll');
  const size = await box.evaluate((e) => ({ client: e.clientHeight, scroll: e.scrollHeight, width: e.scrollWidth, shown: e.clientWidth }));
  assert.ok(size.scroll > size.client, `the triangle scrolls inside its box (${size.scroll} > ${size.client})`);
  assert.ok(size.client <= 900, 'the box fits the window');
  await box.evaluate((e) => e.scrollTo(e.scrollWidth, e.scrollHeight));
  const boxRect = await box.boundingBox();
  // The last cohort's name stays at the left edge, the month headings at the top.
  const lastName = rows.nth(71).locator('th');
  assert.equal(await lastName.innerText(), expected.cohorts.cohorts[71].cohort);
  const nameRect = await lastName.boundingBox();
  assert.ok(Math.abs(nameRect.x - boxRect.x) <= 2, `cohort column kept in view (${nameRect.x} vs ${boxRect.x})`);
  const heading = page.locator('[data-testid=cohort-table] thead th').last();
  const headingRect = await heading.boundingBox();
  assert.ok(headingRect.y >= boxRect.y - 1 && headingRect.y <= boxRect.y + 2, `month headings kept in view (${headingRect.y} vs ${boxRect.y})`);
  await page.screenshot({ path: join(artifacts, 'cohorts-72.png') });
  assert.deepEqual(crashes, []);
});
