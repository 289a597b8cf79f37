import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../config.js';

/**
 * Security headers on every response: a strict CSP (own origin only, no inline script or style,
 * no framing), no referrer, no powerful browser features. HSTS only when served over HTTPS.
 * Not sent, since no supported browser reads them: X-XSS-Protection (the filters it steered are
 * gone from every browser), X-Download-Options (Internet Explorer 8), X-Permitted-Cross-Domain-
 * Policies (Flash and Acrobat cross-domain loading; the site serves neither). Kept:
 * X-DNS-Prefetch-Control: off, which Chromium (most readers' browser) still honours: without it the
 * browser resolves the hosts of the page's links (official sites, wa.me) before anyone clicks.
 */
export function securityHeaders(config: Config): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'"],
          'connect-src': ["'self'"],
          'manifest-src': ["'self'"],
          'worker-src': ["'self'"],
          'object-src': ["'none'"],
          'base-uri': ["'none'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          ...(config.https ? { 'upgrade-insecure-requests': [] } : {}),
        },
      },
      strictTransportSecurity: config.https ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginEmbedderPolicy: false,
      frameguard: { action: 'deny' },
      xXssProtection: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
    }),
    (_req, res, next) => {
      res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()');
      next();
    },
  ];
}
