import type { BrowserContext } from 'playwright-core';

export interface Spoken {
  text: string;
  lang: string;
  voice: string | undefined;
}
export interface Speech {
  spoken: Spoken[];
  paused: boolean;
  /** The device finishes what it was given: the last utterance's end event fires. */
  finish(): void;
  arrive(): void;
}
/**
 * A stand-in for the device's speech synthesis, installed before the page's scripts: the voices it
 * offers (given at once, or only after a "voiceschanged" event as Chrome does), what it is asked to
 * say, with which voice and language. Each cancel is counted in sessionStorage, which outlives the page.
 */
export async function withVoices(context: BrowserContext, voices: Array<{ name: string; lang: string }> | null, late = false) {
  await context.addInitScript(
    ({ voices, late }) => {
      if (voices === null) {
        Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });
        return;
      }
      const spoken: Array<{ text: string; lang: string; voice: string | undefined }> = [];
      type Utterance = { text: string; lang: string; voice: { name: string } | null; onend: (() => void) | null };
      let queue: Utterance[] = [];
      let ready = !late;
      const listeners: Array<() => void> = [];
      const synth = {
        paused: false,
        getVoices: () => (ready ? voices.map((v) => ({ ...v, voiceURI: v.name, default: false, localService: true })) : []),
        speak(u: Utterance) {
          spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.name });
          queue.push(u);
        },
        cancel() {
          queue = [];
          sessionStorage.setItem('cancels', String(Number(sessionStorage.getItem('cancels') ?? 0) + 1));
        },
        pause() {
          synth.paused = true;
        },
        resume() {
          synth.paused = false;
        },
        addEventListener(type: string, fn: () => void) {
          if (type === 'voiceschanged') listeners.push(fn);
        },
      };
      class SpeechSynthesisUtterance {
        lang = '';
        voice = null;
        onend = null;
        constructor(public text: string) {}
      }
      Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
      Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: SpeechSynthesisUtterance, configurable: true });
      Object.defineProperty(window, 'speech', {
        value: {
          spoken,
          get paused() {
            return synth.paused;
          },
          finish() {
            const last = queue.at(-1);
            queue = [];
            last?.onend?.();
          },
          /** The voices arrive, as Chrome announces them: a "voiceschanged" event. */
          arrive() {
            ready = true;
            for (const fn of listeners) fn();
          },
        },
      });
    },
    { voices, late },
  );
}
