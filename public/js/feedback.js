// "Does your screen look like this?": with a script, the answer is sent in place (the same form,
// the same address). "Yes": the form gives way to a thank-you. "No": the form gives way, in place,
// to the question of what is different and what the reader can do now (the server's own report
// page for that screen, its panel taken whole). Without a script, the form posts and the reader
// lands on the same pages. Progressive enhancement only.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches('[data-screen-check]')) return;
  event.preventDefault();
  const body = new URLSearchParams(new FormData(form, event.submitter));
  let next;
  try {
    const res = await fetch(form.action, { method: 'POST', body, headers: { accept: 'application/json' }, credentials: 'omit' });
    if (res.status === 204) {
      const thanks = document.createElement('p');
      thanks.className = 'screen-check__thanks';
      thanks.setAttribute('role', 'status');
      thanks.textContent = form.dataset.thanks;
      form.replaceWith(thanks);
      return;
    }
    if (res.status !== 200) throw new Error(String(res.status));
    ({ next } = await res.json());
    if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) throw new Error('no next page');
    const page = await fetch(next, { credentials: 'omit' });
    if (!page.ok) throw new Error(String(page.status));
    const panel = new DOMParser().parseFromString(await page.text(), 'text/html').querySelector('[data-report-panel]');
    if (!panel) throw new Error('no panel');
    // The panel's heading becomes a level below the step's; it takes the focus, so it is read out.
    const heading = panel.querySelector('h1');
    const h = document.createElement('h3');
    h.textContent = heading.textContent;
    h.tabIndex = -1;
    heading.replaceWith(h);
    for (const title of panel.querySelectorAll('h2')) {
      const h4 = document.createElement('h4');
      h4.id = title.id;
      h4.textContent = title.textContent;
      title.replaceWith(h4);
    }
    // Ids of the panel are made unique on this page, which may hold several screens.
    const suffix = `-${form.querySelector('[name=screen]').value}`;
    for (const el of panel.querySelectorAll('[id]')) el.id += suffix;
    for (const el of panel.querySelectorAll('[for]')) el.htmlFor += suffix;
    for (const el of panel.querySelectorAll('[aria-describedby], [aria-labelledby]')) {
      for (const attr of ['aria-describedby', 'aria-labelledby']) if (el.hasAttribute(attr)) el.setAttribute(attr, el.getAttribute(attr) + suffix);
    }
    const imported = document.importNode(panel, true);
    imported.classList.add('report-panel--inline');
    form.replaceWith(imported);
    imported.querySelector('h3').focus();
  } catch {
    // Whatever went wrong, the server's own page says it in the reader's language (the answer, if
    // it was stored, is not sent twice: the reader goes to the page that follows it).
    if (typeof next === 'string' && next.startsWith('/') && !next.startsWith('//')) location.assign(next);
    else form.submit();
  }
});
