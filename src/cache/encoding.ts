/**
 * Content-coding negotiation (RFC 9110 §12.5.3): the best of the codings a page has that the
 * client accepts, by q-value, the smaller coding winning a tie. Codings are matched without
 * regard to case; "*" stands for any coding not named; identity, when not named, is acceptable
 * below the codings the client names (refused by "*;q=0"); a header that accepts nothing we have
 * gets the identity, as the RFC asks.
 */
export type Encoding = 'br' | 'gzip' | 'identity';

interface Accepted {
  br: number;
  gzip: number;
  identity: number;
}

/** The q-value the header gives each coding we can send. */
export function parseAcceptEncoding(header: string): Accepted {
  const named = new Map<string, number>();
  for (const part of header.slice(0, 1024).split(',', 32)) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p);
      if (m) q = Math.min(1, Number(m[1]));
      else if (/^\s*q\s*=/i.test(p)) q = 0; // a malformed q-value accepts nothing
    }
    const key = coding === 'x-gzip' ? 'gzip' : coding;
    // A coding named twice keeps its first q-value.
    if (!named.has(key)) named.set(key, q);
  }
  const any = named.get('*');
  return {
    br: named.get('br') ?? any ?? 0,
    gzip: named.get('gzip') ?? any ?? 0,
    // Not named: acceptable, ranked below every coding the client names (as Express's negotiator does).
    identity: named.get('identity') ?? (named.size ? Math.min(...named.values()) : 1),
  };
}

const memo = new Map<string, Accepted>();
const MEMO_SIZE = 256;
// Most clients send one header again and again: the last one is checked before the memo.
let lastHeader: string | undefined;
let lastAccepted: Accepted | undefined;

/** The coding to send, given the header (absent: identity) and whether a brotli body exists yet. */
export function chooseEncoding(header: string | undefined, hasBrotli: boolean): Encoding {
  if (header === undefined) return 'identity';
  let accepted = header === lastHeader ? lastAccepted : memo.get(header);
  if (!accepted) {
    accepted = parseAcceptEncoding(header);
    // Headers come in few shapes; a client sending endless new ones only resets the memo.
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(header, accepted);
  }
  lastHeader = header;
  lastAccepted = accepted;
  // The best q-value wins, the first of br, gzip, identity on a tie (the smallest body). Each
  // read by name: a read by a varying key (`accepted[coding]` in a loop) is one V8 may stop
  // specialising, on every answer (see variant in entry.ts).
  const br = hasBrotli ? accepted.br : 0;
  const gzip = accepted.gzip;
  if (br > 0 && br >= gzip && br >= accepted.identity) return 'br';
  if (gzip > 0 && gzip >= accepted.identity) return 'gzip';
  return 'identity';
}
