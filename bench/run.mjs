#!/usr/bin/env node
// Loyalty Lens browser benchmark (issue 9, "Measure").
//
//   node bench/run.mjs [--sizes 100k,1m,5m] [--runs 3] [--anchors] [--anchor-runs N] [--anchor-tools web]
//                      [--work DIR] [--dist DIR] [--via file|fetch|input|harness]
//                      [--no-floor] [--timeout 600] [--build] [--fresh] [--summarize]
//                      [--settle-ms 400] [--hash '#overview&calibration=2024-06-30']
//
// For every size: a deterministic transactions CSV (shared/bench/anchors/gen.py,
// md5-checked) in the work dir; the release dist (a snapshot of it, so a rebuild
// during the run cannot mix two builds) served on 127.0.0.1; Debian's Chromium
// through playwright-core (tests/e2e/harness.mjs `launch`); per run a fresh
// browser context: load the app cold, wait for the analysis worker, drop the file
// on [data-testid=drop-zone], wait until every canvas[data-chart] is drawn, and
// read the page's own timings. Chromium's process tree (PSS, RSS) is sampled from
// /proc every 100 ms; a timer and a rAF probe on the page record the worst
// main-thread delay. Medians of --runs runs go to <work>/results/summary.md.
// With --anchors, shared/bench/anchors/run.sh runs on the same files in the same
// invocation and the table states the ratios.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropFile, launch, pageMetrics } from '../tests/e2e/harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const ANCHORS = path.resolve(process.env.LOYALTY_ANCHORS ?? path.join(ROOT, '../shared/bench/anchors'));

// ------------------------------------------------------------------ arguments
const argv = process.argv.slice(2);
function opt(name, dflt) {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return dflt;
  if (argv[i].includes('=')) return argv[i].slice(argv[i].indexOf('=') + 1);
  if (i + 1 >= argv.length) die(`--${name} needs a value`);
  return argv[i + 1];
}
const flag = (name) => argv.includes(`--${name}`);
if (flag('help') || flag('h')) {
  console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 18).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}
const KNOWN_FLAGS = new Set(['hash', 'sizes', 'runs', 'anchors', 'anchor-runs', 'anchor-tools', 'work', 'dist', 'via', 'no-floor', 'timeout', 'build', 'fresh', 'summarize', 'settle-ms', 'help', 'h']);
for (const a of argv) if (a.startsWith('--') && !KNOWN_FLAGS.has(a.slice(2).split('=')[0])) die(`unknown argument ${a} (see --help)`);

const WORK = path.resolve(opt('work', process.env.LOYALTY_BENCH_WORK ?? '/tmp/loyalty-bench'));
const DIST = path.resolve(opt('dist', process.env.LOYALTY_DIST ?? path.join(ROOT, 'dist')));
const SIZES = opt('sizes', '100k,1m,5m').split(',').filter(Boolean);
const RUNS = Number(opt('runs', '3'));
const ANCHOR_RUNS = Number(opt('anchor-runs', String(RUNS)));
// `py`, `web` or `py,web` (run.sh's --tools): at 20M pandas + lifetimes alone take three minutes.
const ANCHOR_TOOLS = opt('anchor-tools', 'py,web');
const VIA = opt('via', 'file');
// Settings in the page's address (src/url_state.rs), e.g. a calibration end
// so that the CLV section fits and scores both models on the holdout.
const HASH = opt('hash', '');
if (HASH && !HASH.startsWith('#')) die('--hash starts with #');
// Idle time between the worker's warm-up and the drop, as a user picking a
// file would leave. V8 optimises what the warm-up ran in background threads
// after it; a drop soon after can still meet baseline code.
const SETTLE_MS = Number(opt('settle-ms', '400'));
if (!Number.isFinite(SETTLE_MS) || SETTLE_MS < 0) die('--settle-ms must be a number of milliseconds');
const TIMEOUT_MS = Number(opt('timeout', '600')) * 1000;
const FLOOR = !flag('no-floor');
if (!Number.isInteger(RUNS) || RUNS < 1) die('--runs must be a positive integer');
if (!['file', 'fetch', 'input', 'harness'].includes(VIA)) die('--via is one of file, fetch, input, harness');

const DATA = path.join(WORK, 'data');
const RESULTS = path.join(WORK, 'results');
const ANCHORS_WORK = path.join(WORK, 'anchors');
const INVOCATION = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

// gen.py with the default seed (numbers from shared/bench/anchors/RUN.md)
const KNOWN = {
  100000: { md5: 'c3f167c44042543ba780708dc997ccaa', customers: 19832 },
  1000000: { md5: '605ddd506ab09de707a6fe5e33087b9d', customers: 198742 },
  5000000: { md5: '68e6877af85ffc1448b2e2ed87535d4c', customers: 992825 },
};

