/** A piece of a word-level difference: kept, taken out or put in. */
export interface DiffPart {
  op: 'same' | 'del' | 'ins';
  text: string;
}

/**
 * The difference between two texts word by word (spaces stay with the word before them), as the
 * longest common sequence of words finds it: what a translator reads to see what changed in the
 * reference. Texts are short (a guide's text, at most a few hundred words).
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = before.match(/\S+\s*/g) ?? [];
  const b = after.match(/\S+\s*/g) ?? [];
  const same = (x: string, y: string) => x.trimEnd() === y.trimEnd();
  // lcs[i][j]: the longest common sequence of a[i…] and b[j…].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = same(a[i]!, b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const parts: DiffPart[] = [];
  const push = (op: DiffPart['op'], text: string) => {
    const last = parts.at(-1);
    if (last?.op === op) last.text += text;
    else parts.push({ op, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && same(a[i]!, b[j]!)) {
      push('same', b[j]!);
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! > lcs[i + 1]![j]!)) push('ins', b[j++]!);
    else push('del', a[i++]!);
  }
  return parts;
}
