// Help-desk mode: the arrow keys go to the next and previous step, Escape back to the guide.
// Progressive enhancement only: the page works the same with the links alone.
document.addEventListener('keydown', (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (event.target instanceof Element && event.target.closest('input, textarea, select, [contenteditable]')) return;
  // "Next" points the way the page reads: left in Arabic and Dari.
  const rtl = document.documentElement.dir === 'rtl';
  const target = {
    [rtl ? 'ArrowLeft' : 'ArrowRight']: 'a[rel="next"]',
    [rtl ? 'ArrowRight' : 'ArrowLeft']: 'a[rel="prev"]',
    Escape: 'a[data-exit]',
  }[event.key];
  const link = target && document.querySelector(target);
  if (link) {
    event.preventDefault();
    window.location.href = link.href;
  }
});