function log(...a) {
  console.error('[bench]', ...a);
}
function die(msg) {
  console.error('[bench] ERROR:', msg);
  process.exit(1);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function sizeRows(token) {
  const t = token.toLowerCase();
  const m = t.match(/^(\d+)([km]?)$/);
  if (!m) die(`bad size '${token}' (use e.g. 100k,1m,5m,250000)`);
  return Number(m[1]) * { '': 1, k: 1e3, m: 1e6 }[m[2]];
}
const sizeLabel = (rows) => (rows % 1e6 === 0 ? `${rows / 1e6}M` : rows % 1e3 === 0 ? `${rows / 1e3}k` : String(rows));
const fileFor = (token) => path.join(DATA, `tx_${token.toLowerCase()}.csv`);

// ------------------------------------------------------------------ stats
function median(v) {
  const s = v.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const finite = (v) => v.filter((x) => x != null && Number.isFinite(x));
function fmt(x, unit = '') {
  if (x == null || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  const s = a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toFixed(3);
  return s + unit;
}

// ------------------------------------------------------------------ python + data
function pythonWithNumpy() {
  const candidates = [process.env.LOYALTY_BENCH_PYTHON, path.join(ANCHORS_WORK, 'venv/bin/python'), path.join(WORK, 'venv/bin/python'), 'python3'];
  for (const py of candidates.filter(Boolean)) {
    if (spawnSync(py, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0) return py;
  }
  const venv = path.join(WORK, 'venv');
  log(`no Python with numpy: creating ${venv} and installing numpy (PyPI)`);
  run('python3', ['-m', 'venv', venv]);
  run(path.join(venv, 'bin/python'), ['-m', 'pip', 'install', '-q', 'numpy']);
  return path.join(venv, 'bin/python');
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) die(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

function md5(file) {
  const h = createHash('md5');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(8 << 20);
  let n;
  while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  fs.closeSync(fd);
  return h.digest('hex');
}

function ensureData(token) {
  const rows = sizeRows(token);
  const file = fileFor(token);
  fs.mkdirSync(DATA, { recursive: true });
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) {
    const py = pythonWithNumpy();
    log(`generating ${file} (${rows} rows) with ${path.join(ANCHORS, 'gen.py')}`);
    run(py, [path.join(ANCHORS, 'gen.py'), String(rows), `${file}.tmp`]);
    fs.renameSync(`${file}.tmp`, file);
  }
  const sum = md5(file);
  const want = KNOWN[rows]?.md5;
  if (want && sum !== want) log(`WARNING: ${file} md5 ${sum} differs from the published ${want} (numpy change?)`);
  return { token, rows, file, bytes: fs.statSync(file).size, md5: sum, md5_ok: want ? sum === want : null, customers_expected: KNOWN[rows]?.customers ?? null };
}

// ------------------------------------------------------------------ dist
function gzipSize(file) {
  return execFileSync('gzip', ['-9', '-c', file], { maxBuffer: 1 << 30 }).length;
}

/** Copies dist into the work dir (content-addressed) so a concurrent rebuild cannot change it mid-run. */
function snapshotDist() {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    if (!flag('build') && DIST !== path.join(ROOT, 'dist')) die(`${DIST}/index.html missing`);
    log(`${DIST} has no index.html: building it with cargo xtask dist`);
    run('cargo', ['xtask', 'dist'], { cwd: ROOT });
  } else if (flag('build')) {
    log('--build: cargo xtask dist');
    run('cargo', ['xtask', 'dist'], { cwd: ROOT });
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    // Regular files only (trunk stages a rebuild in dist/.stage and swaps it in).
    const listing = () =>
      fs.readdirSync(DIST, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name).sort()
        .map((n) => `${n}:${fs.statSync(path.join(DIST, n)).mtimeMs}`).join(',');
    const before = listing();
    const names = before.split(',').map((x) => x.slice(0, x.lastIndexOf(':')));
    const h = createHash('sha256');
    const contents = new Map();
    for (const n of names) {
      const b = fs.readFileSync(path.join(DIST, n));
      contents.set(n, b);
      h.update(n).update(b);
    }
    const html = contents.get('index.html')?.toString() ?? '';
    const refs = [...html.matchAll(/(?:href|src)="\.?\/?([^"?#]+)"/g)].map((m) => m[1]).filter((r) => !r.includes('://'));
    const missing = [...refs, 'worker_loader.js', 'worker.js', 'worker_bg.wasm'].filter((r) => !contents.has(r));
    if (listing() !== before) {
      log('dist changed while being copied; retrying in 20 s');
      spawnSync('sleep', ['20']);
      continue;
    }
    if (missing.length) {
      log(`dist looks mid-rebuild (missing ${missing.join(', ')}); retrying in 20 s`);
      spawnSync('sleep', ['20']);
      continue;
    }
    const id = h.digest('hex').slice(0, 12);
    const dir = path.join(WORK, 'dist', id);
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(`${dir}.tmp`, { recursive: true });
      for (const [n, b] of contents) fs.writeFileSync(path.join(`${dir}.tmp`, n), b);
      fs.renameSync(`${dir}.tmp`, dir);
    }
    const files = {};
    let page = 0;
    let worker = 0;
    for (const n of names.filter((n) => /\.(wasm|js)$/.test(n))) {
      const gz = gzipSize(path.join(dir, n));
      files[n] = { bytes: contents.get(n).length, gzip: gz };
      if (n.startsWith('worker')) worker += gz;
      else page += gz;
    }
    const newest = Math.max(...names.map((n) => fs.statSync(path.join(DIST, n)).mtimeMs));
    let git = null;
    try {
      const [h, t] = execFileSync('git', ['-C', ROOT, 'log', '-1', '--format=%h %cI'], { encoding: 'utf8' }).trim().split(' ');
      const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no', '--', 'src', 'crates', 'Cargo.toml', 'Cargo.lock', 'index.html', 'style'], { encoding: 'utf8' }).trim() !== '';
      git = `${h}${dirty ? '+local changes' : ''} (${t})${new Date(t).getTime() > newest ? ', dist built before this commit' : ''}`;
    } catch { /* not a checkout */ }
    return { id, dir, source: DIST, built: new Date(newest).toISOString(), files, gzip_page: page, gzip_worker: worker, gzip_total: page + worker, git_head: git };
  }
  die(`${DIST} stayed incomplete (a rebuild running?)`);
}

// ------------------------------------------------------------------ server: dist + data on one origin
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.csv': 'text/csv' };
async function serve(distDir) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    let base = distDir;
    if (rel.startsWith('/__bench/data/')) {
      base = DATA;
      rel = rel.slice('/__bench/data/'.length);
    }
    rel = path.normalize(rel.replace(/^\/+/, ''));
    if (rel === '.' || rel === '') rel = 'index.html';
    const file = path.join(base, rel);
    if (!file.startsWith(base + path.sep)) return res.writeHead(403).end();
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': st.size, 'cache-control': 'no-store' });
      fs.createReadStream(file).pipe(res);
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

// ------------------------------------------------------------------ /proc sampling (as the anchors do)
function procTable() {
  const m = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      m.set(Number(d), Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  return m;
}
function descendants(root) {
  const kids = new Map();
  for (const [p, pp] of procTable()) {
    if (!kids.has(pp)) kids.set(pp, []);
    kids.get(pp).push(p);
  }
  const out = [];
  const stack = [...(kids.get(root) ?? [])];
  while (stack.length) {
    const p = stack.pop();
    out.push(p);
    stack.push(...(kids.get(p) ?? []));
  }
  return out;
}
function kb(file, key) {
  try {
    const m = fs.readFileSync(file, 'utf8').match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
function sampleMem() {
  let pss = 0;
  let rss = 0;
  let maxRss = 0;
  let maxPss = 0;
  for (const p of descendants(process.pid)) {
    const one = kb(`/proc/${p}/smaps_rollup`, 'Pss');
    pss += one;
    maxPss = Math.max(maxPss, one);
    const r = kb(`/proc/${p}/status`, 'VmRSS');
    rss += r;
    maxRss = Math.max(maxRss, r);
  }
  return { pss: pss / 1024, rss: rss / 1024, max_proc_rss: maxRss / 1024, max_proc_pss: maxPss / 1024 };
}
function memSampler() {
  const base = sampleMem();
  const peak = { ...base };
  const start = Date.now();
  // [ms since the sampler started, extra PSS MiB]: where in a run the peak falls.
  const timeline = [];
  const take = () => {
    const s = sampleMem();
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], s[k]);
    const round = (v) => Math.round(v * 10) / 10;
    timeline.push([Date.now() - start, round(s.pss - base.pss), round(s.max_proc_pss - base.max_proc_pss)]);
    return s;
  };
  const timer = setInterval(take, Number(process.env.LOYALTY_BENCH_MEM_MS ?? 100));
  return {
    base,
    start,
    stop() {
      clearInterval(timer);
      const last = take();
      return { base, peak, last, timeline, start };
    },
  };
}

// ------------------------------------------------------------------ in-page instrumentation (init script)
// Runs before the app: stamps the drop (capture phase), watches the worker's
// messages (an extra listener; the app's own is untouched), marks the moment
// every chart is drawn, and probes main-thread delay with a timer and rAF.
function instrument() {
  const B = (window.__bench = { msgs: [], delays: [], frames: [], t0: null, readyAt: null, appAt: null, workerReadyAt: null });
  const stampStart = () => {
    if (B.t0 == null && B.armed) B.t0 = performance.now();
  };
  window.addEventListener('drop', stampStart, true);
  window.addEventListener('change', stampStart, true);
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const t = performance.now();
        const d = e.data;
        if (typeof d !== 'string') return;
        // Responses are externally tagged ('"ready"', '{"progress":{…}}',
        // '{"done":{…}}'); the worker's own warm-up note is '{"kind":"warmed"}'.
        const kind = (d.match(/^\{"kind":"(\w+)"/) || d.match(/^\{"(\w+)":/) || d.match(/^"(\w+)"$/) || [])[1] ?? '?';
        if (kind === 'ready') {
          B.workerReadyAt ??= t;
          return;
        }
        if (kind === 'warmed') {
          B.workerWarmAt ??= t;
          return;
        }
        const m = { t, kind, len: d.length };
        if (kind === 'progress' && d.length < 4096) {
          try {
            const j = JSON.parse(d);
            const p = j.progress ?? j; // older builds: internally tagged
            m.rows = p.rows_read;
            m.bytes = p.bytes_read;
            m.total = p.bytes_total;
          } catch { /* keep the time only */ }
        }
        if (B.t0 != null && B.readyAt == null) B.msgs.push(m);
      });
    }
  };
  B.check = () => {
    if (B.appAt == null && document.querySelector('[data-testid=drop-zone]')) B.appAt = performance.now();
    if (B.t0 == null || B.readyAt != null) return;
    const err = document.querySelector('[role=alert][data-testid=error]');
    if (err) B.error = err.innerText;
    const parse = document.querySelector('[data-metric=parse_ms]');
    const render = document.querySelector('[data-metric=render_ms]');
    if (!parse || parse.dataset.value === '' || !render || render.dataset.value === '') return;
    const charts = document.querySelectorAll('canvas[data-chart]');
    if (!charts.length) return;
    for (const c of charts) if (c.dataset.ready !== 'true') return;
    B.readyAt = performance.now();
    B.charts = [...charts].map((c) => c.dataset.chart);
  };
  new MutationObserver(() => B.check()).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready', 'data-value', 'data-testid'] });
  document.addEventListener('DOMContentLoaded', () => B.check());
  // Probes: a 10 ms timer chain and rAF; only delays over 8 ms are kept (time, delay).
  B.startProbe = () => {
    const step = 10;
    let due = performance.now() + step;
    const tick = () => {
      const now = performance.now();
      if (now - due > 8) B.delays.push([due, now - due]);
      B.ticks = (B.ticks ?? 0) + 1;
      due = now + step;
      if (!B.stopProbe) setTimeout(tick, step);
    };
    setTimeout(tick, step);
    let last = performance.now();
    const frame = (now) => {
      if (now - last > 25) B.frames.push([last, now - last]);
      last = now;
      if (!B.stopProbe) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };
}

// ------------------------------------------------------------------ one run
async function openApp(browser, site) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e.message)));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.addInitScript(instrument);
  await page.goto(site.url + HASH);
  await page.waitForSelector('[data-testid=drop-zone]');
  await page.waitForFunction(() => window.__bench.workerReadyAt != null, null, { timeout: 60_000, polling: 50 });
  // The worker analyses a made-up shop once after "ready" (V8 then runs the
  // real drop in optimised code) and says "warmed" when done. A user takes
  // longer than that to pick a file; the run drops after it, so the idle
  // memory before the drop is not sampled in the middle of it. Builds
  // without the warm-up never say it: 5 s, then on.
  await page.waitForFunction(() => window.__bench.workerWarmAt != null, null, { timeout: 5_000, polling: 50 }).catch(() => {});
  const load = await page.evaluate(() => ({ app_ms: window.__bench.appAt, worker_ready_ms: window.__bench.workerReadyAt, worker_warm_ms: window.__bench.workerWarmAt }));
  return { context, page, problems, load };
}

