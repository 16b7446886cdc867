/**
 * Configuration from the environment, validated with zod once at start-up. Every value has a default that runs
 * locally; a bad value stops the process with a message naming the variable.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ParameterOverrideError, withOverrides, type Parameters } from '../rules/parameters';

/** The port of the embedded PostgreSQL that runs when DATABASE_URL is not set (lib/database.ts). */
export const DEFAULT_EMBEDDED_POSTGRES_PORT = 54329;
/** The embedded PostgreSQL's database: what the Prisma CLI talks to when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = `postgresql://postgres@127.0.0.1:${DEFAULT_EMBEDDED_POSTGRES_PORT}/hotline`;

const port = z.coerce.number().int().min(1).max(65535);

/** An optional http(s) URL; an empty value (`VAR=` in a compose file or .env) counts as unset. */
const optionalHttpUrl = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
);
/** An optional credential; an empty value counts as unset. */
const optionalSecret = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

/** Signs the bearer tokens of local runs and tests (npm run token); refused when NODE_ENV=production. */
export const LOCAL_DEVELOPMENT_JWT_SECRET = 'local-development-only-hotline-jwt-secret';

/**
 * Keys the reporter key (lib/reporter-key.ts) of local runs and tests; refused when NODE_ENV=production. A deployment
 * keeps its REPORTER_KEY_SECRET for good: a new one no longer matches the earlier tickets' keys (第二十二条(二)).
 */
export const LOCAL_DEVELOPMENT_REPORTER_KEY_SECRET = 'local-development-only-hotline-reporter-key-secret';

/** The shortest webhook signing secret accepted (HMAC-SHA256 wants real entropy). */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/**
 * Overrides of the regulation's parameters (rules/parameters.ts) as JSON, e.g. `{"reminderFraction":0.8}`; empty or
 * unset: the regulation's own values. Checked with `withOverrides`, so a bad value names the parameter.
 */
const ruleParameterOverrides = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .optional()
    .transform((raw, ctx): Record<string, unknown> => {
      if (raw === undefined) return {};
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of parameter overrides, e.g. {"reminderFraction":0.8}' });
        return z.NEVER;
      }
      try {
        withOverrides(value);
      } catch (err) {
        if (!(err instanceof ParameterOverrideError)) throw err;
        for (const problem of err.problems) ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return value as Record<string, unknown>;
    }),
);

