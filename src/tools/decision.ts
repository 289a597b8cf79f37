/** The help-desk orientation: yes/no questions in order; the first "no" ends in its outcome. */

export interface Question {
  key: string;
  /** The outcome a "no" leads to. */
  no: string;
}

export type Answer = 'yes' | 'no';

export type Step = { done: false; next: Question; answered: number } | { done: true; outcome: string; answered: number };

/** Where a run of answers (given in the questions' order) leads: the next question, or the outcome. */
export function walk(questions: readonly Question[], yes: string, answers: readonly Answer[]): Step {
  for (let i = 0; i < answers.length; i++) {
    if (i >= questions.length) throw new RangeError('more answers than questions');
    if (answers[i] === 'no') {
      if (i !== answers.length - 1) throw new RangeError('an answer after the first "no"');
      return { done: true, outcome: questions[i]!.no, answered: i + 1 };
    }
  }
  if (answers.length === questions.length) return { done: true, outcome: yes, answered: answers.length };
  return { done: false, next: questions[answers.length]!, answered: answers.length };
}

export type AnswersProblem = { kind: 'order'; name: string } | { kind: 'after-end'; name: string };

/**
 * Reads answers given by question key (keys of the questions only, each already checked to be
 * "yes" or "no" once): they must be the first questions, in order, with nothing after a "no".
 */
export function orderAnswers(questions: readonly Question[], given: Readonly<Record<string, Answer>>): { answers: Answer[] } | { problem: AnswersProblem } {
  const keys = questions.map((q) => q.key);
  const answers: Answer[] = [];
  for (const key of keys) {
    const a = given[key];
    if (a === undefined) break;
    if (answers.at(-1) === 'no') return { problem: { kind: 'after-end', name: key } };
    answers.push(a);
  }
  const skipped = Object.keys(given).find((name) => keys.indexOf(name) >= answers.length);
  if (skipped) return { problem: { kind: 'order', name: skipped } };
  return { answers };
}

/** Every run of answers the chart can be given, in the questions' order: yes… up to each question, then no; and all yes. */
export function answerRuns(questions: readonly Question[]): Answer[][] {
  const yes = (n: number): Answer[] => Array.from({ length: n }, () => 'yes');
  return [...questions.map((_, i) => yes(i)), yes(questions.length), ...questions.map((_, i): Answer[] => [...yes(i), 'no'])];
}
