/**
 * The HTTP API: router → handler (validates once with zod) → service; domain errors become problem+json in one place.
 *
 * Every /api/v1 route needs a bearer token (api/auth.ts); each decision needs its role, and a unit's staff see only
 * their unit's tickets. POSTs honour `Idempotency-Key`. Requests carry an id (`X-Request-Id`, taken from the caller
 * or made here) into every log line; logs never hold bodies, tokens or reporters' numbers.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { pinoHttp } from 'pino-http';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { DEFAULT_PARAMETERS, type Parameters } from '../rules/parameters';
import { SERVICE_DIVISION_UNIT } from '../rules/lifecycle';
import { adminRole } from './admin';
import { jsonBody, requireJsonBody, storableText, storableUrl } from './body';
import { authenticate, createVerifier, principalOf, requireRole, type AuthConfig } from './auth';
import { DECISIONS, NOTE_ROLES, noteBody } from './decisions';
import { DomainError, problemHandler, ticketNoOfPath } from './errors';
import { checkHealth } from './health';
import { ApiMetrics } from './metrics';
import { outboxRouter } from './outbox';
import { dashboardRouter, type DevSignIn } from './dashboard';
import { idempotency } from './idempotency';
import { DOCS_HTML, METHODS, openApiDocument, withUnitIds } from './openapi';
import { policyRouter } from './policy';
import { relatedRouter } from './related';
import { revisitsRouter } from './revisits';
import { supervisionRouter } from './supervision';
import { statisticsRouter } from './statistics';
import { appealsRouter } from './appeals';
import { knowledgeRouter } from './knowledge';
import { dispatchSchema, ticketNo } from './schemas';
import { listQuery, TicketQueries } from './ticket-queries';
import { TicketService } from './ticket-service';

export interface AppDeps {
  db: Db;
  client: Client;
  namespace: string;
  taskQueue: string;
  logger: Logger;
  /** How bearer tokens are verified (lib/config.ts authConfig). */
  auth: AuthConfig;
  /** The regulation's parameters with the deployment's overrides (RULE_PARAMETERS); default: the regulation's own. */
  params?: Parameters;
  /** Requests per minute per token (or address). */
  rateLimitPerMinute?: number;
  /** Decisions and notes per user and ticket in an hour. */
  ticketWritesPerUserPerHour?: number;
  /** History events after which a ticket's workflow continues as new. */
  historyEventsLimit?: number;
  /** The clock dispatch times are checked against (default: the system clock). */
  now?: () => number;
  /** REPORTER_KEY_SECRET: the key of the reporter hash that relates tickets (第二十二条(二)). */
  reporterKeySecret?: string;
  /** Largest accepted JSON body. */
  bodyLimit?: string;
  /** METRICS_TOKEN: when set, `GET /metrics` needs it as a bearer token. */
  metricsToken?: string;
  /** The dashboard's development sign-in (local runs only: lib/config.ts devSignInConfig); unset: off. */
  devSignIn?: DevSignIn;
}

const params = z.object({ ticketNo });

/**
 * A path the document lists, asked with a method it does not list: 405 with the methods it does (RFC 9110 15.5.6);
 * an OPTIONS request gets them as a 204. Unknown paths fall through to the 404.
 */
