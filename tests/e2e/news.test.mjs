// Issue 22, "plain news first": a page opens with what changed
// significantly. Expected from the CLI's JSON for the same files: the latest
// NPS period flagged as a significant change, and the last two complete
// periods' retention compared here by a two-proportion z-test written
// independently of the core (pooled, two-sided, erfc by Abramowitz-Stegun 7.1.26).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chartReady, cliReport, launch, root, serveDist } from './harness.mjs';

const sample = ['orders.csv', 'survey.csv', 'churned.csv'].map((f) => join(root, 'assets/sample', f));
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

function erfc(x) {
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return poly * Math.exp(-x * x);
}

function twoProportionP(k1, n1, k2, n2) {
  const p = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  return erfc(Math.abs(k1 / n1 - k2 / n2) / se / Math.SQRT2);
}

test('the sample opens with its significant NPS and retention changes, as the CLI data says', async () => {
  const report = cliReport(...sample);
  const trend = report.surveys.nps_trend;
  let flagged = -1;
  for (let i = 1; i < trend.length; i++) if (trend[i].significant_change) flagged = i;
  const full = report.period_retention.filter((p) => p.complete && p.start_base > 0);
  const [before, last] = full.slice(-2);
  const retentionP = twoProportionP(last.retained, last.start_base, before.retained, before.start_base);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(site.url);
  await page.waitForSelector('[data-testid=drop-zone]');
  await page.click('[data-testid=load-sample]');
  await chartReady(page);
  const lines = async (id) => page.locator(`[data-page=${id}] [data-testid=news] p`).allTextContents();

  const surveys = await lines('surveys');
  if (flagged > 0) {
    const [a, b] = [trend[flagged - 1], trend[flagged]];
    const word = b.summary.nps > a.summary.nps ? 'rose' : 'fell';
    assert.deepEqual(surveys, [
      `NPS ${word} from ${Math.round(a.summary.nps)} in ${a.label} to ${Math.round(b.summary.nps)} in ${b.label}: a significant ${word === 'rose' ? 'rise' : 'drop'}.`,
    ]);
  } else assert.deepEqual(surveys, []);

  const retention = await lines('retention');
  if (retentionP < 0.05) {
    assert.equal(retention.length, 1, `p = ${retentionP}`);
    assert.match(retention[0], new RegExp(`^Retention (rose|fell) from [\\d.]+% in ${before.period} to [\\d.]+% in ${last.period}: a significant`));
  } else assert.deepEqual(retention, [], `p = ${retentionP}`);
  // The overview gathers them all.
  assert.deepEqual(await lines('overview'), [...surveys, ...retention]);
  // In Russian too.
  await page.selectOption('select[data-testid=lang]', 'ru');
  for (const line of await lines('overview')) assert.match(line, /значим/);
  console.log(`news: NPS flagged at ${flagged}, retention p = ${retentionP.toFixed(4)}`);
  await context.close();
});
