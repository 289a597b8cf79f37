import { z } from 'zod';

/** The only place that reads the environment. */
const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL such as https://dalil.example' })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export interface Config {
  port: number;
  host: string;
  /** Absolute origin used in hreflang links, QR codes and handouts, without a trailing slash. */
  baseUrl: string;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  env: z.infer<typeof ConfigSchema>['NODE_ENV'];
  /** True when the public address is HTTPS: turns on HSTS and upgrade-insecure-requests. */
  https: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse({
    PORT: env.PORT || undefined,
    HOST: env.HOST || undefined,
    BASE_URL: env.BASE_URL || undefined,
    LOG_LEVEL: env.LOG_LEVEL || undefined,
    NODE_ENV: env.NODE_ENV || undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const baseUrl = (c.BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  return {
    port: c.PORT,
    host: c.HOST,
    baseUrl,
    logLevel: c.LOG_LEVEL,
    env: c.NODE_ENV,
    https: baseUrl.startsWith('https:'),
  };
}
