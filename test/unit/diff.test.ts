import { describe, expect, it } from 'vitest';
import { wordDiff } from '../../src/view-models/diff.js';

describe('wordDiff', () => {
  it('finds the words taken out and put in, and keeps the rest', () => {
    expect(wordDiff('Cliquez sur le bouton bleu', 'Cliquez sur le bouton {continue} vert')).toEqual([
      { op: 'same', text: 'Cliquez sur le bouton ' },
      { op: 'del', text: 'bleu' },
      { op: 'ins', text: '{continue} vert' },
    ]);
  });
  it('puts both texts back together: what was, and what is', () => {
    const before = 'Ouvrez le site, choisissez **Se connecter** puis FranceConnect.';
    const after = 'Ouvrez le site officiel, puis choisissez **Se connecter avec** FranceConnect.';
    const parts = wordDiff(before, after);
    /** One side of the difference: every part but those of the other side. */
    const side = (other: 'ins' | 'del') =>
      parts
        .filter((p) => p.op !== other)
        .map((p) => p.text)
        .join('');
    expect(side('ins')).toBe(before);
    expect(side('del')).toBe(after);
    expect(parts.some((p) => p.op === 'same')).toBe(true);
  });
  it('an unchanged text is one kept part; an empty one all put in', () => {
    expect(wordDiff('même texte', 'même texte')).toEqual([{ op: 'same', text: 'même texte' }]);
    expect(wordDiff('', 'nouveau')).toEqual([{ op: 'ins', text: 'nouveau' }]);
  });
});
