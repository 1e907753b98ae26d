#!/usr/bin/env node
// The cost of a page's first visit: tables are built when their page first
// shows (src/components/page_main.rs), so opening a page after the drop does
// that work. For each of 3 fresh pages: drop FILE, wait for every chart,
// then click the retention, CLV and churn links in turn and time each click
// to the next frame after it (and count the table rows then shown).
//
//   node bench/first_visit.mjs FILE        (LOYALTY_DIST=DIR for another build)
import { launch, serveDist } from '../tests/e2e/harness.mjs';
const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/first_visit.mjs FILE');
  process.exit(2);
}
const { server, url } = await serveDist();
const browser = await launch();
const out = [];
for (let rep = 0; rep < 3; rep++) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForSelector('[data-testid=drop-zone]');
  await page.waitForTimeout(3000);
  await page.evaluate(() => { const i = document.createElement('input'); i.type='file'; i.id='__f'; i.style.display='none'; document.body.append(i); });
  await page.setInputFiles('#__f', file);
  await page.evaluate(() => { const t = new DataTransfer(); t.items.add(document.getElementById('__f').files[0]); const z = document.querySelector('[data-testid=drop-zone]'); for (const ty of ['dragenter','dragover','drop']) z.dispatchEvent(new DragEvent(ty,{bubbles:true,cancelable:true,dataTransfer:t})); });
  await page.waitForFunction(() => { const c=[...document.querySelectorAll('canvas[data-chart]')]; return c.length && c.every(x=>x.dataset.ready==='true'); }, null, { timeout: 120000, polling: 20 });
  await page.waitForTimeout(1000);
  const r = {};
  for (const id of ['retention', 'clv', 'churn']) {
    r[id] = await page.evaluate((id) => new Promise((ok) => {
      const t0 = performance.now();
      document.querySelector(`a[data-nav=${id}]`).click();
      // Built synchronously or in a microtask; measure to the next frame after it.
      requestAnimationFrame(() => setTimeout(() => ok(performance.now() - t0), 0));
    }), id);
    r[id + '_rows'] = await page.evaluate(() => document.querySelectorAll('main:not([hidden]) tbody tr').length);
  }
  out.push(r); console.log(JSON.stringify(r));
  await ctx.close();
}
await browser.close(); server.close();
