import type { Generated } from 'kysely';

/** The feedback store's tables. Times are ISO strings (UTC), which sort as they read. */
export interface Database {
  /** What readers and help desks report about a step or a tool: never who they are. */
  reports: {
    id: Generated<number>;
    guide: string;
    /** The step of the guide (its number), or null for a tool. */
    step: number | null;
    /** The tool, or null for a guide step. */
    tool: string | null;
    language: string;
    kind: string;
    /** The comment, scrubbed of e-mail addresses, phone numbers and long digit runs. */
    comment: string;
    /** The release the reader saw. */
    release: string;
    /** The hour it came, rounded down: no finer time is kept. */
    created_at: string;
    handled_at: string | null;
    handled_by: string | null;
    /** The "No" answer to a screen this report says more about, when it came from one. */
    answer_id: number | null;
  };
  /** "Does your screen look like this?" answers, per screen picture. */
  screen_answers: {
    id: Generated<number>;
    guide: string;
    step: number;
    screen: string;
    language: string;
    answer: 'yes' | 'no';
    release: string;
    created_at: string;
    /**
     * Who answered, as far as telling apart how many did: the address hashed with the store's salt
     * and the day (so the same address on two days is two sources, and none can be followed).
     */
    source: string | null;
  };
  editors: {
    id: Generated<number>;
    name: string;
    /** scrypt$N$r$p$salt$hash */
    password_hash: string;
    created_at: string;
    /** editor, reviewer or admin (src/store/editors.ts says what each may do). */
    role: Generated<string>;
    /** The languages the account writes in, comma-separated ('' for none given). */
    languages: Generated<string>;
  };
  /** What editors did (signed in, marked reports handled, exported, changed an account), by whom and when. */
  audit: {
    id: Generated<number>;
    at: string;
    /** The account's name as it was then, or "command line" for a change made there. */
    account: string;
    action: string;
    /** What the action was about, in a few words (never a password or a reader's comment). */
    detail: string;
  };
  /** Editors' sessions: the hash of the cookie's token, never the token. */
  sessions: {
    id: string;
    editor_id: number;
    csrf: string;
    created_at: string;
    expires_at: string;
  };
  /**
   * Editors' change sets: an author's draft (one at a time), submitted for review, approved by as
   * many other accounts as REVIEWS_REQUIRED asks, then published (or sent back as a draft, with
   * the reviewer's comment).
   */
  change_sets: {
    id: Generated<number>;
    author: string;
    status: 'draft' | 'submitted' | 'approved' | 'published';
    /** The author's one line, written on submitting, and the language it is written in. */
    summary: string;
    summary_language: Generated<string>;
    /** The last reviewer's comment when it was sent back ('' if none). */
    comment: string;
    created_at: string;
    updated_at: string;
    published_by: string | null;
    published_at: string | null;
    /** The content's git commit of the publish, when the content folder is a git work tree. */
    revision: string | null;
  };
  /**
   * The texts a change set changes: the published text it started from (base) and the new one, as
   * typed. A fact of guide.yaml is a change with no language ('') and the id facts.<id>, with where
   * its new value was checked and when.
   */
  changes: {
    change_set_id: number;
    guide: string;
    language: string;
    text_id: string;
    base: string;
    value: string;
    source: string | null;
    checked: string | null;
    /**
     * For a translation: 'confirmed' (the text still says what the changed reference says, kept as
     * it is) or 'reviewed' (its author, who reads the language, checked it against the reference).
     */
    mark: string | null;
  };
  approvals: {
    change_set_id: number;
    reviewer: string;
    at: string;
  };
  /** Counters shared between copies (report rate per address, sign-in attempts), by hashed key and window. */
  throttle: {
    key: string;
    window: string;
    count: number;
  };
  /** A few values the copies share: the salt addresses are hashed with. */
  settings: {
    name: string;
    value: string;
  };
}
