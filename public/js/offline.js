// Offline reading, as progressive enhancement: the pages work the same without it.
// It registers the service worker, asks it to keep this language's guides, and shows which
// guides are kept on this device.
(() => {
  if (!('serviceWorker' in navigator) || !('caches' in window)) return;
  const locale = document.documentElement.dataset.locale;
  const marks = () =>
    document.querySelectorAll('[data-offline-mark]').forEach(async (mark) => {
      if (await caches.match(mark.dataset.offlineMark, { ignoreVary: true, ignoreSearch: false })) mark.hidden = false;
    });
  const save = document.querySelector('[data-offline-save]');
  if (save) {
    caches.match(location.pathname, { ignoreVary: true }).then((stored) => {
      if (!stored) save.closest('[hidden]')?.removeAttribute('hidden');
    });
    save.addEventListener('click', async () => {
      const worker = (await navigator.serviceWorker.ready).active;
      worker?.postMessage({ type: 'store', urls: [location.pathname, `${location.pathname}/print`] });
    });
  }
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'stored') {
      marks();
      if (save) save.closest('.offline-save').hidden = true;
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
