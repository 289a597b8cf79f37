// "Does your screen look like this?": with a script, the answer is sent in place (the same form,
// the same address) and the form gives way to a thank-you; without one, the form posts and the
// reader lands on the thank-you page. Progressive enhancement only.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches('[data-screen-check]')) return;
  event.preventDefault();
  const body = new URLSearchParams(new FormData(form, event.submitter));
  try {
    const res = await fetch(form.action, { method: 'POST', body, headers: { accept: 'application/json' }, credentials: 'omit' });
    if (res.status !== 204) throw new Error(String(res.status));
    const thanks = document.createElement('p');
    thanks.className = 'screen-check__thanks';
    thanks.setAttribute('role', 'status');
    thanks.textContent = form.dataset.thanks;
    form.replaceWith(thanks);
  } catch {
    // Whatever went wrong, the page the server answers says it in the reader's language.
    form.submit();
  }
});
