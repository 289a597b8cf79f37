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
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'stored') {
      marks();
      if (slot) slot.dataset.offline = 'saved';
    }
  });
  navigator.serviceWorker
    .register('/sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => registration.active?.postMessage({ type: 'store-locale', locale }))
    .catch(() => {
      // Storage refused (private browsing, quota): the save control stays offered.
    });
  marks();
})();
