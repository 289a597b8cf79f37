// The two entry points of the xliff package (locize) that src/editing/xliff.ts uses; the package has
// no types of its own. Only the shapes Dalil writes are declared for js2xliff; what xliff2js reads
// from an uploaded file is typed loosely (unknown where Dalil refuses it), to be checked at run time.

declare module 'xliff/js2xliff' {
  /** A standalone inline code, written as <ph/>: the library turns each field into an attribute. */
  export interface Standalone {
    Standalone: { id: string; equiv: string; disp: string; canDelete: 'yes' | 'no' };
  }
  export type Content = string | Array<string | Standalone>;
  export interface Unit {
    source: Content;
    target?: Content;
    note?: string;
  }
  export interface Document {
    sourceLanguage: string;
    targetLanguage: string;
    /** Units by id, in <file> elements by id. */
    resources: Record<string, Record<string, Unit>>;
  }
  /** XLIFF 2.0 text; a Promise when no callback is given. */
  export default function js2xliff(document: Document, options: { indent?: string }): Promise<string>;
}

declare module 'xliff/xliff2js' {
  /**
   * A source or target as read: a string, one inline element (an object keyed by its type, e.g.
   * { Standalone: { id, … } } for <ph/>, { Span: … } for <pc>), or an array of those.
   */
  export type Content = string | Content[] | { [type: string]: unknown };
  export interface Unit {
    source?: Content;
    target?: Content;
    note?: unknown;
    /** Present when the element was a <group>, not a <unit>. */
    groupUnits?: unknown;
  }
  export interface Document {
    /** Only for XLIFF 2.1 and 2.2 ("2.0" is implied when missing). */
    xliffVersion?: string;
    sourceLanguage?: string;
    targetLanguage?: string;
    /**
     * Units by id, in files by id; missing when the version is not 2.x. A unit without children is
     * undefined; elements other than units and groups are kept under _additionalElements.
     */
    resources?: Record<string, Record<string, Unit | unknown[] | undefined>>;
  }
  /** Rejects when the text is not well-formed XML (or, with a TypeError, not the shape it expects). */
  export default function xliff2js(xml: string): Promise<Document>;
}
