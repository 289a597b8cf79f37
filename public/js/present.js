// Help-desk mode: the keys of a keyboard and of a presentation clicker walk the guide's screens.
// Next: the arrow that points the way the page reads, Page Down, Space. Previous: the other arrow,
// Page Up, Shift+Space. Home and End: the first and the last screen. Escape: back to the guide.
// Progressive enhancement only: the page works the same with the links alone.
document.addEventListener('keydown', (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
  if (event.shiftKey && event.key !== ' ') return;
  const focus = event.target instanceof Element ? event.target : null;
  if (focus && focus.closest('input, textarea, select, [contenteditable]')) return;
  // Space presses a focused button: it stays the button's.
  if (event.key === ' ' && focus && focus.closest('button, summary')) return;
  // "Next" points the way the page reads: left in Arabic, Dari and Pashto.
  const rtl = document.documentElement.dir === 'rtl';
  const nav = document.querySelector('.present__nav');
  const link = (selector) => document.querySelector(selector)?.getAttribute('href');
  const next = () => link('a[rel="next"]');
  const prev = () => link('a[rel="prev"]');
  const go = {
    [rtl ? 'ArrowLeft' : 'ArrowRight']: next,
    [rtl ? 'ArrowRight' : 'ArrowLeft']: prev,
    PageDown: next,
    PageUp: prev,
    ' ': event.shiftKey ? prev : next,
    Home: () => nav?.getAttribute('data-first'),
    End: () => nav?.getAttribute('data-last'),
    Escape: () => link('a[data-exit]'),
  }[event.key];
  const href = go && go();
  // Where a key leads nowhere (Page Down on the last screen, Home on the first), it does what it always does.
  if (!href || new URL(href, location.href).href === location.href) return;
  event.preventDefault();
  location.href = href;
});
