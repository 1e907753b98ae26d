// Issue 20: the analysis worker with its helper (the Pareto/NBD fit in a
// second worker while the rest of the analysis goes on) gives the Report of
// one worker (`#workers=1`) and of the CLI, on a 1M-row file, fitted on
// everything (the analysis completes without the fit and fills it in) and
// with a holdout (the CLV section waits for it to choose the model); the
// timings show that the helper was used, and how, or not. The helper also
// reads and parses the second half of a large file (`slice_wait`), or
// refuses it and the first worker reads it (`slice_reread`); a cancel in
// the middle of that leaves the page usable. A file over 8 MB is parsed as
// it arrives, and read again whole when a piece cannot be (`stream_reread`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, cliReport, servedApp } from './harness.mjs';

const app = servedApp();

/**
 * 1,000,000 purchase rows of about 200,000 customers over two years, each
 * with a rate and a lifetime of their own (so both models have repeat
 * structure to fit), from a fixed seed.
 */
function millionRows() {
  let state = 0x9e3779b97f4a7c15n;
  const uniform = () => {
    state ^= state >> 12n;
    state ^= (state << 25n) & 0xffffffffffffffffn;
    state ^= state >> 27n;
    return Number(((state * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn) >> 11n) / 2 ** 53;
  };
  const start = Date.UTC(2023, 0, 1);
  const lines = ['customer_id,date,amount'];
  let customer = 0;
  while (lines.length <= 1_000_000) {
    customer += 1;
    const first = Math.floor(uniform() * 700);
    const gap = 5 + uniform() * 120;
    const life = -Math.log(uniform()) * 300;
    const spend = 10 + uniform() * 90;
    for (let day = first; day < 730 && day - first <= life && lines.length <= 1_000_000; day += 1 + Math.floor(-Math.log(uniform()) * gap)) {
      const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
      lines.push(`c${customer},${date},${(spend * (0.5 + uniform())).toFixed(2)}`);
    }
  }
  const path = join(mkdtempSync(join(tmpdir(), 'pool-')), 'orders_1m.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/**
 * A page in a new context whose worker says when it (and its helper) have
 * warmed up (`window.__workerWarm`): a user picks a file later than that,
 * and the helper takes work only once it listens. What the workers said is
 * kept in `window.__heard`.
 */
async function watchedPage() {
  const context = await app.browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) => {
          if (e.data === '{"kind":"warmed"}') window.__workerWarm = true;
          (window.__heard ??= []).push(String(e.data).slice(0, 40));
        });
        this.addEventListener('error', (e) => (window.__heard ??= []).push(`error ${e.message}`));
      }
    };
  });
  return { context, page };
}

/** The page's Report for `file` with `hash`, and the sections it timed. */
async function pageReport(file, hash) {
  const { context, page } = await watchedPage();
  await page.goto(app.site.url + hash);
  await page.waitForSelector('[data-testid=drop-zone]');
  await page.waitForFunction(() => window.__workerWarm === true, null, { timeout: 30_000 }).catch(async (e) => {
    throw new Error(`${hash}: the worker did not warm up (heard ${JSON.stringify(await page.evaluate(() => window.__heard))}): ${e.message}`);
  });
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await page.setInputFiles('[data-testid=file-input]', file);
  await page.waitForSelector('[data-timing=assemble]', { state: 'attached', timeout: 120_000 });
  const sections = await page.$$eval('[data-timing]', (els) => els.map((e) => e.dataset.timing));
  await page.click('a[data-nav=quality]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-report]')]);
  const report = JSON.parse(readFileSync(await download.path(), 'utf8'));
  await context.close();
  return { report, sections, cores };
}

let generated;
const file = () => (generated ??= millionRows());

/**
 * `rows` purchases of 9,973 customers, whose id is quoted in one row in a
 * thousand past row `quotedFrom`: a file whose start reads in slices (or as
 * it arrives) and whose end does not.
 */
