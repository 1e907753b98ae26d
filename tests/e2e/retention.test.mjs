// Issue 22, point 3: retention cannot pass 100%. A lapsed customer who comes
// back counts as acquired in that period, so on every real orders file the
// overview's "Retention, last full month" plus "Churn, last full month" is
// 1, each equal to the CLI's figure, in either language.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cliReport, dataFile, launch, root, serveDist } from './harness.mjs';

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

const files = [
  ['sample orders', join(root, 'assets/sample/orders.csv'), 'en'],
  ['Russian orders, Windows-1251', dataFile('ru_ecom_home_goods_orders_cp1251.csv'), 'ru'],
  ['Superstore orders', dataFile('prepbench_case160_superstore_orders.csv'), 'en'],
  ['CDNOW master', dataFile('cdnow/CDNOW_master.txt'), 'ru'],
];

for (const [name, path, lang] of files) {
  test(`CRR + churn = 1 on the overview: ${name} (${lang})`, async () => {
    const expected = cliReport(path).metrics;
    assert.ok(expected.retention_rate <= 1, `CLI retention ${expected.retention_rate}`);
    assert.ok(Math.abs(expected.retention_rate + expected.churn_rate - 1) < 1e-12);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(site.url);
    await page.waitForSelector('[data-testid=drop-zone]');
    await page.selectOption('select[data-testid=lang]', lang);
    await page.setInputFiles('[data-testid=file-input]', path);
    const value = async (id) => {
      const card = page.locator(`[data-page=overview] [data-metric=${id}]`);
      await card.waitFor({ timeout: 60_000 });
      return Number(await card.getAttribute('data-value'));
    };
    const [crr, churn] = [await value('retention_rate'), await value('churn_rate')];
    assert.equal(crr, expected.retention_rate);
    assert.equal(churn, expected.churn_rate);
    assert.ok(Math.abs(crr + churn - 1) < 1e-12, `${crr} + ${churn}`);
    await context.close();
  });
}
