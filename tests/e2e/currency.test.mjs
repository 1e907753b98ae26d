// Issue 22, point 4: money figures from files in different currencies are
// not summed. The Windows-1251 export's header says "Цена, руб." (SOURCES.md);
// a small shop file says "Order total (USD)". The overview says which
// currency the money figures are in and which file's amounts they leave
// out, in the page's language; the user can pick the other currency, and
// can name the currency of a file that does not say. Revenue is compared
// with the CLI (`--currency`, `--file-currency`) and, for the dollar shop,
// with its hand sum: 12.50 + 30.00 + 8.00 = 50.50.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliReport, dataFile, servedApp } from './harness.mjs';

const app = servedApp();

const dir = mkdtempSync(join(tmpdir(), 'currency-'));
const usd = join(dir, 'us_shop.csv');
writeFileSync(usd, 'customer_id,order_date,Order total (USD)\nA1,2024-01-05,12.50\nA2,2024-02-07,30.00\nA1,2024-03-01,8.00\n');
// The same shop, its header naming no currency.
const plain = join(dir, 'plain_shop.csv');
writeFileSync(plain, 'customer_id,order_date,Order total\nA1,2024-01-05,12.50\nA2,2024-02-07,30.00\nA1,2024-03-01,8.00\n');

const revenue = (page) => page.getAttribute('[data-page=overview] [data-metric=revenue]', 'data-value').then(Number);

async function revenueBecomes(page, expected) {
  await page.waitForFunction(
    (want) => Math.abs(Number(document.querySelector('[data-page=overview] [data-metric=revenue]')?.dataset.value) - want) < 1e-6,
    expected,
    { timeout: 30_000 },
  ).catch(async () => assert.equal(await revenue(page), expected));
}

async function openWith(lang, files) {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(app.site.url);
  await page.waitForSelector('[data-testid=drop-zone]');
  await page.selectOption('select[data-testid=lang]', lang);
  for (const file of files) {
    await page.setInputFiles('[data-testid=file-input]', [file]);
    await page.waitForSelector('[data-page=overview] [data-metric=customers]', { state: 'attached' });
  }
  return { page, context };
}

for (const lang of ['en', 'ru']) {
  test(`money figures in roubles leave the dollar file out, and can be in dollars (${lang})`, async () => {
    const rub = dataFile('ru_ecom_home_goods_orders_cp1251.csv');
    const { page, context } = await openWith(lang, [rub]);
    await revenueBecomes(page, cliReport(rub).metrics.revenue);
    assert.equal(await page.locator('[data-testid=currency-warning]').count(), 0, 'one currency: no warning');

    await page.setInputFiles('[data-testid=file-input]', [usd]);
    const warning = page.locator('[data-page=overview] [data-testid=currency-warning]');
    await warning.waitFor({ timeout: 30_000 });
    const inRoubles = cliReport(rub, usd).metrics.revenue;
    assert.equal(inRoubles, cliReport(rub).metrics.revenue, 'the CLI leaves the dollars out too');
    await revenueBecomes(page, inRoubles);
    const text = await warning.textContent();
    assert.match(text, lang === 'en' ? /^Money figures are in RUB\./ : /^Денежные показатели — в RUB\./);
    assert.ok(text.includes('us_shop.csv (USD)'), text);

    await page.selectOption('[data-testid=currency-choice]', 'USD');
    await revenueBecomes(page, 50.5);
    assert.equal(cliReport(rub, usd, '--currency', 'USD').metrics.revenue, 50.5);
    assert.ok((await warning.textContent()).includes('ru_ecom_home_goods_orders_cp1251.csv (RUB)'));

    // Removing the dollar file removes the warning.
    await page.click('[data-testid=remove-file][data-file="us_shop.csv"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=currency-warning]'), null, { timeout: 30_000 });
    await context.close();
  });
}

test('a file that names no currency is asked for one in its mapping panel', async () => {
  const rub = dataFile('ru_ecom_home_goods_orders_cp1251.csv');
  const { page, context } = await openWith('en', [rub, plain]);
  // Unnamed: taken to be in roubles, summed with the export.
  await revenueBecomes(page, cliReport(rub, plain).metrics.revenue);
  assert.equal(await page.locator('[data-testid=currency-warning]').count(), 0);
  await page.click('a[data-nav=quality]');
  const panel = page.locator('details.mapping[data-file="plain_shop.csv"]');
  await panel.evaluate((d) => { d.open = true; });
  await panel.locator('[data-testid=file-currency]').selectOption('USD');
  await panel.locator('[data-testid=apply-mapping]').click();
  await page.locator('[data-testid=currency-warning]').waitFor({ state: 'attached', timeout: 30_000 });
  const expected = cliReport(rub, plain, '--file-currency', 'plain_shop.csv=USD').metrics.revenue;
  assert.equal(expected, cliReport(rub).metrics.revenue);
  await revenueBecomes(page, expected);
  await context.close();
});
