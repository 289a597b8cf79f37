// The provider checker without the network. Offline, the service worker answers a checker address
// with the page kept on the device, the checker before an answer: it carries every part an answer
// can have (<template data-offline-answer>) and the cards' requirements (data-items). This script
// keeps the parts of the reader's answer, as the server chooses them (src/tools/checklist.ts and
// checklistView in src/view-models/tool.ts; a browser test compares both on every combination).
// Online the server answers, and the page has no template: this script does nothing.
(() => {
  const answer = document.querySelector('template[data-offline-answer]');
  const query = new URLSearchParams(location.search);
  if (!answer || (!query.has('has') && !query.has('answered'))) return;
  const items = JSON.parse(answer.dataset.items);
  const asked = new Set(items.filter((i) => i.status !== 'withdrawn').flatMap((i) => i.checks));
  const has = new Set(query.getAll('has'));
  // An address the server would refuse (400) gets no answer here either: the form stays.
  const answered = query.getAll('answered');
  if ([...query.keys()].some((k) => k !== 'has' && k !== 'answered') || answered.length > 1 || answered.some((a) => a !== '1')) return;
  if ([...has].some((h) => !asked.has(h))) return;

  const missing = new Map(items.map((i) => [i.key, i.checks.filter((c) => !has.has(c))]));
  const offered = items.filter((i) => i.status !== 'withdrawn' && i.checks.length > 0);
  const matches = offered.filter((i) => missing.get(i.key).length === 0).map((i) => i.key);
  const others = offered.filter((i) => missing.get(i.key).length > 0).map((i) => i.key);
  const fewest = matches.length ? 0 : Math.min(...others.map((k) => missing.get(k).length));
  const closest = matches.length ? [] : others.filter((k) => missing.get(k).length === fewest);
  const rest = others.filter((k) => !closest.includes(k));

  const result = answer.content.cloneNode(true);
  const group = (name) => result.querySelector(`[data-group="${name}"]`);
  const keep = (name, attribute, keys) => {
    const part = group(name);
    if (!part) return;
    if (keys.length === 0) return part.remove();
    for (const item of part.querySelectorAll(`[${attribute}]`)) {
      const key = item.getAttribute(attribute);
      if (!keys.includes(key)) item.remove();
      else for (const check of item.querySelectorAll('[data-check]')) if (!missing.get(key).includes(check.dataset.check)) check.remove();
    }
  };
  keep('matches', 'data-provider-match', matches);
  keep('closest', 'data-provider-closest', closest);
  keep('others', 'data-provider-missing', rest);
  if (matches.length) group('none')?.remove();
  answer.replaceWith(result);
  document.querySelector('template[data-offline-after]')?.replaceWith(document.querySelector('template[data-offline-after]').content.cloneNode(true));
  for (const box of document.querySelectorAll('.tool-form input[name="has"]')) box.checked = has.has(box.value);
  if (location.hash === '#result') document.getElementById('result')?.focus();
})();
