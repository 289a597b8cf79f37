// Offline reading, as progressive enhancement: the pages work the same without it.
// It registers the service worker, asks it to keep this language's guides, and shows which
// guides are kept on this device. The mark and the button have their space kept by the
// stylesheet, so showing them moves nothing on the page.
(() => {
  if (!('serviceWorker' in navigator) || !('caches' in window)) return;
  const locale = document.documentElement.dataset.locale;
  const marks = () =>
    document.querySelectorAll('[data-offline-mark]').forEach(async (mark) => {
      if (await caches.match(mark.dataset.offlineMark, { ignoreVary: true, ignoreSearch: false })) mark.classList.add('is-saved');
    });
  const slot = document.querySelector('[data-offline-slot]');
  const save = document.querySelector('[data-offline-save]');
  if (slot && save) {
    caches.match(location.pathname, { ignoreVary: true }).then((stored) => {
      if (!stored) slot.dataset.offline = 'unsaved';
    });
    save.addEventListener('click', async () => {
      const worker = (await navigator.serviceWorker.ready).active;
      // The page names what it keeps with it: itself, its handout, its tools.
      worker?.postMessage({ type: 'store', urls: JSON.parse(save.dataset.offlineSave) });
    });
  }
  // A guide's page kept on the device, older than the one published since: said once online, with
  // the way to the new one (the worker asks the network first, so loading the page again gets it).
  const guide = document.querySelector('[data-guide-revision]');
  let answered = false;
  const newer = document.querySelector('[data-newer]');
  const newerText = document.querySelector('template[data-newer-text]');
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'stored') {
      marks();
      if (slot) slot.dataset.offline = 'saved';
    } else if (event.data?.type === 'revisions' && guide && newer && newerText && !newer.firstChild) {
      answered = true;
      const published = event.data.revisions?.[guide.dataset.guide];
      if (!published || published === guide.dataset.guideRevision) return;
      newer.append(newerText.content.cloneNode(true));
      newer.querySelector('[data-newer-load]')?.addEventListener('click', () => location.reload());
    }
  });
  const storeLocale = () => navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage({ type: 'store-locale', locale }));
  navigator.serviceWorker
    .register('/sw.js', { scope: '/' })
    .then(storeLocale)
    .catch(() => {
      // Storage refused (private browsing, quota): the save control stays offered.
    });
  // Back online: the language's pages kept again, and this page compared with the published one
  // (asked again a little later if the connection was not yet usable when the browser said online).
  addEventListener('online', () => {
    answered = false;
    const ask = () => void storeLocale().catch(() => undefined);
    ask();
    setTimeout(() => answered || ask(), 5000);
  });
  marks();
})();