/** Puts the file where the drop will take it from (not timed). Returns the drop function. */
async function prepareDrop(page, data, via = VIA) {
  const name = path.basename(data.file);
  if (via === 'file' || via === 'fetch') {
    if (via === 'file') {
      // A File backed by the file on disk, as a user's drop gives: the path goes
      // to Chromium (DOM.setFileInputFiles), no bytes travel through the driver.
      await page.evaluate(() => {
        const input = document.createElement('input');
        input.type = 'file';
        input.id = '__bench_file';
        input.style.display = 'none';
        document.body.append(input);
      });
      await page.setInputFiles('#__bench_file', data.file);
      await page.evaluate(() => {
        const t = new DataTransfer();
        t.items.add(document.getElementById('__bench_file').files[0]);
        window.__benchTransfer = t;
      });
    } else {
      await page.evaluate(async (name) => {
        const blob = await (await fetch(`/__bench/data/${name}`)).blob();
        const t = new DataTransfer();
        t.items.add(new File([blob], name, { type: 'text/csv' }));
        window.__benchTransfer = t;
      }, name);
    }
    return () =>
      page.evaluate(() => {
        window.__bench.armed = true;
        const zone = document.querySelector('[data-testid=drop-zone]');
        for (const type of ['dragenter', 'dragover', 'drop']) {
          zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, composed: true, dataTransfer: window.__benchTransfer }));
        }
      });
  }
  if (via === 'input') {
    return async () => {
      await page.evaluate(() => (window.__bench.armed = true));
      await page.setInputFiles('[data-testid=file-input]', data.file);
    };
  }
  // harness: the e2e helper (bytes base64 over CDP, File built in the page inside the timed window)
  return async () => {
    await page.evaluate(() => (window.__bench.armed = true));
    await dropFile(page, data.file, name);
  };
}

