// Shared set-up for the end-to-end tests: a static server for the built dist
// on 127.0.0.1, Debian's Chromium through playwright-core, the CLI's JSON for
// the same file, and the page's figures as numbers.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
export const distDir = resolve(process.env.LOYALTY_DIST ?? join(root, 'dist'));
export const cliPath = resolve(process.env.LOYALTY_CLI ?? join(root, 'target/debug/loyalty'));
export const dataDir = resolve(process.env.LOYALTY_DATA_DIR ?? join(root, '../shared/data'));
export const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

/** A shared data set; fails by name when LOYALTY_DATA_DIR does not hold it. */
export function dataFile(relative) {
  const path = join(dataDir, relative);
  try {
    statSync(path);
  } catch {
    throw new Error(`data set ${relative} not found: set LOYALTY_DATA_DIR (now ${dataDir})`);
  }
  return path;
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
};

/** Serves `distDir` under `prefix` (e.g. '/' or '/tools/loyalty/'). */
export async function serveDist(prefix = '/') {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    let rel = normalize(decodeURIComponent(url.pathname.slice(prefix.length)));
    if (rel === '.' || rel === '' || rel.endsWith('/')) rel = join(rel, 'index.html');
    const file = join(distDir, rel);
    if (!file.startsWith(distDir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { server, url: `http://127.0.0.1:${port}${prefix}` };
}

/**
 * The dist served at `prefix` and one Chromium for a test file: started
 * before its tests, closed after them. Read `.site` and `.browser` inside a
 * test.
 */
export function servedApp(prefix = '/') {
  const app = { site: null, browser: null };
  before(async () => {
    app.site = await serveDist(prefix);
    app.browser = await launch();
  });
  after(async () => {
    await app.browser?.close();
    app.site?.server.close();
  });
  return app;
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The CLI's Report for the same file(s): the independent side of the comparison. */
export function cliReport(...files) {
  return JSON.parse(execFileSync(cliPath, ['report', ...files, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
}

/** Every `data-metric` on the page that has a value, as numbers. */
export async function pageMetrics(page) {
  return page.$$eval('[data-metric]', (els) =>
    Object.fromEntries(
      els
        .filter((e) => e.dataset.value !== '')
        .map((e) => [e.dataset.metric, Number(e.dataset.value)]),
    ),
  );
}

export async function chartReady(page, id = 'monthly_activity') {
  // Attached, not visible: charts of pages not shown are drawn too.
  await page.waitForSelector(`canvas[data-chart="${id}"][data-ready="true"]`, { state: 'attached', timeout: 20_000 });
}

/**
 * A real drag-and-drop: the file is built inside the page as a File in a
 * DataTransfer, and dragenter, dragover and drop are dispatched on the zone.
 */
export async function dropFile(page, path, name) {
  const bytes = readFileSync(path).toString('base64');
  const dataTransfer = await page.evaluateHandle(
    ({ bytes, name }) => {
      const raw = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([raw], name, { type: 'text/plain' }));
      return transfer;
    },
    { bytes, name },
  );
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent('[data-testid=drop-zone]', type, { dataTransfer });
  }
}

/**
 * A CSV cell against the full-precision `value` it stands for: `value` when
 * the cell is that value rounded to `decimals` places (written with exactly
 * that many, '.' or ','), as the page shows it; 'money' is the page's
 * money(): cents below 10,000, whole units from there on. Anything else
 * comes back as [cell, value], so a deepEqual against the values fails.
 */
export function shownAs(cell, value, decimals) {
  if (value == null) return cell === '' ? null : [cell, value];
  const d = decimals === 'money' ? (Math.abs(value) >= 10_000 ? 0 : 2) : decimals;
  const form = d ? new RegExp(`^-?\\d+[.,]\\d{${d}}$`) : /^-?\d+$/;
  const number = Number(String(cell).replace(',', '.'));
  return form.test(cell) && Math.abs(number - value) <= 0.5 * 10 ** -d + 1e-9 ? value : [cell, value];
}
