// Issue 22, what a manager checks before trusting the page: settings out of
// bounds are refused beside their field (the figures stay the CLI's), CSV
// downloads open in Excel as the page shows them, every table downloads
// under its own name, the customer search forgives case and takes a
// prefix, and a churn file without reasons draws no reason charts.
// Expected figures come from the CLI's JSON for the same files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  artifacts,
  chartReady,
  cliPath,
  cliReport,
  dataFile,
  launch,
  pageMetrics,
  root,
  serveDist,
  shownAs,
} from './harness.mjs';

const PAGE_ONLY = new Set(['parse_ms', 'analyze_ms', 'render_ms']);
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

async function openPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ acceptDownloads: true, viewport });
  const page = await context.newPage();
  const crashes = [];
  page.on('pageerror', (e) => crashes.push(e.message));
  page.on('console', (m) => m.type() === 'error' && crashes.push(m.text()));
  await page.goto(site.url);
  await page.waitForSelector('[data-testid=drop-zone]');
  return { page, crashes };
}

async function figures(page) {
  const shown = await pageMetrics(page);
  for (const id of Object.keys(shown)) if (PAGE_ONLY.has(id)) delete shown[id];
  return shown;
}

/** A CSV text split into rows of cells (quotes as RFC 4180; BOM dropped). */
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