function quotedLate(name, rows, quotedFrom) {
  const lines = ['customer_id,date,amount'];
  for (let i = 0; i < rows; i += 1) {
    const id = i > quotedFrom && i % 1000 === 0 ? `"c${i % 9973}"` : `c${i % 9973}`;
    lines.push(`${id},2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},${(i % 997) / 10}`);
  }
  const path = join(mkdtempSync(join(tmpdir(), 'pool-')), name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

test('a 1M-row file: the worker with its helper gives the Report of one worker and of the CLI', async () => {
  const expected = cliReport(file());
  assert.ok(expected.metrics.pnbd_r > 0, 'the file has a Pareto/NBD fit to make');
  assert.equal(expected.metrics.transactions, 1_000_000);

  const one = await pageReport(file(), '#overview&workers=1');
  assert.ok(!one.sections.includes('pareto_nbd_wait'), `one worker waited for a helper: ${one.sections}`);
  assert.ok(!one.sections.some((s) => s.startsWith('slice_')), `one worker read in halves: ${one.sections}`);
  const pool = await pageReport(file(), '#overview');
  assert.ok(pool.cores >= 2, `Chromium reports ${pool.cores} core(s): no helper to test on this machine`);
  // 23 MB: below the size read in halves.
  assert.ok(!pool.sections.some((s) => s.startsWith('slice_')), `read in halves: ${pool.sections}`);
  // Filled in after the rest of the analysis.
  assert.ok(pool.sections.includes('pareto_nbd_wait'), `the helper was not used: ${pool.sections}`);
  assert.ok(pool.sections.includes('pareto_nbd_complete'), `not completed later: ${pool.sections}`);

  assert.deepEqual(pool.report, one.report);
  assert.deepEqual(pool.report, expected);
});

test('a 1M-row file with a holdout: the model is chosen on the helper\'s fit, as one worker and the CLI choose it', async () => {
  const calibration = '2024-06-30';
  const expected = JSON.parse(
    execFileSync(cliPath, ['report', file(), '--calibration-end', calibration, '--json'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    }),
  );
  assert.equal(expected.clv.holdout_scores.length, 2, 'both models are scored on the holdout');

  const one = await pageReport(file(), `#overview&workers=1&calibration=${calibration}`);
  assert.ok(!one.sections.includes('pareto_nbd_wait'), `one worker waited for a helper: ${one.sections}`);
  const pool = await pageReport(file(), `#overview&calibration=${calibration}`);
  // Waited for within the analysis, before the choice; nothing left to fill in.
  assert.ok(pool.sections.includes('pareto_nbd_wait'), `the helper was not used: ${pool.sections}`);
  assert.ok(!pool.sections.includes('pareto_nbd_complete'), `completed later: ${pool.sections}`);

  assert.deepEqual(pool.report, one.report);
  assert.deepEqual(pool.report, expected);
});

test('a 1M-row file read in halves by both workers (slice_mb=4) gives the Report of one worker and of the CLI', async () => {
  const expected = cliReport(file());
  const one = await pageReport(file(), '#overview&workers=1&slice_mb=4');
  assert.ok(!one.sections.some((s) => s.startsWith('slice_')), `one worker read in halves: ${one.sections}`);
  const halves = await pageReport(file(), '#overview&slice_mb=4');
  // The second half read and parsed by the helper, and joined.
  for (const lap of ['slice_first', 'slice_wait', 'slice_join', 'helper_read', 'helper_parse']) {
    assert.ok(halves.sections.includes(lap), `no ${lap}: ${halves.sections}`);
  }
  assert.deepEqual(halves.report, one.report);
  assert.deepEqual(halves.report, expected);
});

test('a file with quoted fields in its second half: the helper refuses that half and the first worker reads it, with the same Report', async () => {
  const path = quotedLate('quoted_tail.csv', 260_000, 200_000);
  assert.ok(readFileSync(path).length > 4 * 1024 * 1024, 'large enough to be read in halves');
  const expected = cliReport(path);
  const one = await pageReport(path, '#overview&workers=1');
  const pool = await pageReport(path, '#overview&slice_mb=4');
  assert.ok(pool.sections.includes('slice_reread'), `the quoted half was not read again: ${pool.sections}`);
  assert.deepEqual(pool.report, one.report);
  assert.deepEqual(pool.report, expected);
});

test('a file read as it arrives (over 8 MB) gives the Report of a copy read whole, and one with a quote past its first 8 MB is read again whole', async () => {
  const streamed = await pageReport(file(), '#overview&workers=1');
  const copied = await pageReport(file(), '#overview&workers=1&stream=0');
  assert.deepEqual(streamed.report, copied.report);
  const path = quotedLate('quoted_late.csv', 440_000, 420_000);
  const size = readFileSync(path).length;
  assert.ok(size > 9 * 1024 * 1024 && size < 48 * 1024 * 1024, `read as it arrives, not in halves: ${size}`);
  const expected = cliReport(path);
  const quoted = await pageReport(path, '#overview');
  assert.ok(quoted.sections.includes('stream_reread'), `the file was not read again: ${quoted.sections}`);
  assert.deepEqual(quoted.report, expected);
});

test('cancel while both workers read a file leaves the page usable, and the next file is read in halves again', async () => {
  const { context, page } = await watchedPage();
  const crashes = [];
  page.on('pageerror', (e) => crashes.push(String(e)));
  await page.goto(app.site.url + '#overview&slice_mb=4');
  await page.waitForFunction(() => window.__workerWarm === true, null, { timeout: 30_000 });
  await page.setInputFiles('[data-testid=file-input]', file());
  // The first progress: the first worker copies its half while the helper
  // reads the other.
  await page.locator('[data-testid=progress]').waitFor();
  await page.click('[data-testid=cancel]');
  await page.locator('[data-testid=progress]').waitFor({ state: 'detached' });
  assert.equal(await page.locator('canvas[data-chart]').count(), 0);
  assert.equal(await page.locator('[role=alert]').count(), 0);
  // A new worker (and helper) take over: the same file again, in halves.
  await page.evaluate(() => (window.__workerWarm = false));
  await page.waitForFunction(() => window.__workerWarm === true, null, { timeout: 30_000 });
  await page.setInputFiles('[data-testid=file-input]', file());
  await page.waitForSelector('[data-timing=assemble]', { state: 'attached', timeout: 120_000 });
  const sections = await page.$$eval('[data-timing]', (els) => els.map((e) => e.dataset.timing));
  assert.ok(sections.includes('slice_wait'), `not read in halves after the cancel: ${sections}`);
  assert.deepEqual(crashes, []);
  await context.close();
});
