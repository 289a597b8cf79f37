import { describe, expect, it } from 'vitest';
import { allChecks, checkItems, type ChecklistItem } from '../../src/tools/checklist.js';
import { type Answer, orderAnswers, walk } from '../../src/tools/decision.js';

/** The leaflets' yes/no table (seeds 000 and 001), and the providers added since with no listed requirement. */
const PROVIDERS: ChecklistItem[] = [
  { key: 'impots', status: 'current', checks: ['tax-number', 'reference-tax-income', 'online-access-number'] },
  { key: 'ameli', status: 'current', checks: ['social-security-number', 'health-insurance-card', 'bank-details'] },
  { key: 'laposte', status: 'current', checks: ['french-id-document', 'postal-identity-check', 'smartphone'] },
  { key: 'orange', status: 'withdrawn', checks: ['orange-subscription', 'id-card', 'smartphone'] },
  { key: 'msa', status: 'current', checks: ['msa-membership'] },
  { key: 'france-identite', status: 'new', checks: [] },
  { key: 'yris', status: 'new', checks: [] },
];
const VALUES = [
  'tax-number',
  'reference-tax-income',
  'online-access-number',
  'social-security-number',
  'health-insurance-card',
  'bank-details',
  'french-id-document',
  'postal-identity-check',
  'smartphone',
  'msa-membership',
];

describe('identity-provider checker', () => {
  it('asks the ten things the providers still offered need, not what only the withdrawn one asked', () => {
    expect(allChecks(PROVIDERS)).toEqual(VALUES);
    expect(allChecks(PROVIDERS)).not.toContain('orange-subscription');
    expect(allChecks(PROVIDERS)).not.toContain('id-card');
    // A requirement a withdrawn provider shares with one still offered is still asked.
    expect(allChecks(PROVIDERS)).toContain('smartphone');
  });

  it('over all 1024 combinations, matches exactly the providers whose every requirement is ticked', () => {
    for (let mask = 0; mask < 1 << VALUES.length; mask++) {
      const has = new Set(VALUES.filter((_, i) => mask & (1 << i)));
      const bit = (v: string) => has.has(v);
      const expected = [
        bit('tax-number') && bit('reference-tax-income') && bit('online-access-number') && 'impots',
        bit('social-security-number') && bit('health-insurance-card') && bit('bank-details') && 'ameli',
        bit('french-id-document') && bit('postal-identity-check') && bit('smartphone') && 'laposte',
        bit('msa-membership') && 'msa',
      ].filter(Boolean);
      const result = checkItems(PROVIDERS, has);
      expect(result.matches.map((m) => m.key)).toEqual(expected);
      expect(result.others.map((o) => o.key)).toEqual(['impots', 'ameli', 'laposte', 'msa'].filter((k) => !expected.includes(k)));
      // Mobile Connect et moi was withdrawn: never a match, always listed apart.
      expect(result.withdrawn.map((w) => w.key)).toEqual(['orange']);
      for (const o of result.others) expect(o.missing).toEqual(PROVIDERS.find((p) => p.key === o.key)!.checks.filter((c) => !has.has(c)));
      expect(result.unknown.map((u) => u.key)).toEqual(['france-identite', 'yris']);
    }
  });

  it('never matches a withdrawn provider, even with every line of its card ticked', () => {
    const r = checkItems(PROVIDERS, new Set(['orange-subscription', 'id-card', 'smartphone']));
    expect(r.matches).toEqual([]);
    expect(r.withdrawn).toEqual([{ key: 'orange', status: 'withdrawn', missing: [] }]);
  });
});

describe('help-desk orientation', () => {
  const QUESTIONS = [
    { key: 'knows-site', no: 'find-service' },
    { key: 'has-account', no: 'choose-provider' },
    { key: 'has-login', no: 'recover-login' },
    { key: 'can-alone', no: 'mandate-or-learn' },
  ];

  it.each<[Answer[], string]>([
    [[], 'ask knows-site'],
    [['yes'], 'ask has-account'],
    [['yes', 'yes'], 'ask has-login'],
    [['yes', 'yes', 'yes'], 'ask can-alone'],
    [['no'], 'find-service'],
    [['yes', 'no'], 'choose-provider'],
    [['yes', 'yes', 'no'], 'recover-login'],
    [['yes', 'yes', 'yes', 'no'], 'mandate-or-learn'],
    [['yes', 'yes', 'yes', 'yes'], 'go-ahead'],
  ])('%j → %s', (answers, expected) => {
    const step = walk(QUESTIONS, 'go-ahead', answers);
    expect(step.done ? step.outcome : `ask ${step.next.key}`).toBe(expected);
  });

  it.each<Answer[]>([
    ['no', 'yes'],
    ['yes', 'no', 'no'],
    ['yes', 'yes', 'yes', 'yes', 'yes'],
  ])('%j is not a path', (...answers) => {
    expect(() => walk(QUESTIONS, 'go-ahead', answers)).toThrow(RangeError);
  });

  it('over all 81 ways of giving or not each answer, accepts exactly the paths of the chart', () => {
    const keys = QUESTIONS.map((q) => q.key);
    for (let n = 0; n < 81; n++) {
      const given: Record<string, Answer> = {};
      let rest = n;
      for (const k of keys) {
        const d = rest % 3;
        rest = Math.floor(rest / 3);
        if (d) given[k] = d === 1 ? 'yes' : 'no';
      }
      // A path: the first k questions answered, every answer but the last "yes".
      const answered = keys.filter((k) => k in given);
      const isPrefix = answered.every((k, i) => k === keys[i]);
      const values = answered.map((k) => given[k]!);
      const valid = isPrefix && values.slice(0, -1).every((v) => v === 'yes');
      const result = orderAnswers(QUESTIONS, given);
      if (valid) expect(result).toEqual({ answers: values });
      else expect(result).toHaveProperty('problem');
    }
  });

  it.each([
    [
      { 'knows-site': 'yes', 'has-login': 'yes' },
      { kind: 'order', name: 'has-login' },
    ],
    [
      { 'knows-site': 'no', 'has-account': 'yes' },
      { kind: 'after-end', name: 'has-account' },
    ],
  ] as const)('%j is refused as %j', (given, problem) => {
    expect(orderAnswers(QUESTIONS, given as Record<string, Answer>)).toEqual({ problem });
  });
});
