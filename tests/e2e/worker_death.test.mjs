// Issue 20, "Bad input": a file that stops the analysis worker (a workbook
// whose DIMENSIONS record claims 0xFFFFFFFF rows, fuzz/resource-cases: the
// reader asks for about a terabyte) is named with its size and what to do,
// and the files loaded before it keep their figures (equal to the CLI's on
// those files alone); the page reads files again afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliReport, dataFile, pageMetrics, root, servedApp } from './harness.mjs';

const app = servedApp();

const bomb = join(mkdtempSync(join(tmpdir(), 'worker-death-')), 'huge_dimensions.xls');
copyFileSync(join(root, 'fuzz/resource-cases/spreadsheet-oom-xls-dimensions.bin'), bomb);

for (const lang of ['en', 'ru']) {
  test(`a file that stops the worker is named, and the other files stay (${lang})`, async () => {
    const orders = dataFile('ru_ecom_home_goods_orders.csv');
    const expected = cliReport(orders).metrics;
    const context = await app.browser.newContext();
    const page = await context.newPage();
    await page.goto(app.site.url);
    await page.waitForSelector('[data-testid=drop-zone]');
    await page.selectOption('select[data-testid=lang]', lang);
    await page.setInputFiles('[data-testid=file-input]', [orders]);
    await page.waitForFunction((n) => Number(document.querySelector('[data-page=overview] [data-metric=customers]')?.dataset.value) === n, expected.customers, { timeout: 30_000 });

    await page.setInputFiles('[data-testid=file-input]', [bomb]);
    const alert = page.locator('[role=alert]').filter({ hasText: 'huge_dimensions.xls' });
    await alert.waitFor({ timeout: 60_000 });
    const text = await alert.textContent();
    assert.match(text, lang === 'en' ? /huge_dimensions\.xls \(5[.,]\d KB\) stopped the analysis/ : /huge_dimensions\.xls \(5[.,]\d КБ\) остановил анализ/, text);
    assert.match(text, lang === 'en' ? /out of memory/ : /не хватило памяти/, text);
    // The orders' figures are still those shown, and the set is the orders alone.
    const shown = await pageMetrics(page);
    assert.equal(shown.customers, expected.customers);
    assert.equal(shown.revenue, expected.revenue);
    assert.equal(await page.locator('[data-testid=remove-file][data-file="huge_dimensions.xls"]').count(), 0);
    // A new worker reads the next file.
    const survey = dataFile('prepbench_case040_sudzilla_nps_survey.csv');
    await page.setInputFiles('[data-testid=file-input]', [survey]);
    const both = cliReport(orders, survey).metrics;
    await page.waitForFunction((n) => Number(document.querySelector('[data-metric=responses]')?.dataset.value) === n, both.responses, { timeout: 30_000 });
    await context.close();
  });
}
