// Read-aloud, as progressive enhancement: the page read in order by the device's own speech
// synthesis; nothing leaves the device. The page marks what is read ([data-listen-part]) and its
// steps ([data-listen-step]); the text between steps is read as parts of its own. No speech
// synthesis, or no voice for the page's language: the control stays hidden (never a button that does
// nothing). A sentence keeps one voice: French words inside a Dari sentence are read by the Dari
// voice; a sentence wholly in French (lang="fr") by a French voice where the device has one.
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

  // Not read: pictures of screens, forms and buttons (but the provider cards, a form whose labels are
  // the cards' requirements), ways out, the other column of a bilingual page, addresses for paper.
  const SKIP =
    'figure, form:not(.cards-form), button, nav, script, [aria-hidden="true"], [hidden], [data-listen], [data-report-panel], .share, .report-link, .bi__col--other, .bi-title, .print-href, .start-again, ' +
    // Nor what the page says about itself: sources and their dates, where its text comes from.
    '.callout__meta, .provenance, .meta';

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

  /**
   * What a part says: its sentences, cut so that no utterance is too long to finish, each with one
   * voice. A sentence is read in the language of its block (heading, paragraph, list item), a French
   * name inside a Dari sentence too; only a sentence wholly in another language (a provider's name on
   * its own, a French paragraph) takes that language's voice.
   */
  function speech(part) {
    const lines = [];
    let sentence = null;
    const end = () => {
      if (!sentence) return;
      const text = sentence.pieces
        .map((p) => p.text)
        .join('')
        .replace(/\s+/g, ' ')
        .trim();
      const worded = sentence.pieces.filter((p) => /[\p{L}\p{N}]/u.test(p.text));
      const langs = new Set(worded.map((p) => p.lang));
      // A lone mark of punctuation stays with the words before it.
      if (worded.length) lines.push({ lang: langs.size === 1 ? [...langs][0] : sentence.lang, text });
      else if (text && lines.length) lines.at(-1).text += text;
      sentence = null;
    };
    const walk = (node, lang, blockLang) => {
      if (node.nodeType === Node.TEXT_NODE) {
        // A sentence that ended at the close of an element ("… FranceConnect</bdi>." then " Next").
        if (/[.!?؟۔:;]$/.test(sentence?.pieces.at(-1).text ?? '') && /^\s/.test(node.textContent)) end();
        node.textContent.split(/(?<=[.!?؟۔:;])\s+/).forEach((piece, i) => {
          if (i > 0) end();
          sentence ??= { lang: blockLang, pieces: [] };
          sentence.pieces.push({ lang, text: piece });
        });
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE || node.matches(SKIP)) return;
      const own = node.getAttribute('lang')?.toLowerCase();
      // A heading, a paragraph, a list item: sentences of its own, in its own language.
      const block = !getComputedStyle(node).display.startsWith('inline');
      if (block) end();
      for (const child of node.childNodes) walk(child, own ?? lang, block ? (own ?? lang) : blockLang);
      if (block) end();
    };
    for (const el of part) {
      const lang = (el.closest('[lang]')?.getAttribute('lang') ?? page).toLowerCase();
      walk(el, lang, lang);
      end();
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