function phaseMax(list, from, to) {
  let m = 0;
  for (const [t, d] of list) if (t + d > from && t < to) m = Math.max(m, d);
  return m;
}

/**
 * Parse progress arrives every 65,536 rows: the steady rate of the row loop, and
 * what is left of the gap from copy done to the first progress (before the loop).
 * `r.msgs` times are relative to the drop.
 */
function deriveParse(r) {
  const progress = (r.msgs ?? []).filter((x) => x.kind === 'progress');
  const copyDone = progress.filter((x) => x.rows === 0 && x.bytes != null && x.bytes >= x.total).at(-1);
  const rowMsgs = progress.filter((x) => x.rows > 0);
  if (rowMsgs.length >= 3 && copyDone) {
    const a = rowMsgs[0];
    const b = rowMsgs.at(-2); // the last one is the final "all read" message
    const perRow = (b.t - a.t) / (b.rows - a.rows);
    r.parse_loop_ms_per_1m_rows = perRow * 1e6;
    r.parse_before_loop_ms = a.t - copyDone.t - perRow * a.rows;
  }
  return r;
}

async function runOnce(browser, site, data, rep) {
  const { context, page, problems, load } = await openApp(browser, site);
  try {
    const drop = await prepareDrop(page, data);
    await sleep(SETTLE_MS);
    const mem = memSampler();
    await page.evaluate(() => window.__bench.startProbe());
    await sleep(100);
    const load1 = os.loadavg()[0];
    const tDrop = Date.now();
    await drop();
    await page.waitForFunction(() => window.__bench.readyAt != null || window.__bench.error, null, { timeout: TIMEOUT_MS, polling: 50 });
    const driverWall = Date.now() - tDrop;
    // Charts stay drawn (no second draw pending)? The last memory sample is 300 ms after.
    await sleep(300);
    const m = mem.stop();
    const B = await page.evaluate(() => {
      const B = window.__bench;
      B.stopProbe = true;
      const all = [...document.querySelectorAll('canvas[data-chart]')];
      B.stillReady = all.every((c) => c.dataset.ready === 'true');
      B.chartsAfter = all.length;
      const { check, startProbe, ...rest } = B;
      return rest;
    });
    if (B.readyAt == null) throw new Error(`the page shows an error: ${B.error}`);
    const metrics = await pageMetrics(page);
    // The worker's analysis split by report section (li[data-timing]).
    const sections = await page.$$eval('[data-timing]', (els) => Object.fromEntries(els.map((e) => [e.dataset.timing, Number(e.dataset.value)])));
    const progress = B.msgs.filter((x) => x.kind === 'progress');
    const copyDone = progress.filter((x) => x.rows === 0 && x.bytes != null && x.bytes >= x.total).at(-1);
    const firstParse = progress.find((x) => x.rows > 0);
    // The first slice read: what comes before it is the drop and the File's
    // trip to the worker.
    const copyFirst = progress.find((x) => x.rows === 0 && x.bytes != null && x.bytes > 0);
    const done = B.msgs.find((x) => x.kind === 'done');
    const rel = (t) => (t == null ? null : t - B.t0);
    const r = {
      invocation: INVOCATION,
      size: data.token,
      rows: data.rows,
      file: data.file,
      file_bytes: data.bytes,
      md5: data.md5,
      via: VIA,
      hash: HASH,
      settle_ms: SETTLE_MS,
      rep,
      wall_ms: B.readyAt - B.t0,
      driver_wall_ms: driverWall,
      parse_ms: metrics.parse_ms,
      analyze_ms: metrics.analyze_ms,
      sections_ms: sections,
      render_ms: metrics.render_ms,
      copy_first_ms: rel(copyFirst?.t),
      copy_done_ms: rel(copyDone?.t),
      first_parse_progress_ms: rel(firstParse?.t),
      done_msg_ms: rel(done?.t),
      done_msg_chars: done?.len ?? null,
      progress_msgs: progress.length,
      charts: B.charts,
      charts_still_ready: B.stillReady,
      charts_300ms_later: B.chartsAfter,
      loadavg_1m_before: load1,
      loadavg_1m_after: os.loadavg()[0],
      msgs: B.msgs.slice(0, 200).map((x) => ({ ...x, t: Math.round(x.t - B.t0) })),
      worst_delays: [...B.delays, ...B.frames.map(([t, d]) => [t, d, 'frame'])]
        .sort((a, b) => b[1] - a[1]).slice(0, 5).map(([t, d, k]) => ({ at: Math.round(t - B.t0), ms: Math.round(d), kind: k ?? 'timer' })),
      load_app_ms: load.app_ms,
      load_worker_ready_ms: load.worker_ready_ms,
      load_worker_warm_ms: load.worker_warm_ms ?? null,
      mem_base_pss_mib: m.base.pss,
      mem_peak_pss_mib: m.peak.pss,
      mem_extra_pss_mib: m.peak.pss - m.base.pss,
      mem_after_pss_mib: m.last.pss,
      mem_peak_max_proc_rss_mib: m.peak.max_proc_rss,
      mem_base_max_proc_rss_mib: m.base.max_proc_rss,
      // The samples on the drop's clock (ms after the drop).
      // [ms after the drop, extra PSS of all, of the largest process] (MiB).
      mem_timeline: m.timeline.map(([t, ...v]) => [t - (tDrop - m.start), ...v]),
      lat_worker_timer_ms: phaseMax(B.delays, B.t0, done?.t ?? B.readyAt),
      lat_worker_frame_ms: phaseMax(B.frames, B.t0, done?.t ?? B.readyAt),
      lat_page_timer_ms: done ? phaseMax(B.delays, done.t, B.readyAt + 1) : null,
      lat_page_frame_ms: done ? phaseMax(B.frames, done.t, B.readyAt + 1) : null,
      probe_ticks: B.ticks,
      transactions: metrics.transactions ?? null,
      customers: metrics.customers ?? null,
      problems: problems.slice(0, Number(process.env.LOYALTY_BENCH_PROBLEMS ?? 5)),
      drop_epoch_ms: tDrop,
    };
    deriveParse(r);
    // A file parsed as it arrives posts no copy progress: its copy is within parse_ms.
    r.to_page_ms = r.done_msg_ms != null ? r.done_msg_ms - (r.copy_done_ms ?? 0) - r.parse_ms - r.analyze_ms : null;
    r.page_after_done_ms = r.done_msg_ms != null ? r.wall_ms - r.done_msg_ms : null;
    r.figures_ok = r.transactions === data.rows && (data.customers_expected == null || r.customers === data.customers_expected);
    return r;
  } finally {
    await context.close();
  }
}

