// Issue 21 on the CLV page: both purchase models' holdout scores side by
// side, the model in use and its override, the 90% interval on total CLV,
// CLV per month with a window, CLV by segment, and per-customer intervals in
// the card and the predictions CSV. Expected figures come from the CLI's
// JSON for the same file and settings (the CLI's own figures are checked
// against lifetimes in crates/analytics/tests/clv_model_choice.rs,
// clv_months.rs and clv_intervals.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, chartReady, cliReport, pageMetrics, root, servedApp } from './harness.mjs';

const samplePath = join(root, 'assets/cdnow_sample.txt');
const bundledSample = ['orders.csv', 'survey.csv', 'churned.csv'].map((f) => join(root, 'assets/sample', f));
const app = servedApp();

async function openPage() {
  const context = await app.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const crashes = [];
  page.on('pageerror', (e) => crashes.push(e.message));
  page.on('console', (m) => m.type() === 'error' && crashes.push(m.text()));
  await page.goto(app.site.url);
  await page.waitForSelector('[data-testid=drop-zone]');
  return { page, crashes };
}

/** The CDNOW sample on the CLV page with the published 39-week calibration. */
async function cdnowWithHoldout(page) {
  await page.setInputFiles('[data-testid=file-input]', samplePath);
  await chartReady(page);
  await page.click('a[data-nav=clv]');
  await page.fill('[data-testid=calibration-end]', '1997-09-30');
  await page.dispatchEvent('[data-testid=calibration-end]', 'change');
  await page.waitForSelector('[data-testid=model-scores] tr[data-model=pareto_nbd]');
}

