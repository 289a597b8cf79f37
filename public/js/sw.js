// Dalil's service worker. The server puts the release's VERSION (a hash of the content and the
// assets) before this text: a new release is a new worker, whose store replaces the old one.
const STORE = `dalil-${VERSION}`;
const LOCALES = '/__offline/locales';

self.addEventListener('install', () => self.skipWaiting());

/**
 * Whether this worker is still the site's active one. A worker replaced by a new release's keeps
 * serving the pages it controlled until the new one claims them: it must not open its store again
 * (caches.open would bring back the store the new worker deleted).
 */
const current = () => !self.serviceWorker || self.registration.active === self.serviceWorker;

/**
 * The editors' area (/editor, any case, escaped or not): the worker never keeps it, never answers
 * for it. Its pages carry comments, a CSRF token and the editor's name; they are for the network only.
 */
function editorArea(u) {
  let path;
  try {
    path = new URL(u, self.location.origin).pathname;
  } catch {
    return false;
  }
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: the path as it is.
  }
  return /^\/+editor(\/|$)/i.test(path);
}

/** Whether an answer may be kept: never one its server marks no-store or private (nor one that came from /editor). */
function keepable(response) {
  const directives = (response.headers.get('cache-control') ?? '').split(',').map((d) => d.split('=')[0].trim().toLowerCase());
  return !directives.includes('no-store') && !directives.includes('private') && !(response.url && editorArea(response.url));
}

/**
 * Keeps pages as store.addAll would (every one answered, or nothing kept), but never the editors'
 * area nor an answer that may not be kept.
 */
async function keep(store, urls) {
  const wanted = urls.filter((u) => !editorArea(u));
  const responses = await Promise.all(
    wanted.map(async (u) => {
      // Asked again of the server (cache: no-cache): a copy the HTTP cache still holds may be of the release before.
      const response = await fetch(u, { cache: 'no-cache' });
      if (!response.ok) throw new TypeError(`${u}: ${response.status}`);
      return response;
    }),
  );
  await Promise.all(responses.map((response, i) => (keepable(response) ? store.put(wanted[i], response) : undefined)));
}

/** Deletes from a store what no store may hold, whichever worker put it there. */
async function scrub(store) {
  for (const request of await store.keys()) {
    const response = await store.match(request);
    if (!response || editorArea(request.url) || !keepable(response)) await store.delete(request);
  }
}

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // The languages the old release kept are kept again, in their new version.
      const locales = new Set();
      const old = [];
      for (const name of await caches.keys()) {
        if (!name.startsWith('dalil-') || name === STORE) continue;
        old.push(name);
        const marker = await (await caches.open(name)).match(LOCALES);
        if (marker) for (const l of await marker.json()) locales.add(l);
      }
      // Older workers kept the editors' pages and no-store answers: none stays in this store either.
      if (await caches.has(STORE)) await scrub(await caches.open(STORE));
      await self.clients.claim();
      for (const l of locales) await storeLocale(l).catch(() => undefined);
      // Whatever else the old stores held (a page kept on its own, a guide beside another language)
      // is fetched again in its new version; what the network cannot give now stays as it was
      // (its page says so once online); what is gone from the site goes. Then nothing old is left.
      for (const name of old) {
        if (current()) await keepAgain(await caches.open(name)).catch(() => undefined);
        await caches.delete(name);
      }
    })(),
  );
});

async function keepAgain(before) {
  const store = await caches.open(STORE);
  for (const request of await before.keys()) {
    const url = new URL(request.url);
    if (url.pathname === LOCALES || editorArea(request.url) || (await store.match(request, { ignoreVary: true }))) continue;
    const fresh = await fetch(url.pathname + url.search, { cache: 'no-cache' }).catch(() => undefined);
    const kept = fresh ? fresh.ok && fresh : await before.match(request);
    if (kept && keepable(kept)) await store.put(url.pathname + url.search, kept);
  }
}

