import type { Language } from './languages.js';

declare global {
  namespace Express {
    interface Locals {
      /** The page's language, set by the /:locale router from the first segment of the path. */
      language?: Language;
      /** The signed-in editor, under /editor. */
      editor?: { id: number; name: string; role: string; languages: string; csrf: string };
    }
  }
}
