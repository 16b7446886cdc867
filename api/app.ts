/**
 * The HTTP API: router → handler (validates once with zod) → service; domain errors become problem+json in one place.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { DEFAULT_PARAMETERS, type Parameters } from '../rules/parameters';
import { adminHeaderAuth } from './admin';
import { problemHandler } from './errors';
import { checkHealth } from './health';
import { policyRouter } from './policy';
import { acceptSchema, dispatchSchema, ticketNo } from './schemas';
import { TicketService } from './ticket-service';

export interface AppDeps {
  db: Db;
  client: Client;
  namespace: string;
  taskQueue: string;
  logger: Logger;
  /** The regulation's parameters with the deployment's overrides (RULE_PARAMETERS); default: the regulation's own. */
  params?: Parameters;
  /** Admits administrators (PUT /calendar/:year); default: the interim `X-Admin-User` header (api/admin.ts). */
  adminAuth?: RequestHandler;
}

const params = z.object({ ticketNo });

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  const tickets = new TicketService(deps);
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));

  // One log line per request: method, path, status, duration. Never bodies (they carry reporters' data).
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      deps.logger.info({ method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    });
    next();
  });

  app.get('/health', async (_req: Request, res: Response) => {
    const health = await checkHealth(deps.db, deps.client, deps.namespace);
    res.status(health.ok ? 200 : 503).json({ status: health.ok ? 'ok' : 'unavailable', ...health.checks });
  });

  const v1 = express.Router();

  v1.post('/tickets', async (req: Request, res: Response) => {
    const body = dispatchSchema.parse(req.body);
    const result = await tickets.dispatch(body);
    res.status(result.created ? 201 : 200).json({ duplicate: !result.created, ticket: result.ticket });
  });

  v1.get('/tickets/:ticketNo', async (req: Request, res: Response) => {
    res.json(await tickets.get(params.parse(req.params).ticketNo));
  });

  v1.post('/tickets/:ticketNo/accept', async (req: Request, res: Response) => {
    const no = params.parse(req.params).ticketNo;
    res.json(await tickets.accept(no, acceptSchema.parse(req.body)));
  });

  v1.use(policyRouter({ db: deps.db, client: deps.client, params: deps.params ?? DEFAULT_PARAMETERS, adminAuth: deps.adminAuth ?? adminHeaderAuth }));

  app.use('/api/v1', v1);
  app.use(problemHandler(deps.logger));
  return app;
}
