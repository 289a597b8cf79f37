import type { Guide, Tool } from '../content/catalogue.js';
import type { I18n } from '../i18n.js';
import type { Language, Registry } from '../languages.js';
import { urls } from '../urls.js';
import { helpView } from './help.js';
import { guideTexts } from './texts.js';

/** What a report can say is wrong. */
export const REPORT_KINDS = ['screen-different', 'step-wrong', 'not-understood', 'other'] as const;

/** The keys of the screens a step shows (its own and its branches'), the screens a reader can answer about. */
export function screensOfStep(guide: Guide, n: number): string[] {
  const steps = guide.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'steps' ? b.steps : [])));
  const step = steps[n - 1];
  return step ? [...step.screens, ...step.branches.flatMap((b) => b.screens)] : [];
}

/** The words of the feedback forms, in one language. */
export function feedbackLabels(i18n: I18n, language: Language) {
  const t = i18n.t(language.id);
  return {
    question: t('feedback.screenQuestion'),
    yes: t('feedback.yes'),
    no: t('feedback.no'),
    thanks: t('feedback.thanksInline'),
    honeypot: t('feedback.report.honeypot'),
    reportStep: t('feedback.reportStep'),
    reportTool: t('feedback.reportTool'),
  };
}

/** What a report form starts with: after a "No" to a screen (that screen and answer), a kind, what was typed, or a refusal. */
export interface ReportStart {
  after?: { screen: string; answer: number };
  kind?: string;
  comment?: string;
  /** Refused for now (too many from this address): the form comes back as it was, saying when to send again. */
  refused?: boolean;
}

/**
 * The report form: about one step of a guide, or about a tool's answer; after a "No" to a screen,
 * it asks what is different, and every form says what the reader can do now (the official help,
 * a place nearby where someone helps).
 */
export function reportForm(
  deps: { i18n: I18n; registry: Registry },
  language: Language,
  about: { guide: Guide; step: number } | { tool: Tool },
  start: ReportStart = {},
) {
  const t = deps.i18n.t(language.id);
  const guide = 'tool' in about ? about.tool.guide : about.guide;
  const texts = guideTexts(guide, language, deps.registry);
  let subject: { label: string; html: string; back: string; backLabel: string; fields: Array<{ name: string; value: string }> };
  if ('tool' in about) {
    subject = {
      label: t('feedback.report.tool'),
      html: texts.html(`${about.tool.block.id}.tool.title`),
      back: urls.tool(language, about.tool.id),
      backLabel: t('feedback.thanks.backTool'),
      fields: [{ name: 'tool', value: about.tool.id }],
    };
  } else {
    const steps = about.guide.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'steps' ? b.steps : [])));
    subject = {
      label: t('feedback.report.step', { n: about.step }),
      html: texts.html(steps[about.step - 1]!.id),
      back: urls.guide(language, about.guide.slug) + urls.step(about.step),
      backLabel: t('feedback.thanks.backStep'),
      fields: [
        { name: 'guide', value: about.guide.slug },
        { name: 'step', value: String(about.step) },
        ...(start.after
          ? [
              { name: 'screen', value: start.after.screen },
              { name: 'answer', value: String(start.after.answer) },
            ]
          : []),
      ],
    };
  }
  const path = (l: Language) => ('tool' in about ? urls.toolReport(l, about.tool.id) : urls.report(l, about.guide.slug, about.step));
  return {
    title: start.after ? t('feedback.report.different') : t('feedback.report.title'),
    refused: start.refused ? t('feedback.report.tooMany') : '',
    comment: start.comment ?? '',
    help: helpView(guide, language, t),
    guideTitleHtml: texts.html('title'),
    subject,
    action: urls.feedback(language),
    kinds: REPORT_KINDS.map((k) => ({ value: k, label: t(`feedback.report.kinds.${k}`), checked: k === start.kind })),
    versions: guide.languages.map((l) => ({ language: l, path: path(l) })),
  };
}
