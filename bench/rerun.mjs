// The rerun budget (issue 9: a settings change reruns in <= 100 ms at 1M
// rows): drops a transactions file on the built app in headless Chromium,
// waits for every chart, then switches the period (month -> quarter -> week
// -> month) and reads the worker's `analyze_ms` of each rerun (the worker
// re-analyses the rows it holds; nothing is re-read: `parse_ms` is 0) and the
// wall time from the change to the new figures on the page (the charts redraw
// in an effect right after, which this wall time may not include).
//
//   node bench/rerun.mjs --file /tmp/loyalty-bench/data/tx_1m.csv [--runs 3]
//
// Needs a built dist/ (or LOYALTY_DIST) and tests/e2e's node_modules.
import { launch, serveDist } from '../tests/e2e/harness.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const file = arg('file');
const runs = Number(arg('runs', '3'));
if (!file) {
  console.error('usage: node bench/rerun.mjs --file TRANSACTIONS.csv [--runs N]');
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const allDrawn = () => {
  const charts = [...document.querySelectorAll('canvas[data-chart]')];
  const parse = document.querySelector('[data-metric=parse_ms]')?.dataset.value;
  return charts.length > 0 && parse !== '' && parse != null && charts.every((c) => c.dataset.ready === 'true');
};

const site = await serveDist();
const browser = await launch();
const results = [];
try {
  for (let run = 1; run <= runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(site.url);
    await page.waitForSelector('[data-testid=drop-zone]');
    await page.setInputFiles('[data-testid=file-input]', file);
    await page.waitForFunction(allDrawn, null, { timeout: 600_000, polling: 50 });
    for (const period of ['quarter', 'week', 'month']) {
      const before = await page.$eval('[data-metric=analyze_ms]', (e) => e.dataset.value);
      const t0 = Date.now();
      await page.selectOption('[data-testid=period]', period);
      await page.waitForFunction(
        (old) => {
          const analyze = document.querySelector('[data-metric=analyze_ms]')?.dataset.value;
          const parse = document.querySelector('[data-metric=parse_ms]')?.dataset.value;
          const charts = [...document.querySelectorAll('canvas[data-chart]')];
          return analyze && analyze !== old && parse === '0' && charts.every((c) => c.dataset.ready === 'true');
        },
        before,
        { timeout: 120_000, polling: 10 },
      );
      const wall = Date.now() - t0;
      const analyze = Number(await page.$eval('[data-metric=analyze_ms]', (e) => e.dataset.value));
      const sections = await page.$$eval('[data-timing]', (els) => els.map((e) => [e.dataset.timing, Number(e.dataset.value)]));
      const slowest = sections.slice(0, 3).map(([s, ms]) => `${s} ${ms.toFixed(1)}`).join(', ');
      console.log(`run ${run} ${period}: analyze ${analyze.toFixed(1)} ms, change -> figures ${wall} ms (slowest: ${slowest})`);
      results.push({ period, analyze, wall });
    }
    await context.close();
  }
} finally {
  await browser.close();
  site.server.close();
}
for (const period of ['quarter', 'week', 'month']) {
  const rs = results.filter((r) => r.period === period);
  console.log(`median ${period}: analyze ${median(rs.map((r) => r.analyze)).toFixed(1)} ms, change -> figures ${median(rs.map((r) => r.wall))} ms`);
}
