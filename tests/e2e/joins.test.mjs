// Issue 22, point 4: files that share no customer are not joined without a
// word. The sample shop's orders (ids C0001…) and the IBM telco churn list
// (ids like 7590-VHVEG) share no customer: the overview warns about each, in
// the page's language, with the counts the CLI's report gives for the files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chartReady, cliReport, dataFile, launch, root, serveDist } from './harness.mjs';

const orders = join(root, 'assets/sample/orders.csv');
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

for (const lang of ['en', 'ru']) {
  test(`a join that matches no customer is named on the overview (${lang})`, async () => {
    const telco = dataFile('ibm_telco_v11_merged.csv');
    const expected = cliReport(orders, telco).files.map((f) => [f.file, f.customers_matched, f.customers]);
    // Independent of the page: the two files share no id at all.
    assert.deepEqual(expected.map(([, matched]) => matched), [0, 0]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(site.url);
    await page.waitForSelector('[data-testid=drop-zone]');
    await page.selectOption('select[data-testid=lang]', lang);
    await page.setInputFiles('[data-testid=file-input]', [orders, telco]);
    await chartReady(page);
    const warning = page.locator('[data-page=overview] [data-testid=join-warning]');
    await warning.waitFor();
    const lines = await warning.locator('p[data-file]').evaluateAll((els) => els.map((e) => [e.dataset.file, e.textContent]));
    assert.deepEqual(lines.map(([file]) => file), expected.map(([file]) => file));
    for (const [[, text], [file, , customers]] of lines.map((l, i) => [l, expected[i]])) {
      const count = customers.toLocaleString(lang === 'ru' ? 'ru-RU' : 'en-US').replace(/\s/g, '\u00a0');
      const said = text.replace(/\s/g, '\u00a0');
      if (lang === 'en') assert.ok(said.includes(`0\u00a0of\u00a0${count}\u00a0customers\u00a0found`), `${file}: ${text}`);
      else assert.ok(said.includes(`найдено\u00a00\u00a0из\u00a0${count}\u00a0клиентов`), `${file}: ${text}`);
    }
    // Files that do share their customers raise no warning.
    await page.click('[data-testid=clear-files]');
    await page.setInputFiles('[data-testid=file-input]', [orders, join(root, 'assets/sample/survey.csv')]);
    await chartReady(page);
    await page.waitForTimeout(300);
    assert.equal(await page.locator('[data-testid=join-warning]').count(), 0);
    await context.close();
  });
}
