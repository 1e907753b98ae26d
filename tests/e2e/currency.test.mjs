// Issue 22, point 4: files whose amounts name different currencies are not
// summed without a word. The Windows-1251 export's header says "Цена, руб."
// (SOURCES.md); a small shop file says "Order total (USD)". The overview
// names each file's currency, in the page's language; one currency alone,
// or files that name none, raise no warning.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFile, launch, serveDist } from './harness.mjs';

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

const usd = join(mkdtempSync(join(tmpdir(), 'currency-')), 'us_shop.csv');
writeFileSync(usd, 'customer_id,order_date,Order total (USD)\nA1,2024-01-05,12.50\nA2,2024-02-07,30.00\nA1,2024-03-01,8.00\n');

for (const lang of ['en', 'ru']) {
  test(`files in roubles and dollars are named on the overview (${lang})`, async () => {
    const rub = dataFile('ru_ecom_home_goods_orders_cp1251.csv');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(site.url);
    await page.waitForSelector('[data-testid=drop-zone]');
    await page.selectOption('select[data-testid=lang]', lang);
    await page.setInputFiles('[data-testid=file-input]', [rub]);
    await page.waitForSelector('[data-page=overview] [data-metric=customers]');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('[data-testid=currency-warning]').count(), 0, 'one currency: no warning');
    await page.setInputFiles('[data-testid=file-input]', [usd]);
    const warning = page.locator('[data-page=overview] [data-testid=currency-warning]');
    await warning.waitFor({ timeout: 30_000 });
    const text = await warning.textContent();
    assert.ok(text.includes('ru_ecom_home_goods_orders_cp1251.csv: RUB'), text);
    assert.ok(text.includes('us_shop.csv: USD'), text);
    assert.match(text, lang === 'en' ? /^The files' amounts are in different currencies/ : /^Суммы в файлах в разных валютах/);
    // Removing the dollar file removes the warning.
    await page.click('[data-testid=remove-file][data-file="us_shop.csv"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=currency-warning]'), null, { timeout: 30_000 });
    await context.close();
  });
}
