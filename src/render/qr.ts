import QRCode from 'qrcode';
import { escapeHtml } from './html.js';

const cache = new Map<string, string>();

/**
 * A QR code as inline SVG (no request, no script), black on white with a quiet zone, labelled
 * for screen readers. Pages are finite, so codes are kept once made.
 */
export async function qrSvg(url: string, label: string): Promise<string> {
  let svg = cache.get(url);
  if (!svg) {
    svg = await QRCode.toString(url, { type: 'svg', margin: 4, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } });
    if (cache.size > 2000) cache.clear();
    cache.set(url, svg);
  }
  return svg.replace('<svg ', `<svg class="qr__code" role="img" aria-label="${escapeHtml(label)}" `);
}
