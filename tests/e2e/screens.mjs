// Screenshots for a closing note or the README, not a test: the overview and
// churn pages in Russian with the Russian shop (russian_shop.mjs: orders,
// survey answers and churned customers, every value in Russian).
//   LOYALTY_DIST=dist node tests/e2e/screens.mjs OUT_PREFIX
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartReady, launch, root, serveDist } from './harness.mjs';
import { buildRussianShop } from './russian_shop.mjs';

const prefix = process.argv[2] ?? join(tmpdir(), 'screen');
const files = buildRussianShop(join(root, 'assets/sample'), join(tmpdir(), 'loyalty-ru-shop-screens'));
const site = await serveDist('/');
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
await page.goto(site.url);
await page.waitForSelector('[data-testid=drop-zone]');
await page.selectOption('select[data-testid=lang]', 'ru');
await page.setInputFiles('[data-testid=file-input]', files);
await chartReady(page);
await page.waitForTimeout(1500);
await page.screenshot({ path: `${prefix}-overview-ru.png`, fullPage: true });
await page.click('a[data-nav=churn]');
await page.waitForTimeout(2500);
await page.screenshot({ path: `${prefix}-churn-ru.png`, fullPage: true });
console.log(`${prefix}-overview-ru.png ${prefix}-churn-ru.png`);
await browser.close();
site.server.close();