/** What merely reading the file costs: File.arrayBuffer() held, in the same kind of page (the budget's floor). */
async function floorOnce(browser, site, data) {
  const { context, page } = await openApp(browser, site);
  try {
    await prepareDrop(page, data, VIA === 'fetch' ? 'fetch' : 'file'); // builds window.__benchTransfer
    await sleep(400);
    const mem = memSampler();
    const ms = await page.evaluate(async () => {
      const t = performance.now();
      window.__held = await window.__benchTransfer.files[0].arrayBuffer();
      return performance.now() - t;
    });
    await sleep(500);
    const m = mem.stop();
    return { invocation: INVOCATION, size: data.token, kind: 'floor', read_arraybuffer_ms: ms, mem_extra_pss_mib: m.peak.pss - m.base.pss, mem_peak_max_proc_rss_mib: m.peak.max_proc_rss };
  } finally {
    await context.close();
  }
}

// ------------------------------------------------------------------ anchors
function runAnchors(datas) {
  const env = { ...process.env, ANCHORS_WORK };
  const ready = fs.existsSync(path.join(ANCHORS_WORK, 'venv/bin/python')) && fs.existsSync(path.join(ANCHORS_WORK, 'web/node_modules/.anchors-installed-lock.json'));
  if (!ready) {
    log(`anchors: setup.sh (ANCHORS_WORK=${ANCHORS_WORK})`);
    run('bash', [path.join(ANCHORS, 'setup.sh'), '--sizes', 'cdnow'], { env });
  }
  const args = [path.join(ANCHORS, 'run.sh'), '--runs', String(ANCHOR_RUNS), '--tools', ANCHOR_TOOLS];
  for (const d of datas) args.push('--file', d.file);
  log(`anchors: ${args.join(' ')}`);
  run('bash', args, { env });
  return collectAnchors(path.join(ANCHORS_WORK, 'results'), datas);
}

function readJsonl(file) {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** The anchors' raw results as records {size, tool, metric, values[]}. */
function collectAnchors(dir, datas) {
  const bySize = new Map(datas.map((d) => [path.basename(d.file, '.csv'), d.token]));
  const vals = new Map();
  const add = (size, tool, metric, v) => {
    if (size == null || v == null) return;
    const k = `${size}\t${tool}\t${metric}`;
    if (!vals.has(k)) vals.set(k, []);
    vals.get(k).push(v);
  };
  for (const r of readJsonl(path.join(dir, 'py.jsonl'))) {
    const size = bySize.get(path.basename(r.file, '.csv'));
    for (const [k, v] of Object.entries(r.times_s ?? {})) add(size, 'pandas', k, v * 1000);
  }
  const timeDir = path.join(dir, 'time');
  for (const f of fs.existsSync(timeDir) ? fs.readdirSync(timeDir) : []) {
    const m = f.match(/^py_(.+)_rep\d+\.txt$/);
    if (!m) continue;
    const size = bySize.get(m[1]);
    const s = fs.readFileSync(path.join(timeDir, f), 'utf8');
    const rss = s.match(/Maximum resident set size \(kbytes\): (\d+)/);
    if (rss) add(size, 'pandas', 'peak_rss_mib', Number(rss[1]) / 1024);
    const wall = s.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/);
    if (wall) add(size, 'pandas', 'process_wall', wall[1].split(':').reverse().reduce((a, x, i) => a + Number(x) * 60 ** i, 0) * 1000);
  }
  for (const r of readJsonl(path.join(dir, 'web.jsonl'))) {
    const size = bySize.get(path.basename(r.file, '.csv'));
    if (r.error) {
      add(size, r.tool, 'errors', 1);
      continue;
    }
    for (const [k, v] of Object.entries(r.times_s ?? {})) add(size, r.tool, k, v * 1000);
    add(size, r.tool, 'extra_pss_mib', r.mem_peak.pss_mib - r.mem_baseline.pss_mib);
    add(size, r.tool, 'upload_to_done_wall', r.upload_to_done_wall_s * 1000);
  }
  return [...vals].map(([k, values]) => {
    const [size, tool, metric] = k.split('\t');
    return { invocation: INVOCATION, kind: 'anchor', size, tool, metric, values };
  });
}