function methodNotAllowed(paths: Record<string, Record<string, unknown>>) {
  const routes = Object.entries(paths).map(([template, item]) => {
    const methods = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    const pattern = new RegExp(`^${template.split(/\{\w+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}/?$`);
    methods.push('OPTIONS');
    return { pattern, methods, allow: methods.join(', ') };
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const route = routes.find((r) => r.pattern.test(req.path));
    if (!route) return next();
    if (req.method === 'OPTIONS') return res.set('Allow', route.allow).status(204).end();
    if (route.methods.includes(req.method)) return next();
    res.set('Allow', route.allow);
    next(new DomainError(405, 'Method Not Allowed', `${req.method} is not a method of ${req.path}; allowed: ${route.allow}`));
  };
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  const tickets = new TicketService(deps);
  const queries = new TicketQueries(deps.db);
  const doc = openApiDocument();
  const metrics = new ApiMetrics(deps.db);
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(metrics.middleware());
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Every line about a ticket carries its number.
      customProps: (req) => {
        const ticketNo = ticketNoOfPath(((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').split('?')[0]!);
        return ticketNo ? { ticketNo } : {};
      },
      // Method, path and status only: bodies carry reporters' data, headers carry tokens.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    }),
  );
  // Who is calling comes first: a request without a valid token is a 401 whatever its body (README), and no body of
  // an unauthenticated caller is parsed or validated.
  app.use('/api/v1', authenticate(createVerifier(deps.auth)));
  app.use(storableUrl, requireJsonBody, jsonBody(deps.bodyLimit ?? '256kb'), storableText);

  app.get('/health', async (_req: Request, res: Response) => {
    const health = await checkHealth(deps.db, deps.client, deps.namespace);
    res.status(health.ok ? 200 : 503).json({ status: health.ok ? 'ok' : 'unavailable', ...health.checks });
  });
  app.get('/metrics', metrics.handler(deps.metricsToken));
  app.get('/api/openapi.json', async (_req, res) => {
    // The unit ids come from the unit table; without a database the document still answers, without them.
    const units = await Promise.resolve()
      .then(() => deps.db.unit.findMany({ select: { id: true }, orderBy: { id: 'asc' } }))
      .catch(() => null);
    res.json(units && units.length > 0 ? withUnitIds(doc, units.map((u) => u.id)) : doc);
  });
  app.get('/api/docs', (_req, res) => {
    res.type('html').send(DOCS_HTML);
  });
  app.get('/api/docs/init.js', (_req, res) => {
    res.type('js').send("window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui' });");
  });
  app.use('/api/docs/assets', express.static(path.dirname(require.resolve('swagger-ui-dist/package.json'))));

  app.use(dashboardRouter({ db: deps.db, ...(deps.devSignIn ? { devSignIn: deps.devSignIn } : {}) }));

  const v1 = express.Router();
  v1.use(metrics.mounted());
  v1.use(
    rateLimit({
      windowMs: 60_000,
      limit: deps.rateLimitPerMinute ?? 600,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req) => (req.principal ? `user:${req.principal.userId}` : `ip:${ipKeyGenerator(req.ip ?? '')}`),
      handler: (_req, _res, next) => next(new DomainError(429, 'Too Many Requests', 'too many requests for this token; retry later')),
    }),
  );
  v1.use(idempotency(deps.db));

  /** Who the token says the caller is, with the unit's name (the dashboard's header). */
  v1.get('/me', async (req: Request, res: Response) => {
    const p = principalOf(req);
    const unit = await deps.db.unit.findUnique({ where: { id: p.unitId }, select: { name: true, parentId: true } });
    res.json({ userId: p.userId, name: p.name ?? null, unitId: p.unitId, unitName: unit?.name ?? null, parentUnitId: unit?.parentId ?? null, roles: p.roles, seesAllUnits: p.unitId === SERVICE_DIVISION_UNIT });
  });

  v1.post('/tickets', requireRole('dispatcher'), async (req: Request, res: Response) => {
    const body = dispatchSchema.parse(req.body);
    const result = await tickets.dispatch(body);
    res.status(result.created ? 201 : 200).json({ duplicate: !result.created, ticket: result.ticket });
  });

  v1.get('/tickets', async (req: Request, res: Response) => {
    res.json(await queries.list(principalOf(req), listQuery.parse(req.query)));
  });

  v1.get('/tickets/:ticketNo', async (req: Request, res: Response) => {
    res.json(await tickets.get(principalOf(req), params.parse(req.params).ticketNo));
  });

  v1.get('/tickets/:ticketNo/history', async (req: Request, res: Response) => {
    const no = params.parse(req.params).ticketNo;
    res.json({ ticketNo: no, events: await tickets.history(principalOf(req), no) });
  });

  v1.post('/tickets/:ticketNo/notes', requireRole(...NOTE_ROLES), async (req: Request, res: Response) => {
    const no = params.parse(req.params).ticketNo;
    await tickets.note(principalOf(req), no, noteBody.parse(req.body).text);
    res.status(202).json({ ticketNo: no, recorded: true });
  });

  for (const d of DECISIONS) {
    v1.post(`/tickets/:ticketNo/${d.path}`, requireRole(...d.roles), async (req: Request, res: Response) => {
      try {
        const no = params.parse(req.params).ticketNo;
        const p = principalOf(req);
        const body = d.body.parse(req.body ?? {});
        const references = 'references' in d && d.references ? (d.references as (b: unknown) => { units?: string[]; departments?: string[] })(body) : {};
        const target = 'target' in d ? d.target : undefined;
        const idempotencyKey = req.header('idempotency-key');
        const answer = await tickets.decide(p, no, d.update as never, (d.command as (b: unknown, p: unknown) => unknown)(body, p), { references, ...(target ? { target } : {}), ...(idempotencyKey ? { idempotencyKey } : {}) });
        metrics.decision(d.path);
        res.json(answer);
      } catch (err) {
        metrics.decision(d.path, err);
        throw err;
      }
    });
  }

  v1.use(revisitsRouter({ db: deps.db, tickets, client: deps.client }));
  v1.use(relatedRouter({ db: deps.db, tickets }));
  v1.use(supervisionRouter({ db: deps.db, tickets }));
  const month = { db: deps.db, client: deps.client, tickets, params: deps.params ?? DEFAULT_PARAMETERS, taskQueue: deps.taskQueue };
  v1.use(statisticsRouter(month));
  v1.use(appealsRouter(month));
  v1.use(knowledgeRouter(month));
  v1.use(outboxRouter({ db: deps.db, client: deps.client, taskQueue: deps.taskQueue }));
  v1.use(policyRouter({ db: deps.db, client: deps.client, params: deps.params ?? DEFAULT_PARAMETERS, adminAuth: adminRole }));

  app.use('/api/v1', v1);
  app.use(methodNotAllowed(doc.paths));
  app.use((req: Request, _res: Response, next: NextFunction) => next(new DomainError(404, 'Not Found', `no route ${req.method} ${req.path}`)));
  app.use(problemHandler(deps.logger));
  return app;
}
