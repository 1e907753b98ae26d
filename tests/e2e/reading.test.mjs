// Any real export understood on the first drop (issue 18), as a user meets
// it: house-style headers, a customers workbook, a column named like a role
// whose values refuse it, the "read as" line with its notes, and the mapping
// panel opening by itself when a file feeds no figure. Variants of the shared
// files are generated here, in a temporary folder, never committed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chartReady, cliPath, cliReport, dataFile, dropFile, launch, pageMetrics, root, serveDist } from './harness.mjs';

const PAGE_ONLY = new Set(['parse_ms', 'analyze_ms', 'render_ms']);
let browser;
let site;
let scratch;

before(async () => {
  site = await serveDist('/');
  browser = await launch();
  scratch = mkdtempSync(join(tmpdir(), 'loyalty-reading-'));
});

after(async () => {
  await browser?.close();
  site?.server.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
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

/** The page's figures, without its own timings. */
async function figures(page) {
  const shown = await pageMetrics(page);
  for (const id of PAGE_ONLY) delete shown[id];
  return shown;
}

/** The figures appear once the worker has answered. */
async function analysed(page) {
  await page.waitForSelector('[data-metric=rows_read][data-value]:not([data-value=""])', { state: 'attached', timeout: 30_000 });
}

/** The CLI's "read as" line for `file` (its text output says it as the page does). */
function cliReadAs(file) {
  const text = execFileSync(cliPath, ['report', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = text.split('\n').find((l) => l.trim().startsWith('read as '));
  assert.ok(line, `the CLI says what ${file} was read as:\n${text}`);
  return line.trim().slice('read as '.length);
}

/** `name` in the shared data, its header line rewritten by `rename` (the rest byte for byte). */
function withHeader(relative, name, rename, { bom = false, crlf = false } = {}) {
  const text = readFileSync(dataFile(relative), 'utf8');
  const end = text.indexOf('\n');
  const header = text.slice(0, end).replace(/\r$/, '');
  let body = text.slice(end + 1);
  if (crlf) body = body.replace(/\r?\n/g, '\r\n');
  const path = join(scratch, name);
  writeFileSync(path, `${bom ? '\ufeff' : ''}${rename(header.split(','))}${crlf ? '\r\n' : '\n'}${body}`);
  return path;
}

/** "Number of Referrals" -> "numberOfReferrals". */
function camelCase(name) {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1))).join('');
}

// The IBM telco churn list with run-together, trailing-space headers, a BOM
// and CRLF line ends (issue 18, pattern 1): the names the issue quotes, the
// other columns in camelCase.
const telcoStyled = {
  'Customer ID': 'Customerid ',
  'Customer Status': 'Customerstatus ',
  'Churn Label': 'Churnlabel ',
  'Churn Category': 'Churncategory ',
  'Churn Reason': 'Churnreason ',
  'Tenure in Months': 'Tenureinmonths ',
  'Satisfaction Score': 'SatisfactionScore',
};

function telcoRunTogether() {
  return withHeader(
    'ibm_telco_v11_merged.csv',
    'telco_churn_styled.csv',
    (names) => names.map((n) => telcoStyled[n] ?? camelCase(n)).join(','),
    { bom: true, crlf: true },
  );
}

test('a churn list with run-together, trailing-space headers (BOM, CRLF) shows its churn page with the CLI figures', async () => {
  const file = telcoRunTogether();
  const expected = cliReport(file);
  // pandas on the original file: (df['Churn Label'] == 'Yes').sum()
  assert.equal(expected.metrics.churned_customers, 1869);
  const { page, crashes } = await openPage();
  await dropFile(page, file, basename(file));
  await analysed(page);
  assert.deepEqual(await figures(page), expected.metrics);
  await page.click('a[data-nav=churn]');
  const churn = page.locator('[data-page=churn]');
  assert.equal(await churn.isVisible(), true);
  assert.equal(await churn.locator('[data-metric=churned_customers]').getAttribute('data-value'), '1869');
  await chartReady(page, 'churn_pareto');
  await page.screenshot({ path: join(scratch, 'churn-styled.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

test('the "read as" line names each role and the column it came from, as the CLI says it, in both languages', async () => {
  const file = telcoRunTogether();
  const name = basename(file);
  const { page, crashes } = await openPage();
  await dropFile(page, file, name);
  await analysed(page);
  const line = page.locator(`[data-page=overview] [data-testid=read-as][data-file="${name}"]`);
  const text = await line.innerText();
  assert.equal(text, `${name} — ${cliReadAs(file)}`);
  for (const column of ['Customerid', 'Churnlabel', 'Customerstatus', 'Tenureinmonths', 'SatisfactionScore', 'Churnreason']) {
    assert.ok(text.includes(column), `${column} named in: ${text}`);
  }
  assert.match(text, /Customer id ← Customerid/);
  assert.match(text, /Churned \(yes\/no\) ← Churnlabel/);
  // The language switch changes the line, not the column names.
  await page.selectOption('select[data-testid=lang]', 'ru');
  const ru = await line.innerText();
  assert.match(ru, /клиенты: Код клиента ← Customerid/);
  assert.match(ru, /Ушёл \(да\/нет\) ← Churnlabel/);
  await page.selectOption('select[data-testid=lang]', 'en');
  assert.equal(await line.innerText(), text);
  // "Change columns" opens that file's mapping panel on the Data quality page.
  await page.click(`[data-testid=open-mapping][data-file="${name}"]`);
  const panel = page.locator(`details[data-testid=mapping-panel][data-file="${name}"]`);
  await page.waitForFunction((n) => document.querySelector(`details[data-file="${n}"]`)?.open === true, name);
  assert.equal(await page.locator('[data-page=quality]').isVisible(), true);
  assert.equal(await panel.isVisible(), true);
  await page.waitForFunction((n) => {
    const r = document.querySelector(`details[data-file="${n}"]`).getBoundingClientRect();
    return r.top < window.innerHeight && r.bottom > 0;
  }, name);
  // Closed by the user, it opens again on the next request.
  await panel.locator('summary').click();
  assert.equal(await panel.evaluate((d) => d.open), false);
  await page.click('a[data-nav=overview]');
  await page.click(`[data-testid=open-mapping][data-file="${name}"]`);
  await page.waitForFunction((n) => document.querySelector(`details[data-file="${n}"]`)?.open === true, name);
  assert.deepEqual(crashes, []);
});

test('a customers workbook (XLSX) with a satisfaction column shows CSAT and a survival curve', async () => {
  // tests/fixtures/make_customers_workbook.py: 240 made-up customers; 127
  // answered 4 or 5 on the 1-5 scale, so CSAT = 127 / 240 = 0.5292.
  const file = join(root, 'tests/fixtures/customers_satisfaction.xlsx');
  const expected = cliReport(file);
  assert.equal(expected.metrics.csat, 127 / 240);
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  await chartReady(page, 'survival');
  assert.deepEqual(await figures(page), expected.metrics);
  const csat = page.locator('[data-page=surveys] [data-metric=csat]');
  assert.equal(Number(await csat.getAttribute('data-value')), 127 / 240);
  assert.equal(Number(await page.getAttribute('[data-metric=km_median_months]', 'data-value')), expected.metrics.km_median_months);
  // The customers figure is on the overview of a file without orders.
  assert.equal(await page.getAttribute('[data-page=overview] [data-metric=customers]', 'data-value'), '240');
  const line = await page.innerText('[data-page=overview] [data-testid=read-as]');
  assert.match(line, /Satisfaction \(CSAT\) ← SatisfactionScore/);
  assert.match(line, /Tenure in months ← Tenure \(months\)/);
  await page.click('a[data-nav=surveys]');
  await page.screenshot({ path: join(scratch, 'customers-workbook-surveys.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

test('a customers file with a `score` column of credit scores is read, with a note on the overview and Data quality', async () => {
  const file = withHeader('bank_churn_records_satisfaction_points.csv', 'bank_score.csv', (names) =>
    names.map((n) => (n === 'CreditScore' ? 'score' : n)).join(','),
  );
  const expected = cliReport(file);
  assert.equal(expected.metrics.customers, 10000);
  assert.ok(expected.files[0].notes.length > 0, 'the CLI notes the refused role');
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  await analysed(page);
  const shown = await figures(page);
  assert.deepEqual(shown, expected.metrics);
  assert.equal(shown.customers, expected.metrics.customers);
  assert.equal(shown.churned_customers, expected.metrics.churned_customers);
  assert.equal(await page.locator('[role=alert][data-testid=error]').count(), 0);
  const notes = await page.locator('[data-page=overview] [data-testid=file-note][data-file="bank_score.csv"]').allInnerTexts();
  assert.ok(notes.some((n) => /'score' was not read as NPS score \(0-10\)/.test(n)), notes.join(' | '));
  await page.selectOption('select[data-testid=lang]', 'ru');
  const ru = await page.locator('[data-page=overview] [data-testid=file-note]').allInnerTexts();
  assert.ok(ru.some((n) => n.includes('«score» не прочитан')), ru.join(' | '));
  await page.selectOption('select[data-testid=lang]', 'en');
  await page.click('a[data-nav=quality]');
  const quality = await page.locator('[data-testid=data-quality] [data-testid=quality-note]').allInnerTexts();
  assert.deepEqual(quality, notes);
  // The standalone HTML report says the same.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-html]')]);
  const html = readFileSync(await download.path(), 'utf8');
  const esc = (t) => t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const readAs = await page.locator('[data-page=overview] [data-testid=read-as]').innerText();
  assert.ok(html.includes(`data-testid="read-as" data-file="bank_score.csv">${esc(readAs)}</p>`), readAs);
  for (const note of notes) assert.ok(html.includes(`data-testid="file-note" data-file="bank_score.csv">${esc(note)}</p>`), note);
  assert.deepEqual(crashes, []);
});

test('a file that feeds no figure opens its mapping panel by itself, and one with no known column can be named there', async () => {
  // Read (customer id and start date) but nothing to compute.
  const signups = join(scratch, 'signups.csv');
  writeFileSync(signups, 'customer_id,signup_date\nA1,2024-01-05\nA2,2024-02-07\nA3,2024-03-01\n');
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', signups);
  await analysed(page);
  const panel = page.locator('details[data-testid=mapping-panel][data-file="signups.csv"]');
  await panel.waitFor();
  assert.equal(await panel.evaluate((d) => d.open), true);
  assert.match(await panel.locator('[data-testid=mapping-missing]').innerText(), /^Nothing to compute yet beyond the number of customers/);
  await page.selectOption('select[data-testid=lang]', 'ru');
  assert.match(await panel.locator('[data-testid=mapping-missing]').innerText(), /^Пока нечего считать/);
  await page.selectOption('select[data-testid=lang]', 'en');

  // No known column: refused with a message, the panel open on it; naming
  // the roles there reads it as the CLI reads the same rows named.
  const members = join(scratch, 'members.csv');
  writeFileSync(members, 'member,gone,colour\nA1,yes,red\nA2,no,blue\nA3,yes,red\nA4,no,green\nA5,no,red\n');
  await page.setInputFiles('[data-testid=file-input]', members);
  const alert = page.locator('[role=alert][data-testid=error]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /members\.csv: no known columns found/);
  const refused = page.locator('details[data-testid=mapping-panel][data-file="members.csv"]');
  await refused.waitFor();
  assert.equal(await refused.evaluate((d) => d.open), true);
  assert.match(await refused.locator('[data-testid=mapping-missing]').innerText(), /^Nothing to compute yet: pick the column with the customer id/);
  assert.deepEqual(await refused.locator('.preview thead tr').first().locator('th').allInnerTexts(), ['member', 'gone', 'colour']);
  const roles = refused.locator('.preview thead select');
  await roles.nth(0).selectOption('customer_id');
  await roles.nth(1).selectOption('churned');
  await refused.locator('[data-testid=apply-mapping]').click();
  await page.waitForSelector('[data-page=overview] [data-testid=read-as][data-file="members.csv"]', { state: 'attached' });
  // The CLI on the same rows under names it knows (it has no --map yet).
  // Files add up: signups.csv is still loaded, the members are read beside
  // it with the roles named for the second file.
  const named = join(scratch, 'members_named.csv');
  writeFileSync(named, readFileSync(members, 'utf8').replace('member,gone,', 'customer_id,churned,'));
  assert.equal(cliReport(named).metrics.rows_read, 5);
  const expected = cliReport(signups, named);
  assert.equal(expected.metrics.rows_read, 8);
  assert.equal(expected.metrics.churned_customers, 2);
  assert.deepEqual(await figures(page), expected.metrics);
  assert.equal(await alert.count(), 0);
  assert.deepEqual(crashes, []);
});

test('a workbook with a sheet per year is read whole, and the mapping panel picks sheets; names make the customer id', async () => {
  // tests/fixtures/make_multisheet.py: sheets 2022, 2023 and 2024 share the
  // orders header (11 customers, 32 rows, revenue 4039.30 together); "Notes"
  // has other columns and is named in a note.
  const workbook = join(root, 'tests/fixtures/orders_by_year.xlsx');
  const whole = cliReport(workbook);
  assert.equal(whole.metrics.customers, 11);
  assert.equal(whole.metrics.revenue, 4039.3);
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', workbook);
  await analysed(page);
  assert.deepEqual(await figures(page), whole.metrics);
  await page.click('[data-testid=open-mapping]');
  const boxes = page.locator('[data-testid=sheet-choice]');
  assert.deepEqual(await boxes.evaluateAll((b) => b.filter((x) => x.checked).map((x) => x.value)), ['2022', '2023', '2024']);
  // Only 2023: the page equals `loyalty report --sheet 2023`.
  const one = JSON.parse(execFileSync(cliPath, ['report', workbook, '--sheet', '2023', '--json'], { encoding: 'utf8' }));
  await page.uncheck('[data-testid=sheet-choice][value="2022"]');
  await page.uncheck('[data-testid=sheet-choice][value="2024"]');
  await page.click('[data-testid=apply-mapping]');
  await page.waitForFunction(
    (want) => document.querySelector('[data-metric=rows_read]')?.dataset.value === String(want),
    one.metrics.rows_read,
  );
  assert.deepEqual(await figures(page), one.metrics);

  // Receipts with first and last names and no id: the names are the id.
  const receipts = join(root, 'tests/fixtures/receipts_by_name.csv');
  const byName = cliReport(receipts);
  const fresh = await openPage();
  await fresh.page.setInputFiles('[data-testid=file-input]', receipts);
  await analysed(fresh.page);
  assert.deepEqual(await figures(fresh.page), byName.metrics);
  assert.equal(byName.metrics.customers, 5);
  assert.match(await fresh.page.innerText('[data-testid=read-as]'), /Customer id ← First Name \+ Last Name/);
  assert.deepEqual([...crashes, ...fresh.crashes], []);
});

test('the overview sums up every area the data feeds, each tile a link to its page', async () => {
  // A churn list alone: the churn tile leads with the churned customers
  // (telco: 1,869, as the CLI) and links to the churn page.
  const file = dataFile('ibm_telco_v11_merged.csv');
  const expected = cliReport(file);
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  await analysed(page);
  const churn = page.locator('[data-page=overview] [data-testid=area-summary][data-area=churn]');
  await churn.waitFor();
  assert.equal(expected.metrics.churned_customers, 1869);
  assert.match(await churn.innerText(), /Customers who left\s+1,869/);
  assert.match(await churn.innerText(), new RegExp(expected.churn.reasons[0].reason));
  // The surveys tile: the satisfaction scores of the list give CSAT.
  const surveys = page.locator('[data-page=overview] [data-testid=area-summary][data-area=surveys]');
  assert.match(await surveys.innerText(), /CSAT/);
  await churn.click();
  await page.waitForSelector('[data-page=churn]:not([hidden])');
  assert.deepEqual(crashes, []);
});
