import type { TFunction } from 'i18next';
import { displayUrl } from '../render/html.js';

/**
 * "Send to a phone": the address of this page (or of one step, `#step-N`) at BASE_URL, and the SMS and
 * WhatsApp links that carry it with its title. Plain links: no number is typed into Dalil, nothing is
 * loaded from another host.
 */
export function shareView(baseUrl: string, path: string, title: string, t: TFunction, what: 'page' | 'step' = 'page') {
  const url = baseUrl + path;
  const text = encodeURIComponent(`${title} ${url}`);
  return {
    url,
    display: displayUrl(url),
    sms: `sms:?&body=${text}`,
    whatsapp: `https://wa.me/?text=${text}`,
    labels: {
      title: t('share.title'),
      sms: t('share.sms'),
      whatsapp: t('share.whatsapp'),
      address: t(what === 'step' ? 'share.step' : 'share.address'),
      native: t('share.native'),
      copy: t('share.copy'),
      copied: t('share.copied'),
    },
  };
}

/** The words of the "Listen" control; `{name}` is where the script writes the voice's name. */
export function listenLabels(t: TFunction) {
  const keys = ['region', 'play', 'pause', 'resume', 'stop', 'previous', 'next'] as const;
  return {
    ...(Object.fromEntries(keys.map((k) => [k, t(`listen.${k}`)])) as Record<(typeof keys)[number], string>),
    voice: t('listen.voice', { name: '{name}' }),
    persianVoice: t('listen.persianVoice', { name: '{name}' }),
  };
}
