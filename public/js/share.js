// "Send to a phone", with a script: the device's share sheet where there is one, and a button that
// copies the address. The plain links (SMS, WhatsApp, the address) work without it. The space for
// these buttons is kept from the start, so showing them moves nothing.
(() => {
  const box = document.querySelector('[data-share-js]');
  const link = document.querySelector('[data-share-url]');
  if (!box || !link) return;
  const url = link.href;
  const title = document.title;
  const native = box.querySelector('[data-share-native]');
  const copy = box.querySelector('[data-share-copy]');
  const status = box.querySelector('[data-share-status]');
  const canShare = typeof navigator.share === 'function';
  const canCopy = Boolean(navigator.clipboard && window.isSecureContext);
  if (!canShare) native.remove();
  if (!canCopy) copy.remove();
  if (!canShare && !canCopy) return;
  native?.addEventListener('click', () => navigator.share({ title, url }).catch(() => {}));
  copy?.addEventListener('click', () =>
    navigator.clipboard.writeText(url).then(
      () => (status.textContent = copy.dataset.copied),
      () => (status.textContent = ''),
    ),
  );
  box.classList.add('is-ready');
})();