export const configSchema = z.object({
  /**
   * PostgreSQL holding the read model, audit trail and outbox. Unset (or empty): setup, `npm start` and `npm test` run
   * an embedded PostgreSQL under DATA_DIR (lib/database.ts).
   */
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  /** Port of the embedded PostgreSQL (DATABASE_URL unset). */
  EMBEDDED_POSTGRES_PORT: port.default(DEFAULT_EMBEDDED_POSTGRES_PORT),
  /** Temporal frontend, host:port. */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('hotline-tickets'),
  /** HTTP API port. */
  PORT: port.default(3000),
  /** Temporal Web UI port of the embedded dev server (npm start). */
  TEMPORAL_UI_PORT: port.default(8233),
  /** Folder for the embedded dev server's SQLite file (npm start); git-ignored. */
  DATA_DIR: z.string().min(1).default('.data'),
  /**
   * Log level of the embedded dev server (npm start). `error` by default: its warnings are its own internal workers
   * reconnecting while it stops, noise to whoever pressed Ctrl-C; `warn` shows them again.
   */
  TEMPORAL_DEV_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('error'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Overrides of the regulation's parameters, JSON (see ruleParameters). */
  RULE_PARAMETERS: ruleParameterOverrides,
  /** Where notifications are POSTed (HMAC-signed JSON, see activities/notifications.ts); unset: kept in the outbox. */
  NOTIFY_WEBHOOK_URL: optionalHttpUrl,
  /** Key of the webhook's HMAC-SHA256 signature; required (at least 16 characters) with NOTIFY_WEBHOOK_URL. */
  NOTIFY_WEBHOOK_SECRET: optionalSecret,
  /** Base URL of the city's hotline platform, which receives approved replies; unset: replies are kept locally. */
  PLATFORM_URL: optionalHttpUrl,
  /** Bearer token for the hotline platform; required with PLATFORM_URL. */
  PLATFORM_TOKEN: optionalSecret,
  /** `production` refuses the local development signing secret. */
  NODE_ENV: z.string().default('development'),
  /** HS256 key of the API's bearer tokens (≥ 32 characters); or AUTH_JWT_PUBLIC_KEY for RS256/ES256 tokens. */
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(LOCAL_DEVELOPMENT_JWT_SECRET),
  /**
   * HMAC key of the reporter key (≥ 32 characters): finds the same reporter's tickets by a keyed hash of the phone
   * number, never the number (第二十二条(二)). Keep it stable: a new key does not match earlier tickets.
   */
  REPORTER_KEY_SECRET: z.string().min(32, 'must be at least 32 characters').default(LOCAL_DEVELOPMENT_REPORTER_KEY_SECRET),
  /** PEM public key of the token issuer; takes precedence over AUTH_JWT_SECRET. */
  AUTH_JWT_PUBLIC_KEY: optionalSecret,
  /**
   * The token issuer's JWKS (https URL): production verifies RS256/ES256 tokens against its published keys, fetched
   * and refreshed as they rotate (no restart). Takes precedence over AUTH_JWT_PUBLIC_KEY and AUTH_JWT_SECRET.
   */
  AUTH_JWKS_URL: optionalHttpUrl,
  /** Temporal Cloud (or any cluster) API key; implies TLS. */
  TEMPORAL_API_KEY: optionalSecret,
  /** mTLS to Temporal: the client certificate and key, PEM text or a path to a PEM file (both or neither). */
  TEMPORAL_TLS_CERT: optionalSecret,
  TEMPORAL_TLS_KEY: optionalSecret,
  /** The CA of the Temporal server's certificate, PEM text or a path (default: the system's CAs). */
  TEMPORAL_TLS_CA: optionalSecret,
  /** The server name the Temporal server's certificate carries, when it is not the host of TEMPORAL_ADDRESS. */
  TEMPORAL_TLS_SERVER_NAME: optionalSecret,
  AUTH_JWT_ISSUER: z.string().min(1).default('tj-transport-hotline'),
  AUTH_JWT_AUDIENCE: z.string().min(1).default('hotline-api'),
  /** When set, `GET /metrics` (the API's Prometheus metrics) needs it as a bearer token. */
  METRICS_TOKEN: optionalSecret,
  /**
   * Where the worker serves the Temporal SDK's own metrics for Prometheus (host:port, `/metrics`); empty: not served.
   */
  WORKER_METRICS_ADDRESS: z.preprocess((v) => (v === undefined ? '127.0.0.1:9464' : v), z.union([z.literal(''), z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port, or empty for none')])),
  /**
   * How many workflows the worker keeps in its cache (sticky execution). A cached open ticket costs memory (see the
   * README's benchmark); the cache is what bounds the worker's RSS, whatever the number of open tickets. Size it to the
   * memory the worker is given; an evicted ticket is replayed from its history when it next has work.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(500),
  /** Requests per minute a single token (or address) may make. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Decisions and notes one user may make on one ticket in an hour (a flood cannot bloat one ticket's record). */
  TICKET_WRITES_PER_USER_PER_HOUR: z.coerce.number().int().min(1).default(120),
  /** A ticket's workflow continues as new past this many history events, so its history stays bounded. */
  TICKET_HISTORY_EVENTS_LIMIT: z.coerce.number().int().min(100).max(50_000).default(10_000),
}).superRefine(
  (c, ctx) => {
    if (c.NOTIFY_WEBHOOK_URL !== undefined) {
      if (c.NOTIFY_WEBHOOK_SECRET === undefined) {
        ctx.addIssue({ code: 'custom', path: ['NOTIFY_WEBHOOK_SECRET'], message: 'required when NOTIFY_WEBHOOK_URL is set' });
      } else if (c.NOTIFY_WEBHOOK_SECRET.length < MIN_WEBHOOK_SECRET_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          path: ['NOTIFY_WEBHOOK_SECRET'],
          message: `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters when NOTIFY_WEBHOOK_URL is set`,
        });
      }
    }
    if (c.NODE_ENV === 'production' && !c.AUTH_JWT_PUBLIC_KEY && !c.AUTH_JWKS_URL && c.AUTH_JWT_SECRET === LOCAL_DEVELOPMENT_JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_JWT_SECRET'], message: 'must be set in production (the default is for local development only)' });
    }
    if (c.NODE_ENV === 'production' && c.REPORTER_KEY_SECRET === LOCAL_DEVELOPMENT_REPORTER_KEY_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['REPORTER_KEY_SECRET'], message: 'must be set in production (the default is for local development only)' });
    }
    if ((c.TEMPORAL_TLS_CERT === undefined) !== (c.TEMPORAL_TLS_KEY === undefined)) {
      ctx.addIssue({ code: 'custom', path: [c.TEMPORAL_TLS_CERT === undefined ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY'], message: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (mTLS)' });
    }
    if (c.NODE_ENV === 'production' && c.AUTH_JWKS_URL?.startsWith('http:')) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'must be https in production' });
    }
    if (c.PLATFORM_URL !== undefined && c.PLATFORM_TOKEN === undefined) {
      ctx.addIssue({ code: 'custom', path: ['PLATFORM_TOKEN'], message: 'required when PLATFORM_URL is set' });
    }
  },
  // Also when another variable is bad, so that one run names every bad variable.
  { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
);