// ------------------------------------------------------------------ summary
function summarize() {
  const ours = readJsonl(path.join(RESULTS, 'runs.jsonl')).map((r) => ('parse_before_loop_ms' in r ? r : deriveParse(r)));
  const floors = readJsonl(path.join(RESULTS, 'floor.jsonl'));
  const anchors = readJsonl(path.join(RESULTS, 'anchors.jsonl'));
  const env = fs.existsSync(path.join(RESULTS, 'env.jsonl')) ? readJsonl(path.join(RESULTS, 'env.jsonl')) : [];
  // Per size, the latest invocation that measured it.
  const latest = (records, size) => {
    const inv = records.filter((r) => r.size === size).map((r) => r.invocation).sort().at(-1);
    return records.filter((r) => r.size === size && r.invocation === inv);
  };
  const only = argv.some((a) => a === '--sizes' || a.startsWith('--sizes=')) ? new Set(SIZES.map((x) => x.toLowerCase())) : null;
  const sizes = [...new Set(ours.map((r) => r.size))].filter((s) => !only || only.has(s.toLowerCase())).sort((a, b) => sizeRows(a) - sizeRows(b));
  if (!sizes.length) return '(no runs yet)\n';
  const col = Object.fromEntries(sizes.map((s) => [s, latest(ours, s)]));
  const fl = Object.fromEntries(sizes.map((s) => [s, latest(floors, s)]));
  const an = Object.fromEntries(sizes.map((s) => [s, latest(anchors, s)]));
  const envOf = (inv) => env.find((e) => e.invocation === inv);
  const med = (s, key) => median(col[s].map((r) => r[key]));
  const anc = (s, tool, metric) => median(an[s].find((r) => r.tool === tool && r.metric === metric)?.values ?? []);
  const sameRun = (s) => an[s].length && an[s][0].invocation === col[s][0].invocation;
  const mib = (b) => b / 1048576;
  const head = (title) => [`| ${title} | ${sizes.map((s) => sizeLabel(sizeRows(s))).join(' | ')} |`, `|---|${sizes.map(() => '---:').join('|')}|`];
  const row = (label, f) => `| ${label} | ${sizes.map((s) => f(s) ?? '–').join(' | ')} |`;
  const withRange = (s, key, unit = '') => {
    const v = finite(col[s].map((r) => r[key]));
    if (!v.length) return '–';
    return `${fmt(median(v), unit)}${v.length > 1 ? ` (${fmt(Math.min(...v))}–${fmt(Math.max(...v))})` : ''}`;
  };
  const out = [];
  const invs = [...new Set(sizes.map((s) => col[s][0].invocation))];
  const e0 = envOf(invs.at(-1)) ?? {};
  out.push('# Loyalty Lens benchmark (bench/run.mjs)', '');
  out.push(`Host: ${e0.cpus ?? '?'} CPUs (${e0.cpu ?? '?'}), ${e0.os ?? ''}; Chromium ${e0.chromium ?? '?'} headless (playwright-core ${e0.playwright ?? '?'}), node ${e0.node ?? '?'}.`);
  for (const inv of invs) {
    const e = envOf(inv) ?? {};
    const ss = sizes.filter((s) => col[s][0].invocation === inv).map((s) => sizeLabel(sizeRows(s)));
    out.push(`- ${ss.join(', ')}: run ${inv}, ${col[sizes.find((s) => col[s][0].invocation === inv)].length} runs each, file handed over by \`--via ${e.via ?? '?'}\` ${e.settle_ms ?? 400} ms after the worker's warm-up (\`--settle-ms\`)${e.hash ? `, settings \`${e.hash}\`` : ''}; dist ${e.dist?.id ?? '?'} (built ${e.dist?.built ?? '?'}, checkout at bench time ${e.dist?.git_head ?? '?'}), gzipped wasm+js ${e.dist ? (e.dist.gzip_total / 1e6).toFixed(3) : '?'} MB (page ${e.dist ? (e.dist.gzip_page / 1e3).toFixed(0) : '?'} kB + worker ${e.dist ? (e.dist.gzip_worker / 1e3).toFixed(0) : '?'} kB).`);
  }
  out.push('', 'Medians (min–max) over the runs; times in ms from the drop event, each run in a fresh browser context.', '');
  out.push(...head('Loyalty Lens'));
  out.push(row('file [MB]', (s) => fmt(col[s][0].file_bytes / 1e6)));
  out.push(row('customers / transactions shown (= gen.py)', (s) => `${col[s][0].customers?.toLocaleString('en')} / ${col[s][0].transactions?.toLocaleString('en')} ${col[s].every((r) => r.figures_ok) ? '✓' : '✗'}`));
  out.push(row('**drop → all charts drawn [ms]**', (s) => `**${withRange(s, 'wall_ms')}**`));
  out.push(row('  file copy into the worker (drop → last copy progress; – : parsed as it arrives, the copy within `parse_ms`)', (s) => withRange(s, 'copy_done_ms')));
  out.push(row('  `parse_ms` (worker)', (s) => withRange(s, 'parse_ms')));
  out.push(row('    of which before the row loop (estimated from progress)', (s) => withRange(s, 'parse_before_loop_ms')));
  out.push(row('    row loop [ms per 1M rows]', (s) => withRange(s, 'parse_loop_ms_per_1m_rows')));
  out.push(row('  `analyze_ms` (worker)', (s) => withRange(s, 'analyze_ms')));
  out.push(row('  report to the page (serialise + post, residual)', (s) => withRange(s, 'to_page_ms')));
  out.push(row('  page: report received → all charts drawn', (s) => withRange(s, 'page_after_done_ms')));
  out.push(row('  `render_ms` (the monthly chart\'s draw)', (s) => withRange(s, 'render_ms')));
  out.push(row('report message [MB of JSON text]', (s) => fmt(median(col[s].map((r) => r.done_msg_chars)) / 1e6)));
  out.push(row('charts drawn', (s) => `${col[s][0].charts?.length ?? '–'} (${(col[s][0].charts ?? []).join(', ')})`));
  // Probes keep only timer delays > 8 ms and frame gaps > 25 ms: 0 means none over that.
  const lat = (s, key, floor) => {
    const v = med(s, key);
    return v == null ? '–' : v === 0 ? `<${floor}` : fmt(v);
  };
  out.push(row('worst main-thread delay while the worker runs: timer / frame gap [ms]', (s) => `${lat(s, 'lat_worker_timer_ms', 8)} / ${lat(s, 'lat_worker_frame_ms', 25)}`));
  out.push(row('worst main-thread delay while the page draws: timer / frame gap [ms]', (s) => `${lat(s, 'lat_page_timer_ms', 8)} / ${lat(s, 'lat_page_frame_ms', 25)}`));
  out.push(row('Chromium PSS, idle app before the drop [MiB]', (s) => withRange(s, 'mem_base_pss_mib')));
  out.push(row('**peak extra PSS, all Chromium processes [MiB]**', (s) => `**${withRange(s, 'mem_extra_pss_mib')}**`));
  out.push(row('  ÷ file size', (s) => fmt(med(s, 'mem_extra_pss_mib') / mib(col[s][0].file_bytes), '×')));
  out.push(row('  extra PSS still held after the run [MiB]', (s) => fmt(med(s, 'mem_after_pss_mib') - med(s, 'mem_base_pss_mib'))));
  out.push(row('peak RSS of the largest process (renderer) [MiB]', (s) => withRange(s, 'mem_peak_max_proc_rss_mib')));
  out.push(row('read floor: File.arrayBuffer() held, extra PSS [MiB]', (s) => (fl[s].length ? `${fmt(median(fl[s].map((r) => r.mem_extra_pss_mib)))} (${fmt(median(fl[s].map((r) => r.mem_extra_pss_mib)) / mib(col[s][0].file_bytes), '×')})` : '–')));
  out.push(row('host load average (1 min) at the drops', (s) => fmt(med(s, 'loadavg_1m_before'))));
  out.push(row('cold load: navigation → drop zone / → worker ready / → worker warmed up [ms]', (s) => `${fmt(med(s, 'load_app_ms'))} / ${fmt(med(s, 'load_worker_ready_ms'))} / ${fmt(med(s, 'load_worker_warm_ms'))}`));
  out.push('');

  // Budgets (docs/ARCHITECTURE.md, "Budgets")
  out.push('Budgets (docs/ARCHITECTURE.md, "Budgets"):', '');
  const budget = [];
  const wallBudget = { '1m': 1000, '5m': 5000 };
  for (const s of sizes) {
    const b = wallBudget[s.toLowerCase()];
    if (b) {
      const w = med(s, 'wall_ms');
      budget.push(`- ${sizeLabel(sizeRows(s))} drop → charts ${fmt(w)} ms vs ≤ ${b} ms: ${w <= b ? 'met' : `missed by ${fmt(w - b)} ms (${fmt(w / b, '×')})`}`);
    }
    if (fl[s].length) {
      const extra = med(s, 'mem_extra_pss_mib');
      const floor = median(fl[s].map((r) => r.mem_extra_pss_mib));
      const allowed = floor + 2 * mib(col[s][0].file_bytes);
      budget.push(`- ${sizeLabel(sizeRows(s))} peak extra memory ${fmt(extra)} MiB vs ≤ read floor ${fmt(floor)} + 2 × file ${fmt(2 * mib(col[s][0].file_bytes))} = ${fmt(allowed)} MiB: ${extra <= allowed ? 'met' : `missed by ${fmt(extra - allowed)} MiB`}`);
    }
  }
  const load = median(sizes.flatMap((s) => col[s].map((r) => r.load_worker_ready_ms)));
  budget.push(`- cold first load (navigation → worker ready), median of all runs ${fmt(load)} ms vs ≤ 500 ms: ${load <= 500 ? 'met' : 'missed'}`);
  // Issue 20's revised app budget (also checked by `cargo xtask test`).
  if (e0.dist) {
    budget.push(`- page loaded first, gzipped ${(e0.dist.gzip_page / 1e3).toFixed(0)} kB vs ≤ 800 kB: ${e0.dist.gzip_page <= 800e3 ? 'met' : 'missed'}`);
    budget.push(`- whole app (page + worker), gzipped ${(e0.dist.gzip_total / 1e6).toFixed(3)} MB vs ≤ 2.0 MB: ${e0.dist.gzip_total <= 2.0e6 ? 'met' : 'missed'}`);
  }
  out.push(...budget, '');

  // Anchors
  if (sizes.some((s) => an[s].length)) {
    out.push(`Anchors (shared/bench/anchors, same files; ${sizes.filter((s) => an[s].length).map((s) => `${sizeLabel(sizeRows(s))} ${sameRun(s) ? 'same invocation as ours' : `from ${an[s][0].invocation}`}`).join(', ')}). Ratio = anchor ÷ Loyalty Lens (> 1: we are faster / smaller).`, '');
    out.push(...head('anchor'));
    const ratio = (a, b) => (a == null || b == null ? '' : ` (${fmt(a / b, '×')})`);
    const W = (s) => med(s, 'wall_ms');
    const A = (tool, metric, ours = W, unit = '') => (s) => {
      const v = anc(s, tool, metric);
      return v == null ? '–' : `${fmt(v, unit)}${ratio(v, ours(s))}`;
    };
    out.push(row('pandas+lifetimes read → CLV (`abcde_total`) [ms] ÷ our drop → charts', A('pandas', 'abcde_total')));
    out.push(row('pandas+lifetimes process wall incl. imports [ms] ÷ our drop → charts', A('pandas', 'process_wall')));
    out.push(row('pandas `a_read` (read_csv) [ms] ÷ our `parse_ms`', A('pandas', 'a_read', (s) => med(s, 'parse_ms'))));
    out.push(row('pandas+lifetimes process peak RSS [MiB] (whole process, not comparable to "extra")', A('pandas', 'peak_rss_mib', () => null)));
    out.push(row('DuckDB-wasm load + cohort (`total_after_upload`) [ms] ÷ our drop → charts', A('duckdb-wasm', 'total_after_upload')));
    out.push(row('DuckDB-wasm engine start (`init`) [ms]', A('duckdb-wasm', 'init', () => null)));
    out.push(row('DuckDB-wasm `init` + `total_after_upload` [ms] ÷ ours', (s) => {
      const v = (anc(s, 'duckdb-wasm', 'init') ?? NaN) + (anc(s, 'duckdb-wasm', 'total_after_upload') ?? NaN);
      return Number.isFinite(v) ? `${fmt(v)}${ratio(v, W(s))}` : '–';
    }));
    out.push(row('DuckDB-wasm peak extra PSS [MiB] ÷ ours', A('duckdb-wasm', 'extra_pss_mib', (s) => med(s, 'mem_extra_pss_mib'))));
    out.push(row('PapaParse parse alone [ms] ÷ our drop → charts', A('papa', 'papa_parse')));
    out.push(row('PapaParse parse alone [ms] ÷ our `parse_ms`', A('papa', 'papa_parse', (s) => med(s, 'parse_ms'))));
    out.push(row('PapaParse peak extra PSS [MiB] ÷ ours', A('papa', 'extra_pss_mib', (s) => med(s, 'mem_extra_pss_mib'))));
    out.push(row('File read: `read_arraybuffer` / `read_text` [ms]', (s) => `${fmt(anc(s, 'read', 'read_arraybuffer'))} / ${fmt(anc(s, 'read', 'read_text'))}`));
    out.push(row('File read (arrayBuffer + text) peak extra PSS [MiB]', A('read', 'extra_pss_mib', () => null)));
    out.push('');
  }
  out.push('Breakdown: copy = drop event → the worker\'s last "bytes read" progress message (posting the File, slices of 1 MB growing to 8 MB read with two Blob.arrayBuffer() calls in flight and copied into wasm memory); `parse_ms`/`analyze_ms` = the worker\'s own clocks; report to the page = done message arrival − copy − parse − analyze (JSON serialisation of the Report in the worker + postMessage); page = done message → every canvas[data-chart] has data-ready=true (JSON parse in wasm, DOM, all charts, including hidden pages). Memory: PSS summed over the Chromium process tree from /proc every 100 ms, peak minus the idle app just before the drop. Delay probes: a 10 ms timer chain and requestAnimationFrame on the page; worst lateness.');
  return out.join('\n') + '\n';
}

// ------------------------------------------------------------------ main
async function main() {
  fs.mkdirSync(RESULTS, { recursive: true });
  if (flag('summarize')) {
    const text = summarize();
    fs.writeFileSync(path.join(RESULTS, 'summary.md'), text);
    console.log(text);
    return;
  }
  if (flag('fresh')) {
    const old = `${RESULTS}.${INVOCATION.replace(/[-:]/g, '')}`;
    fs.renameSync(RESULTS, old);
    fs.mkdirSync(RESULTS, { recursive: true });
    log(`previous results moved to ${old}`);
  }
  // anchors' venv first when asked (it has numpy for gen.py)
  if (flag('anchors') && !fs.existsSync(path.join(ANCHORS_WORK, 'venv/bin/python'))) {
    log(`anchors: setup.sh (ANCHORS_WORK=${ANCHORS_WORK})`);
    run('bash', [path.join(ANCHORS, 'setup.sh'), '--sizes', 'cdnow'], { env: { ...process.env, ANCHORS_WORK } });
  }
  const datas = SIZES.map(ensureData);
  const dist = snapshotDist();
  log(`dist ${dist.source} → snapshot ${dist.dir}; gzipped wasm+js ${dist.gzip_total} bytes`);
  const site = await serve(dist.dir);
  let browser = await launch();
  const env = {
    invocation: INVOCATION,
    via: VIA,
    hash: HASH,
    runs: RUNS,
    dist,
    chromium: browser.version(),
    playwright: JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/e2e/node_modules/playwright-core/package.json'), 'utf8')).version,
    node: process.version,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    os: `${os.type()} ${os.release()}`,
    files: datas,
  };
  fs.appendFileSync(path.join(RESULTS, 'env.jsonl'), JSON.stringify(env) + '\n');
  try {
    for (const data of datas) {
      // A fresh browser per size, a fresh context per run.
      await browser.close();
      browser = await launch();
      if (VIA === 'harness' && data.bytes > 50e6) log(`WARNING: --via harness sends ${fmt(data.bytes / 1e6)} MB as base64 over CDP`);
      for (let rep = 1; rep <= RUNS; rep++) {
        const r = await runOnce(browser, site, data, rep);
        fs.appendFileSync(path.join(RESULTS, 'runs.jsonl'), JSON.stringify(r) + '\n');
        log(
          `${data.token} rep${rep}: wall ${fmt(r.wall_ms)} ms = copy ${fmt(r.copy_done_ms)} + parse ${fmt(r.parse_ms)} + analyze ${fmt(r.analyze_ms)} + to page ${fmt(r.to_page_ms)} + page ${fmt(r.page_after_done_ms)} (render ${fmt(r.render_ms)}); ` +
            `extra PSS ${fmt(r.mem_extra_pss_mib)} MiB (base ${fmt(r.mem_base_pss_mib)}); delay worker ${fmt(r.lat_worker_timer_ms)}/${fmt(r.lat_worker_frame_ms)} page ${fmt(r.lat_page_timer_ms)}/${fmt(r.lat_page_frame_ms)} ms; ` +
            `${r.charts.length} charts; figures ${r.figures_ok ? 'ok' : `WRONG (tx ${r.transactions}, customers ${r.customers})`}` +
            (r.problems.length ? `; console: ${r.problems.join(' | ').slice(0, 300)}` : ''),
        );
        const slowest = Object.entries(r.sections_ms ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 4);
        if (slowest.length) log(`  slowest sections: ${slowest.map(([s, ms]) => `${s} ${fmt(ms)} ms`).join(', ')}`);
      }
      if (FLOOR) {
        const f = await floorOnce(browser, site, data);
        if (f) {
          fs.appendFileSync(path.join(RESULTS, 'floor.jsonl'), JSON.stringify(f) + '\n');
          log(`${data.token} read floor: arrayBuffer ${fmt(f.read_arraybuffer_ms)} ms, extra PSS ${fmt(f.mem_extra_pss_mib)} MiB`);
        }
      }
    }
  } finally {
    await browser.close();
    site.server.close();
  }
  if (flag('anchors')) {
    const records = runAnchors(datas);
    for (const r of records) fs.appendFileSync(path.join(RESULTS, 'anchors.jsonl'), JSON.stringify(r) + '\n');
  }
  const text = summarize();
  fs.writeFileSync(path.join(RESULTS, 'summary.md'), text);
  console.log(text);
  log(`results: ${RESULTS}/summary.md (raw: runs.jsonl, floor.jsonl, anchors.jsonl, env.jsonl)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