/** Keeps a language's pages; tells the page that asked (if any) each guide's published revision. */
async function storeLocale(locale, client) {
  const list = await (await fetch(`/${locale}/offline.json`, { cache: 'no-store' })).json();
  if (client && list.revisions) client.postMessage({ type: 'revisions', revisions: list.revisions });
  if (!current() || list.version !== VERSION) return;
  const store = await caches.open(STORE);
  await keep(store, list.pages);
  const marker = await store.match(LOCALES);
  const locales = marker ? await marker.json() : [];
  if (!locales.includes(locale)) locales.push(locale);
  await store.put(LOCALES, new Response(JSON.stringify(locales), { headers: { 'content-type': 'application/json' } }));
}

async function tell(client) {
  if (client) client.postMessage({ type: 'stored' });
}

/** A path of this site ("/fr/…"), never another origin: "//host/…", "https://…" and "/\\host" resolve elsewhere. */
function sameOrigin(u) {
  if (typeof u !== 'string' || !u.startsWith('/')) return false;
  try {
    return new URL(u, self.location.origin).origin === self.location.origin;
  } catch {
    return false;
  }
}

self.addEventListener('message', (event) => {
  const data = event.data ?? {};
  if (data.type === 'store-locale' && /^[a-z]{2,3}$/.test(data.locale)) {
    event.waitUntil(
      storeLocale(data.locale, event.source).then(
        () => tell(event.source),
        () => undefined,
      ),
    );
  } else if (data.type === 'store' && Array.isArray(data.urls)) {
    const urls = data.urls.filter((u) => sameOrigin(u) && !editorArea(u));
    if (!current()) return;
    event.waitUntil(
      caches
        .open(STORE)
        .then((store) => keep(store, urls))
        .then(
          () => tell(event.source),
          () => undefined,
        ),
    );
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The editors' area is left to the network: offline, the browser's own error, never a stored page.
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname === '/sw.js' || editorArea(url.href)) return;
  event.respondWith(
    (async () => {
      let response;
      try {
        response = await fetch(request);
      } catch {
        const store = await caches.open(STORE);
        const stored = await store.match(request, { ignoreVary: true });
        if (stored && keepable(stored)) return stored;
        if (request.mode === 'navigate') return (await answerHere(store, url)) ?? offlinePage(store, url);
        return Response.error();
      }
      // Pages read and assets used are kept as they are read, but for answers marked no-store or
      // private. A store that refuses (quota full) changes nothing: the network answered, so the
      // reader gets that answer.
      if (response.ok && keepable(response) && (request.mode === 'navigate' || url.pathname.startsWith('/assets/')) && current()) {
        const copy = response.clone();
        event.waitUntil(
          caches
            .open(STORE)
            .then((store) => store.put(request, copy))
            .catch(() => undefined),
        );
      }
      return response;
    })(),
  );
});

/**
 * A page that answers its own questions (the provider checker: every answer is computed on the page
 * from its data, by public/js/checker.js), kept without the question: it stands for any answer.
 */
async function answerHere(store, url) {
  if (!url.search) return undefined;
  const page = await store.match(url.pathname, { ignoreVary: true });
  if (!page || !keepable(page) || !(await page.clone().text()).includes('data-offline-answer')) return undefined;
  return page;
}

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The localized "you are offline" page, with the list of what this device keeps in that language. */
async function offlinePage(store, url) {
  const locale = url.pathname.split('/')[1];
  const page =
    (await store.match(`/${locale}/offline`, { ignoreVary: true })) ??
    (await store.match(`/${(await (await store.match(LOCALES))?.json())?.[0]}/offline`, { ignoreVary: true }));
  if (!page) return Response.error();
  const items = [];
  for (const key of await store.keys()) {
    const path = new URL(key.url).pathname + new URL(key.url).search;
    if (!path.startsWith(`/${locale}/`) || /\/(offline|offline\.json|manifest\.webmanifest)$/.test(path)) continue;
    const html = await (await store.match(key)).text();
    const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? path;
    items.push(`<li><a href="${escapeHtml(path)}">${title}</a></li>`);
  }
  const html = (await page.text()).replace('<!--offline-list-->', items.join(''));
  return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}