test('CLV page: both models scored on the holdout, the lower MAE in use, an interval on total CLV', async () => {
  const expected = cliReport(samplePath, '--calibration-end', '1997-09-30');
  const { page, crashes } = await openPage();
  await cdnowWithHoldout(page);
  // Side by side: each model's holdout figures as the CLI has them.
  for (const score of expected.clv.holdout_scores) {
    const row = page.locator(`[data-testid=model-scores] tr[data-model=${score.model}]`);
    assert.equal(Number(await row.locator('[data-field=mae]').getAttribute('data-value')), score.mae_per_customer);
    assert.equal(Number(await row.locator('[data-field=predicted_total]').getAttribute('data-value')), score.predicted_total);
    assert.equal(Number(await row.locator('[data-field=actual_total]').getAttribute('data-value')), score.actual_total);
  }
  // Pareto/NBD predicts the holdout better per customer (lifetimes agrees:
  // MAE 0.7545 against 0.7855), so it is in use.
  assert.equal(expected.clv.clv_model, 'pareto_nbd');
  assert.equal(await page.getAttribute('[data-testid=clv-model]', 'data-value'), 'pareto_nbd');
  assert.match(await page.textContent('[data-testid=clv-model]'), /Pareto\/NBD/);
  // The published Pareto/NBD fit: r 0.55, alpha 10.58, s 0.61, beta 11.67.
  const shown = await pageMetrics(page);
  assert.equal(shown.pnbd_r.toFixed(2), '0.55');
  assert.equal(shown.pnbd_beta.toFixed(2), '11.67');
  // Total CLV with its 90% interval, the CLI's.
  const card = page.locator('[data-page=clv] .kpi[data-metric=clv_total]');
  assert.equal(Number(await card.getAttribute('data-value')), expected.metrics.clv_total);
  assert.equal(Number(await card.getAttribute('data-ci-low')), expected.metrics.clv_total_low);
  assert.equal(Number(await card.getAttribute('data-ci-high')), expected.metrics.clv_total_high);
  assert.match(await card.locator('.kpi-interval').textContent(), /^90%: /);
  assert.ok(expected.metrics.clv_total_low < expected.metrics.clv_total && expected.metrics.clv_total < expected.metrics.clv_total_high);
  await chartReady(page, 'clv_by_month');
  await page.screenshot({ path: join(artifacts, 'clv-models.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});

test('CLV page: the user names the model, and the figures follow the CLI with --model', async () => {
  const expected = cliReport(samplePath, '--calibration-end', '1997-09-30', '--model', 'bgnbd');
  const { page, crashes } = await openPage();
  await cdnowWithHoldout(page);
  await page.selectOption('[data-testid=clv-model-choice]', 'bgnbd');
  await page.waitForFunction(() => document.querySelector('[data-testid=clv-model]')?.dataset.value === 'bg_nbd');
  await page.waitForFunction(
    (want) => document.querySelector('[data-page=clv] .kpi[data-metric=clv_total]')?.dataset.value === String(want),
    expected.metrics.clv_total,
  );
  const shown = await pageMetrics(page);
  for (const id of ['clv_total', 'clv_total_low', 'clv_total_high', 'expected_purchases_total', 'p_alive_mean']) {
    assert.equal(shown[id], expected.metrics[id], id);
  }
  // Both scores stay side by side.
  assert.equal(await page.locator('[data-testid=model-scores] tbody tr').count(), 2);
  assert.deepEqual(crashes, []);
});

test('CLV page: per-customer intervals in the top table, the card and the predictions CSV', async () => {
  const expected = cliReport(samplePath, '--calibration-end', '1997-09-30');
  const { page, crashes } = await openPage();
  await cdnowWithHoldout(page);
  const top = expected.clv.top_customers[0];
  const cell = page.locator('[data-testid=top-customers] tbody tr').first().locator('[data-field=clv_interval]');
  assert.equal(Number(await cell.getAttribute('data-ci-low')), top.interval.clv.low);
  assert.equal(Number(await cell.getAttribute('data-ci-high')), top.interval.clv.high);
  await page.fill('[data-testid=customer-search]', top.customer);
  await page.press('[data-testid=customer-search]', 'Enter');
  const card = page.locator(`[data-testid=customer-card][data-customer="${top.customer}"]`);
  await card.waitFor();
  const clv = card.locator('[data-field=clv_interval]');
  assert.equal(Number(await clv.getAttribute('data-ci-low')), top.interval.clv.low);
  assert.equal(Number(await clv.getAttribute('data-ci-high')), top.interval.clv.high);
  const purchases = card.locator('[data-field=expected_purchases_interval]');
  assert.equal(Number(await purchases.getAttribute('data-ci-low')), top.interval.expected_purchases.low);
  // Every customer's predictions with their intervals.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-predictions]')]);
  assert.equal(download.suggestedFilename(), 'customer-predictions.csv');
  const lines = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\n');
  assert.equal(
    lines[0],
    'customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,expected_purchases_low,expected_purchases_high,clv,clv_low,clv_high',
  );
  assert.equal(lines.length, expected.metrics.customers + 1);
  const row = lines.find((l) => l.startsWith(`${top.customer},`)).split(',');
  assert.equal(Number(row[9]), top.clv);
  assert.equal(Number(row[10]), top.interval.clv.low);
  assert.equal(Number(row[11]), top.interval.clv.high);
  assert.deepEqual(crashes, []);
});

test('CLV page: months 13-24 as the window, the per-month chart, and CLV by segment of the sample shop', async () => {
  const expected = cliReport(...bundledSample, '--window-months', '13-24');
  const { page, crashes } = await openPage();
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  await page.click('a[data-nav=clv]');
  await page.fill('[data-testid=window-months]', '13-24');
  await page.dispatchEvent('[data-testid=window-months]', 'change');
  await page.waitForFunction(
    (want) => document.querySelector('[data-page=clv] .kpi[data-metric=clv_total]')?.dataset.value === String(want),
    expected.metrics.clv_total,
  );
  await chartReady(page, 'clv_by_month');
  assert.equal(expected.clv.clv_by_month.filter((m) => m.in_window).length, 12);
  // A window that is not m-n is refused with its message, the figures kept.
  await page.fill('[data-testid=window-months]', '24-13');
  await page.dispatchEvent('[data-testid=window-months]', 'change');
  await page.waitForSelector('[data-testid=settings-error][data-field=window-months]');
  // CLV by segment: the first column's labels with their intervals, the CLI's.
  const column = expected.clv.clv_by_segment[0];
  const rows = page.locator('[data-testid=clv-by-segment] tbody tr');
  assert.equal(await rows.count(), column.segments.length);
  for (const segment of column.segments) {
    const row = page.locator(`[data-testid=clv-by-segment] tr[data-segment="${segment.label}"]`);
    assert.equal(Number(await row.locator('[data-field=clv_total]').getAttribute('data-value')), segment.clv_total);
    const interval = row.locator('[data-field=clv_interval]');
    assert.equal(Number(await interval.getAttribute('data-ci-low')), segment.clv_interval.low);
    assert.equal(Number(await interval.getAttribute('data-ci-high')), segment.clv_interval.high);
  }
  await page.screenshot({ path: join(artifacts, 'clv-window-segments.png'), fullPage: true });
  assert.deepEqual(crashes, []);
});
