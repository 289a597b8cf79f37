// Read-aloud, as progressive enhancement: the page read in order by the device's own speech
// synthesis; nothing leaves the device. The page marks what is read ([data-listen-part]) and its
// steps ([data-listen-step]); the text between steps is read as parts of its own. No speech
// synthesis, or no voice for the page's language: the control stays hidden (never a button that does
// nothing). French words on screen (lang="fr" inside an Arabic or Dari page) are read with a French
// voice where the device has one.
(() => {
  const control = document.querySelector('[data-listen]');
  const synth = window.speechSynthesis;
  if (!control || !synth || typeof window.SpeechSynthesisUtterance !== 'function') return;
  const page = document.documentElement.lang.toLowerCase();
  const norm = (tag) => tag.toLowerCase().replace('_', '-');
  const base = (tag) => norm(tag).split('-')[0];

  /** The best voice for a language tag, and whether it is only a neighbour (Persian of Iran for Dari). */
  function voiceFor(lang, voices) {
    const tag = norm(lang);
    const exact = voices.find((v) => norm(v.lang) === tag);
    if (exact) return { voice: exact, neighbour: false };
    if (tag === 'fa-af' || tag === 'prs') {
      const dari = voices.find((v) => ['fa-af', 'prs', 'prs-af'].includes(norm(v.lang)));
      if (dari) return { voice: dari, neighbour: false };
      const persian = voices.find((v) => base(v.lang) === 'fa');
      return persian ? { voice: persian, neighbour: true } : undefined;
    }
    const same = voices.find((v) => base(v.lang) === base(tag));
    return same ? { voice: same, neighbour: false } : undefined;
  }

  // Not read: pictures of screens, forms, ways out, the other column of a bilingual page, addresses for paper.
  const SKIP =
    'figure, form, nav, script, [aria-hidden="true"], [hidden], [data-listen], .share, .report-link, .bi__col--other, .bi-title, .print-href, .start-again';

  /** The parts read one after another: each step alone, and the text around steps in runs. */
  function partsOf(scopes) {
    const parts = [];
    let run = null;
    const visit = (el) => {
      for (const child of el.children) {
        if (child.matches(SKIP)) continue;
        if (child.matches('[data-listen-step]')) {
          run = null;
          parts.push([child]);
        } else if (child.querySelector('[data-listen-step]')) {
          visit(child);
        } else {
          if (!run) parts.push((run = []));
          run.push(child);
        }
      }
    };
    for (const scope of scopes) {
      run = null;
      // A part without steps is read (and highlighted) whole.
      if (scope.matches('[data-listen-step]') || !scope.querySelector('[data-listen-step]')) parts.push([scope]);
      else visit(scope);
    }
    return parts.filter((p) => speech(p).length);
  }

  /** What a part says: runs of one language each, cut at sentences so that no utterance is too long to finish. */
  function speech(part) {
    const runs = [];
    const walk = (node, lang) => {
      if (node.nodeType === Node.TEXT_NODE) {
        const text = node.textContent.replace(/\s+/g, ' ');
        if (!text.trim()) return;
        const last = runs.at(-1);
        if (last && last.lang === lang && last.text) last.text += text;
        else if (last && !last.text) Object.assign(last, { lang, text });
        else runs.push({ lang, text });
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE || node.matches(SKIP)) return;
      const own = node.getAttribute('lang');
      // A heading, a paragraph, a list item: a sentence of its own, even in the same language as the next.
      const block = getComputedStyle(node).display !== 'inline';
      const cut = () => block && runs.at(-1)?.text !== '' && runs.push({ lang, text: '' });
      cut();
      for (const child of node.childNodes) walk(child, own ? own.toLowerCase() : lang);
      cut();
    };
    for (const el of part) walk(el, (el.closest('[lang]')?.getAttribute('lang') ?? page).toLowerCase());
    // Sentences, each in its run's language; a lone mark of punctuation stays with the words before it.
    const lines = [];
    for (const run of runs) {
      for (const sentence of run.text.split(/(?<=[.!?؟۔:;])\s+/)) {
        const text = sentence.trim();
        if (/[\p{L}\p{N}]/u.test(text)) lines.push({ lang: run.lang, text });
        else if (text && lines.length) lines.at(-1).text += text;
      }
    }
    return lines;
  }

  const scopes = [...document.querySelectorAll('[data-listen-part]')];
  const parts = partsOf(scopes);
  if (!parts.length) return;
  const $ = (name) => control.querySelector(`[data-listen-${name}]`);
  const playButton = $('play');
  const pauseButton = $('pause');
  let main;
  let current = -1;
  let token = 0;

  const highlight = (i) => {
    for (const [k, part] of parts.entries()) for (const el of part) el.classList.toggle('is-speaking', k === i);
    if (i < 0) return;
    const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
    parts[i][0].scrollIntoView({ block: 'center', behavior: reduce ? 'auto' : 'smooth' });
  };
  const setActive = (active) => {
    control.classList.toggle('is-active', active);
    document.documentElement.classList.toggle('is-listening', active);
  };
  const setPaused = (paused) => {
    pauseButton.textContent = paused ? control.dataset.resume : control.dataset.pause;
  };

  function play(i) {
    synth.cancel();
    const mine = ++token;
    if (i < 0 || i >= parts.length) return stop();
    const wasActive = control.classList.contains('is-active');
    current = i;
    setActive(true);
    setPaused(false);
    highlight(i);
    if (!wasActive) pauseButton.focus();
    const lines = speech(parts[i]);
    lines.forEach((line, k) => {
      const u = new SpeechSynthesisUtterance(line.text);
      const own = base(line.lang) !== base(page) && voiceFor(line.lang, synth.getVoices());
      const chosen = own || main;
      u.voice = chosen.voice;
      u.lang = chosen.voice.lang;
      if (k === lines.length - 1) u.onend = () => mine === token && play(i + 1);
      synth.speak(u);
    });
  }
  function stop() {
    const wasActive = control.classList.contains('is-active');
    token += 1;
    synth.cancel();
    current = -1;
    highlight(-1);
    setActive(false);
    setPaused(false);
    if (wasActive) playButton.focus();
  }

  playButton.addEventListener('click', () => play(current >= 0 ? current : 0));
  $('next').addEventListener('click', () => play(current + 1));
  $('prev').addEventListener('click', () => play(Math.max(0, current - 1)));
  $('stop').addEventListener('click', stop);
  pauseButton.addEventListener('click', () => {
    if (synth.paused) {
      synth.resume();
      setPaused(false);
    } else {
      synth.pause();
      setPaused(true);
    }
  });
  control.addEventListener('keydown', (e) => e.key === 'Escape' && stop());
  // Leaving the page stops the voice; one part alone (a help-desk step) needs no next and previous.
  window.addEventListener('pagehide', () => synth.cancel());
  if (parts.length === 1) control.classList.add('listen--single');

  const offer = () => {
    if (main) return;
    main = voiceFor(page, synth.getVoices());
    if (!main) return;
    const label = main.neighbour ? control.dataset.persianVoice : control.dataset.voice;
    $('voice').textContent = label.replace('{name}', main.voice.name);
    control.hidden = false;
    document.documentElement.classList.add('has-listen');
  };
  offer();
  synth.addEventListener?.('voiceschanged', offer);
})();
