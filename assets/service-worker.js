// Loyalty Lens service worker: keeps the app's own files so the page opens
// offline after the first visit. `cargo xtask dist` fills in VERSION and FILES
// (every file of dist/, relative to this script). It never sees the user's
// data: dropped files are read from the disk by the page, not fetched.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `loyalty-lens-${VERSION}`;

self.addEventListener('install', (event) => {
  // `reload`: fetch past the HTTP cache so a new version never mixes in old files.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('loyalty-lens-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // The page: the network first (a new deploy shows at once), the kept copy offline.
    event.respondWith(
      fetch(request).catch(() => caches.match('./index.html', { cacheName: CACHE }).then((r) => r ?? Response.error())),
    );
    return;
  }
  // Scripts, wasm, styles and the sample: names carry a content hash (or are
  // fixed files of this version), so the kept copy is the right one.
  event.respondWith(
    caches.match(request, { cacheName: CACHE, ignoreSearch: true }).then((kept) => kept ?? fetch(request)),
  );
});