async function download(page, table) {
  const [file] = await Promise.all([page.waitForEvent('download'), table.locator('[data-testid=export-csv]').click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

/** The name the page gives a column in a file name. */
const slug = (name) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'segment';

test('settings out of bounds: a message beside the field, the figures stay the CLI\'s, and the CLI refuses the same values', async () => {
  const expected = cliReport(...bundledSample);
  const { page, crashes } = await openPage();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  assert.deepEqual(await figures(page), expected.metrics);

  // A churn window of 0 days.
  await page.fill('[data-testid=churn-window]', '0');
  await page.dispatchEvent('[data-testid=churn-window]', 'change');
  const windowError = page.locator('[data-testid=settings-error][data-field=churn-window]');
  await windowError.waitFor();
  assert.match(await windowError.textContent(), /0 days is not a churn window: use 1 to 3,650 days/);
  // Time for a rerun, had one been asked for.
  await page.waitForTimeout(1500);
  assert.deepEqual(await figures(page), expected.metrics, 'the bad window is not sent');

  // A CLV horizon of 0 months, on the CLV page.
  await page.click('a[data-nav=clv]');
  await page.fill('[data-testid=horizon-months]', '0');
  await page.dispatchEvent('[data-testid=horizon-months]', 'change');
  const horizonError = page.locator('[data-testid=settings-error][data-field=horizon-months]');
  await horizonError.waitFor();
  assert.match(await horizonError.textContent(), /horizon of 0 months is out of range/);
  await page.waitForTimeout(1500);
  assert.deepEqual(await figures(page), expected.metrics, 'the bad horizon is not sent');

  // Messages follow the language.
  await page.selectOption('select[data-testid=lang]', 'ru');
  assert.match(await windowError.textContent(), /недопустимое окно оттока/);
  assert.match(await horizonError.textContent(), /Горизонт 0 мес\./);
  await page.selectOption('select[data-testid=lang]', 'en');

  // A valid To applies (the CLI with --to gives the same figures); a From
  // after it is refused and the figures stay those of the To alone.
  const to = '2024-06-30';
  const upTo = cliReport(...bundledSample, '--to', to);
  await page.click('a[data-nav=overview]');
  await page.fill('[data-testid=date-to]', to);
  await page.dispatchEvent('[data-testid=date-to]', 'change');
  await page.waitForFunction(
    (want) => document.querySelector('[data-metric=customers]')?.dataset.value === String(want),
    upTo.metrics.customers,
  );
  await chartReady(page);
  assert.deepEqual(await figures(page), upTo.metrics);
  await page.fill('[data-testid=date-from]', '2024-09-01');
  await page.dispatchEvent('[data-testid=date-from]', 'change');
  const dateError = page.locator('[data-testid=settings-error][data-field=date-range]');
  await dateError.waitFor();
  assert.match(await dateError.textContent(), /start date 2024-09-01 is after the end date 2024-06-30/);
  await page.waitForTimeout(1500);
  assert.deepEqual(await figures(page), upTo.metrics, 'the bad range is not sent');
  // Correcting the field clears its message.
  await page.fill('[data-testid=churn-window]', '90');
  await page.dispatchEvent('[data-testid=churn-window]', 'change');
  await page.locator('[data-testid=settings-error][data-field=churn-window]').waitFor({ state: 'detached' });
  assert.deepEqual(crashes, []);

  // The CLI: the same bounds, the same message, a failing exit.
  for (const [flags, message] of [
    [['--churn-window-days', '0'], /churn window of 0 days is out of range/],
    [['--horizon-months', '0'], /CLV horizon of 0 months is out of range/],
    [['--from', '2024-09-01', '--to', '2024-06-30'], /start date 2024-09-01 is after the end date 2024-06-30/],
  ]) {
    assert.throws(
      () => execFileSync(cliPath, ['report', ...bundledSample, ...flags], { encoding: 'utf8', stdio: 'pipe' }),
      (e) => e.status !== 0 && message.test(e.stderr),
      flags.join(' '),
    );
  }
});

test('CSV downloads: BOM, figures rounded as shown, the interval in two columns, Russian with ";" and a decimal comma, one name per table', async () => {
  const expected = cliReport(...bundledSample);
  const { page, crashes } = await openPage();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  await page.click('a[data-nav=surveys]');

  // The NPS segment table of each column: its own file name, the interval
  // as two number columns rounded to the one decimal the page shows.
  const segments = expected.surveys.nps_segments;
  assert.ok(segments.length >= 1, 'the sample has NPS segments');
  const names = new Set();
  for (const seg of segments) {
    const table = page.locator(`[data-testid=nps-segments][data-column="${seg.column}"]`);
    await table.waitFor();
    const csv = await download(page, table);
    assert.equal(csv.name, `nps-segments-${slug(seg.column)}.csv`);
    names.add(csv.name);
    assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
    const rows = parseCsv(csv.bytes.toString('utf8'));
    assert.deepEqual(rows[0], [seg.column, 'Answers', 'NPS', '95% interval, low', '95% interval, high', 'vs the rest', 'Impact on total']);
    assert.deepEqual(
      rows.slice(1).map(([label, n, nps, low, high, diff, impact], k) => {
        const r = seg.rows[k];
        return [label, Number(n), shownAs(nps, r.summary.nps, 1), shownAs(low, r.summary.ci_low, 1), shownAs(high, r.summary.ci_high, 1), shownAs(diff, r.difference_to_rest, 1), shownAs(impact, r.impact, 1)];
      }),
      seg.rows.map((r) => [r.label, r.summary.responses, r.summary.nps, r.summary.ci_low, r.summary.ci_high, r.difference_to_rest ?? null, r.impact ?? null]),
    );
  }
  assert.equal(names.size, segments.length, 'one file name per segment column');

  // The loyalty-link tables (NPS group, satisfaction, had a problem): one name each.
  const link = page.locator('[data-testid=loyalty-link]');
  const tables = await link.count();
  assert.ok(tables >= 2, `${tables} loyalty-link tables`);
  const linkNames = [];
  for (let i = 0; i < tables; i++) linkNames.push((await download(page, link.nth(i))).name);
  assert.equal(new Set(linkNames).size, tables, linkNames.join(', '));
  assert.ok(linkNames.includes('loyalty-link-nps-group.csv'), linkNames.join(', '));
  // Shares as the page shows them (one decimal of a percentage: three of the fraction).
  const byGroup = expected.surveys.loyalty_link.by_nps_group;
  const first = parseCsv((await download(page, link.first())).bytes.toString('utf8'));
  assert.deepEqual(
    first.slice(1).map((r, k) => shownAs(r[2], byGroup[k].repeat_rate?.share, 3)),
    byGroup.map((g) => g.repeat_rate?.share ?? null),
  );

  // In Russian: ';' between cells, a decimal comma, Russian headings, still the BOM.
  await page.selectOption('select[data-testid=lang]', 'ru');
  const seg = segments[0];
  const ru = await download(page, page.locator(`[data-testid=nps-segments][data-column="${seg.column}"]`));
  assert.equal(ru.name, `nps-segments-${slug(seg.column)}.csv`, 'the file name does not change with the language');
  assert.deepEqual([...ru.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = ru.bytes.toString('utf8');
  const ruRows = parseCsv(text, ';');
  assert.equal(ruRows[0].length, 7, ruRows[0].join(' | '));
  assert.equal(ruRows[0][3], '95% интервал, нижняя граница');
  assert.equal(ruRows[0][4], '95% интервал, верхняя граница');
  ruRows.slice(1).forEach((cells, k) => {
    assert.match(cells[2], /^-?\d+,\d$/, `NPS "${cells[2]}" with a decimal comma`);
    assert.equal(shownAs(cells[3], seg.rows[k].summary.ci_low, 1), seg.rows[k].summary.ci_low);
  });
  assert.ok(!/\d\.\d/.test(text), 'no decimal point in the Russian file');
  await page.selectOption('select[data-testid=lang]', 'en');
  assert.deepEqual(crashes, []);
});

test('customer search: a lowercase id or the start of one finds the customer; several matches to pick from', async () => {
  const expected = cliReport(...bundledSample);
  const { page, crashes } = await openPage();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  await page.click('a[data-nav=clv]');
  const top = expected.clv.top_customers[0].customer;
  assert.match(top, /^C\d{4}$/);
  // The whole id in lower case.
  await page.fill('[data-testid=customer-search]', top.toLowerCase());
  await page.press('[data-testid=customer-search]', 'Enter');
  await page.locator(`[data-testid=customer-card][data-customer="${top}"]`).waitFor();
  assert.equal(await page.locator('[data-testid=customer-matches]').count(), 0);
  // The start of an id: the first ids in order, each one a button.
  const prefix = top.slice(0, 3).toLowerCase(); // "c0" and one digit
  await page.fill('[data-testid=customer-search]', prefix);
  await page.press('[data-testid=customer-search]', 'Enter');
  const matches = page.locator('[data-testid=customer-match]');
  await matches.first().waitFor();
  const ids = await matches.allTextContents();
  assert.ok(ids.length > 1 && ids.length <= 8, ids.join(', '));
  assert.ok(ids.every((id) => id.toLowerCase().startsWith(prefix)), ids.join(', '));
  assert.deepEqual(ids, [...ids].sort());
  await page.locator(`[data-testid=customer-card][data-customer="${ids[0]}"]`).waitFor();
  await matches.nth(1).click();
  await page.locator(`[data-testid=customer-card][data-customer="${ids[1]}"]`).waitFor();
  assert.deepEqual(crashes, []);
});

test('churn without stated reasons: no Pareto, no reference comparison, a note instead', async () => {
  // A customers file whose leavers give no reason (blank or "unknown").
  const lines = ['customer_id,customer_since,churn_date,reason'];
  for (let k = 0; k < 30; k++) {
    const day = String((k % 27) + 1).padStart(2, '0');
    lines.push(`N${k},2024-01-${day},${k % 3 ? `2024-05-${day}` : ''},${k % 2 ? 'Unknown' : ''}`);
  }
  const file = join(artifacts, 'churn-no-reasons.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  const expected = cliReport(file);
  assert.ok(expected.churn.churned > 0);
  assert.ok(expected.churn.categories.every((c) => c.category === 'unknown'), 'every leaver unknown');
  assert.equal(expected.metrics.churn_reasons, undefined, 'no distinct reason counted');
  const { page, crashes } = await openPage();
  await page.setInputFiles('[data-testid=file-input]', file);
  await page.click('a[data-nav=churn]');
  await page.locator('[data-testid=no-stated-reasons]').waitFor();
  for (const chart of ['churn_pareto', 'churn_reference', 'churn_incidence']) {
    assert.equal(await page.locator(`canvas[data-chart="${chart}"]`).count(), 0, `${chart} left out`);
  }
  assert.equal(await page.locator('[data-testid=churn-reasons]').count(), 0);
  assert.equal(await page.locator('[data-testid=churn-categories]').count(), 0);
  assert.deepEqual(await figures(page), expected.metrics);

  // The bank file (churn flags, no reason column) likewise.
  const bankFile = dataFile('bank_churn_records_satisfaction_points.csv');
  const bank = cliReport(bankFile);
  // Files add up: clear the first before loading the second alone.
  await page.click('a[data-nav=overview]');
  await page.click('[data-testid=clear-files]');
  await page.locator('[data-testid=loaded-file]').first().waitFor({ state: 'detached' });
  await page.setInputFiles('[data-testid=file-input]', bankFile);
  await page.click('a[data-nav=churn]');
  await page.waitForFunction(
    (want) => document.querySelector('[data-metric=churned_customers]')?.dataset.value === String(want),
    bank.metrics.churned_customers,
  );
  await page.locator('[data-testid=no-stated-reasons]').waitFor();
  assert.equal(await page.locator('canvas[data-chart="churn_pareto"]').count(), 0);
  assert.equal(await page.locator('canvas[data-chart="churn_reference"]').count(), 0);
  assert.deepEqual(crashes, []);
});

test('layout: nothing runs past the right edge at 1280 and 390 px, in English and Russian', async () => {
  for (const width of [1280, 390]) {
    const { page, crashes } = await openPage({ width, height: 900 });
    await page.click('[data-testid=load-sample]');
    await chartReady(page);
    for (const lang of ['en', 'ru']) {
      await page.selectOption('select[data-testid=lang]', lang);
      for (const nav of ['overview', 'retention', 'surveys', 'clv', 'churn']) {
        await page.click(`a[data-nav=${nav}]`);
        // Elements whose right edge passes the viewport, outside a box that scrolls.
        const cut = await page.evaluate(() => {
          const limit = document.documentElement.clientWidth + 1;
          const scrolls = (el) => {
            for (let p = el.parentElement; p; p = p.parentElement) {
              const s = getComputedStyle(p);
              if (/(auto|scroll)/.test(s.overflowX) && p.scrollWidth > p.clientWidth) return true;
            }
            return false;
          };
          return [...document.querySelectorAll('main:not([hidden]) th, main:not([hidden]) select, .settings label, main:not([hidden]) td')]
            .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > limit && !scrolls(el))
            .slice(0, 5)
            .map((el) => `${el.tagName} "${el.textContent.trim().slice(0, 30)}" right ${Math.round(el.getBoundingClientRect().right)}`);
        });
        assert.deepEqual(cut, [], `${width}px ${lang} ${nav}`);
        // Headings of a row do not overlap each other.
        const overlaps = await page.evaluate(() => {
          const out = [];
          for (const tr of document.querySelectorAll('main:not([hidden]) thead tr')) {
            const boxes = [...tr.querySelectorAll('th button.sort')].map((b) => [b.textContent.trim(), b.getBoundingClientRect(), b.scrollWidth > b.clientWidth + 1]);
            for (const [name, , spills] of boxes) if (spills) out.push(`${name} spills`);
          }
          return out.slice(0, 5);
        });
        assert.deepEqual(overlaps, [], `${width}px ${lang} ${nav} headings`);
      }
      if (width === 390) await page.screenshot({ path: join(artifacts, `trust-${lang}-${width}.png`), fullPage: true });
    }
    await page.selectOption('select[data-testid=lang]', 'en');
    assert.deepEqual(crashes, []);
  }
});