export type Config = z.infer<typeof configSchema>;

/** Thrown when the environment does not describe a runnable configuration. */
export class ConfigError extends Error {}

/** Parses `env` (default: process.env). Throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The database name in a PostgreSQL URL. */
/** DATABASE_URL, required by a process started alone (`npm run api`, `npm run worker`: deployments). */
export function databaseUrlOf(config: Pick<Config, 'DATABASE_URL'>): string {
  if (!config.DATABASE_URL) throw new ConfigError('DATABASE_URL: required when the API or the worker runs alone (npm start runs an embedded PostgreSQL instead)');
  return config.DATABASE_URL;
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** Where and how notifications are delivered (activities/notifications.ts). */
export interface WebhookConfig {
  url: string;
  /** HMAC-SHA256 key of `X-Hotline-Signature`. Never logged. */
  secret: string;
  /** Per-request limit, response included; default 10 s. */
  timeoutMs?: number;
}

/** The city's hotline platform (activities/platform.ts). */
export interface PlatformConfig {
  /** Base URL without a trailing slash; replies go to `${baseUrl}/tickets/:ticketNo/reply`. */
  baseUrl: string;
  /** Bearer token. Never logged. */
  token: string;
  /** Per-request limit, response included; default 10 s. */
  timeoutMs?: number;
}

/** The webhook of NOTIFY_WEBHOOK_URL / NOTIFY_WEBHOOK_SECRET, or null when none is configured. */
export function webhookConfig(config: Pick<Config, 'NOTIFY_WEBHOOK_URL' | 'NOTIFY_WEBHOOK_SECRET'>): WebhookConfig | null {
  if (!config.NOTIFY_WEBHOOK_URL) return null;
  if (!config.NOTIFY_WEBHOOK_SECRET) throw new ConfigError('NOTIFY_WEBHOOK_SECRET: required when NOTIFY_WEBHOOK_URL is set');
  return { url: config.NOTIFY_WEBHOOK_URL, secret: config.NOTIFY_WEBHOOK_SECRET };
}

/** The platform of PLATFORM_URL / PLATFORM_TOKEN, or null when none is configured (local runs). */
export function platformConfig(config: Pick<Config, 'PLATFORM_URL' | 'PLATFORM_TOKEN'>): PlatformConfig | null {
  if (!config.PLATFORM_URL) return null;
  if (!config.PLATFORM_TOKEN) throw new ConfigError('PLATFORM_TOKEN: required when PLATFORM_URL is set');
  return { baseUrl: config.PLATFORM_URL.replace(/\/+$/, ''), token: config.PLATFORM_TOKEN };
}

/** The regulation's parameters in force: the defaults with RULE_PARAMETERS applied (for the worker and the API). */
export function ruleParameters(config: Pick<Config, 'RULE_PARAMETERS'>): Parameters {
  try {
    return withOverrides(config.RULE_PARAMETERS ?? {});
  } catch (err) {
    if (err instanceof ParameterOverrideError) throw new ConfigError(`RULE_PARAMETERS: ${err.problems.join('; ')}`);
    throw err;
  }
}

/** How the API verifies bearer tokens. */
/**
 * The dashboard's development sign-in (api/dashboard.ts): the key `npm run token` signs with, for local runs only —
 * never in production, and not when tokens are verified with a public key (there is no key here to sign with).
 */
export function devSignInConfig(config: Pick<Config, 'NODE_ENV' | 'AUTH_JWT_SECRET' | 'AUTH_JWT_PUBLIC_KEY' | 'AUTH_JWKS_URL' | 'AUTH_JWT_ISSUER' | 'AUTH_JWT_AUDIENCE'>) {
  if (config.NODE_ENV === 'production' || config.AUTH_JWT_PUBLIC_KEY || config.AUTH_JWKS_URL) return undefined;
  return { secret: config.AUTH_JWT_SECRET, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE };
}

/** PEM text as given, or the contents of the file it names. */
function pem(value: string): Buffer {
  return Buffer.from(value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8'));
}

/**
 * How the worker and the clients reach Temporal: plain on a local or private cluster; TLS with an API key
 * (Temporal Cloud: TEMPORAL_API_KEY), or mTLS with a client certificate (TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY),
 * optionally against a private CA (TEMPORAL_TLS_CA) and server name.
 */
export function temporalConnectionOptions(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_TLS_CA' | 'TEMPORAL_TLS_SERVER_NAME'>) {
  const mtls = config.TEMPORAL_TLS_CERT && config.TEMPORAL_TLS_KEY ? { clientCertPair: { crt: pem(config.TEMPORAL_TLS_CERT), key: pem(config.TEMPORAL_TLS_KEY) } } : {};
  const tlsWanted = Boolean(config.TEMPORAL_API_KEY || config.TEMPORAL_TLS_CERT || config.TEMPORAL_TLS_CA);
  const tls = tlsWanted
    ? {
        ...mtls,
        ...(config.TEMPORAL_TLS_CA ? { serverRootCACertificate: pem(config.TEMPORAL_TLS_CA) } : {}),
        ...(config.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME } : {}),
      }
    : undefined;
  return { address: config.TEMPORAL_ADDRESS, ...(tls ? { tls } : {}), ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}) };
}

export function authConfig(config: Pick<Config, 'AUTH_JWT_SECRET' | 'AUTH_JWT_PUBLIC_KEY' | 'AUTH_JWKS_URL' | 'AUTH_JWT_ISSUER' | 'AUTH_JWT_AUDIENCE'>) {
  return {
    ...(config.AUTH_JWKS_URL ? { jwksUrl: config.AUTH_JWKS_URL } : config.AUTH_JWT_PUBLIC_KEY ? { publicKey: config.AUTH_JWT_PUBLIC_KEY } : { secret: config.AUTH_JWT_SECRET }),
    issuer: config.AUTH_JWT_ISSUER,
    audience: config.AUTH_JWT_AUDIENCE,
  };
}
