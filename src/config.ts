import { z } from 'zod';

const ms = (fallback: number) => z.coerce.number().int().min(0).max(3_600_000).default(fallback);
const count = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** The only place that reads the environment. */
const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL such as https://dalil.example' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  MAX_CONNECTIONS: count(4096, 1_000_000),
  MAX_QUEUED_RESPONSES: count(16, 1000),
  HEADERS_TIMEOUT_MS: ms(10_000),
  // A form's body of 4 KB at most, on a slow phone link: 10 s after the headers.
  BODY_TIMEOUT_MS: ms(10_000),
  KEEP_ALIVE_TIMEOUT_MS: ms(5_000),
  SOCKET_TIMEOUT_MS: ms(20_000),
  CACHE_ENTRIES: count(2000, 1_000_000),
  CACHE_MB: count(64, 65_536),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, 'must be file:PATH (SQLite) or postgres://… (PostgreSQL)')
    .optional(),
  FEEDBACK: z.enum(['on', 'off']).default('on'),
  REPORT_RETENTION_DAYS: count(365, 36_500),
  // Many readers share one address (a shelter's or a help desk's Wi-Fi): answers and reports are counted apart.
  REPORTS_PER_MINUTE: count(20, 100_000),
  ANSWERS_PER_MINUTE: count(120, 100_000),
  DB_POOL_SIZE: count(10, 100),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  CONTENT_DIR: z.string().min(1).default('content'),
  RELEASE_DIR: z.string().min(1).default('release'),
  FAST_SHAPES: z.enum(['on', 'off']).default('on'),
  // Approvals by other accounts a change set needs before it is published (0: a one-person organisation).
  REVIEWS_REQUIRED: z.coerce.number().int().min(0).max(5).default(1),
  // Where a publish pushes the content's commit (a git remote's name), when the content folder is a git work tree.
  CONTENT_GIT_REMOTE: z
    .string()
    .regex(/^[\w./:@-]+$/, 'must be a git remote’s name or URL')
    .optional(),
});

export interface Limits {
  /** Connections open at once; more are closed as they arrive. */
  maxConnections: number;
  /** Answers one connection may have waiting behind the one being written (pipelining). */
  maxQueuedResponses: number;
  /** Time to receive a request's headers; and its body after them (the whole request: the sum). */
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** A connection on which nothing is read or written for this long is destroyed. */
  socketTimeoutMs: number;
  /** Pages kept in memory, by count and by bytes (the release directory holds the others on disk). */
  cacheEntries: number;
  cacheBytes: number;
  /** After SIGTERM, how long the listener keeps serving (with Connection: close) before it closes. */
  shutdownDrainMs: number;
}

/** Where readers' reports and editors' accounts are kept, and how. */
export interface FeedbackConfig {
  /** Off: no form, no /editor (a read-only deployment). */
  enabled: boolean;
  /** SQLite at a path (the default: data/dalil.sqlite), or PostgreSQL when Dalil runs as several copies. */
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; poolSize: number };
  /** Handled reports are deleted after this many days. */
  retentionDays: number;
  /** Reports one address may send in a minute. */
  perMinute: number;
  /** "Does your screen look like this?" answers one address may send in a minute. */
  answersPerMinute: number;
  /** Approvals by other accounts a change set needs before it is published. */
  reviewsRequired: number;
  /** The git remote a publish pushes to, if any. */
  gitRemote: string | undefined;
}

export interface Config {
  port: number;
  host: string;
  /** Absolute origin used in hreflang links, QR codes and handouts, without a trailing slash. */
  baseUrl: string;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  env: z.infer<typeof ConfigSchema>['NODE_ENV'];
  /** True when the public address is HTTPS: turns on HSTS and upgrade-insecure-requests. */
  https: boolean;
  limits: Limits;
  feedback: FeedbackConfig;
  /** Proxies in front of the server whose X-Forwarded-For is trusted (0: the socket's address). */
  trustProxy: number;
  /** Where the guides are read from, and where the build writes the release (relative to the project, or absolute). */
  paths: { content: string; release: string };
  /**
   * The server's requests and answers made in Express's shape, with what Express, its router and
   * Node add to them declared up front (http/shapes.ts): faster, and it leans on a private module of
   * the router and underscore fields of Node. Off: Node's and Express's stock objects, slower, never wrong.
   */
  fastShapes: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const keys = Object.keys(ConfigSchema.shape) as Array<keyof typeof ConfigSchema.shape>;
  const parsed = ConfigSchema.safeParse(Object.fromEntries(keys.map((k) => [k, env[k] || undefined])));
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
    feedback: {
      enabled: c.FEEDBACK === 'on',
      database: c.DATABASE_URL?.startsWith('postgres')
        ? { kind: 'postgres', url: c.DATABASE_URL, poolSize: c.DB_POOL_SIZE }
        : { kind: 'sqlite', path: c.DATABASE_URL ? c.DATABASE_URL.slice('file:'.length) : 'data/dalil.sqlite' },
      retentionDays: c.REPORT_RETENTION_DAYS,
      perMinute: c.REPORTS_PER_MINUTE,
      answersPerMinute: c.ANSWERS_PER_MINUTE,
      reviewsRequired: c.REVIEWS_REQUIRED,
      gitRemote: c.CONTENT_GIT_REMOTE,
    },
    trustProxy: c.TRUST_PROXY,
    paths: { content: c.CONTENT_DIR, release: c.RELEASE_DIR },
    fastShapes: c.FAST_SHAPES === 'on',
    limits: {
      maxConnections: c.MAX_CONNECTIONS,
      maxQueuedResponses: c.MAX_QUEUED_RESPONSES,
      headersTimeoutMs: c.HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: c.BODY_TIMEOUT_MS,
      keepAliveTimeoutMs: c.KEEP_ALIVE_TIMEOUT_MS,
      socketTimeoutMs: c.SOCKET_TIMEOUT_MS,
      cacheEntries: c.CACHE_ENTRIES,
      cacheBytes: c.CACHE_MB * 1024 * 1024,
      // A load balancer needs a few seconds to see /readyz fail; development stops at once.
      shutdownDrainMs: c.SHUTDOWN_DRAIN_MS ?? (c.NODE_ENV === 'production' ? 5_000 : 0),
    },
  };
}
