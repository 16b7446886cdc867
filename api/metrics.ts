/**
 * `GET /metrics` in Prometheus's text format (prom-client), for the operators' Prometheus and Grafana:
 * - `hotline_http_requests_total` and `hotline_http_request_duration_seconds`: every request by method, route (the
 *   route's pattern, never a ticket number) and status;
 * - `hotline_decisions_total`: each decision by type and outcome; a refusal carries the rule and article it broke;
 * - `hotline_tickets`, `hotline_tickets_overdue`, `hotline_tickets_supervised`: the read model's tickets by status,
 *   counted when Prometheus scrapes (at most once every few seconds, however often it scrapes);
 * - the Node.js process's own metrics (memory, event loop, GC).
 * Each app has its own registry. With METRICS_TOKEN set, scraping needs it as a bearer token.
 */
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../lib/db';
import { TICKET_STATUSES } from '../rules/lifecycle';
import { DecisionRefused, DomainError } from './errors';

/** How long one count of the read model serves scrapes. */
const TICKET_COUNT_TTL_MS = 10_000;

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route' | 'status'>;
  private readonly decisions: Counter<'decision' | 'outcome' | 'rule' | 'article'>;
  private counted: { at: number; rows: Promise<{ status: string; n: number; overdue: number; supervised: number }[]> } | null = null;

  constructor(private readonly db: Db) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hotline_api_' });
    this.requests = new Counter({ name: 'hotline_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
    this.latency = new Histogram({
      name: 'hotline_http_request_duration_seconds',
      help: 'HTTP request latency by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.decisions = new Counter({
      name: 'hotline_decisions_total',
      help: 'Decisions by type and outcome (done, refused, conflict, invalid, not-found, unavailable, failed); refusals by rule and article',
      labelNames: ['decision', 'outcome', 'rule', 'article'],
      registers: [this.registry],
    });
    const self = this;
    const byStatus = (name: string, help: string, pick: (r: { n: number; overdue: number; supervised: number }) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['status'],
        registers: [this.registry],
        async collect() {
          const rows = await self.ticketCounts();
          this.reset();
          for (const s of TICKET_STATUSES) this.set({ status: s }, 0);
          for (const r of rows) this.set({ status: r.status }, pick(r));
        },
      });
    byStatus('hotline_tickets', 'Tickets in the read model by status', (r) => r.n);
    byStatus('hotline_tickets_overdue', 'Tickets past their handling deadline (第十一条) by status', (r) => r.overdue);
    byStatus('hotline_tickets_supervised', 'Tickets under supervision (第二十二条) by status', (r) => r.supervised);
  }

  private ticketCounts() {
    const now = Date.now();
    if (!this.counted || now - this.counted.at > TICKET_COUNT_TTL_MS) {
      const rows = this.db.$queryRaw<{ status: string; n: number; overdue: number; supervised: number }[]>`
        SELECT status, count(*)::int AS n, (count(*) FILTER (WHERE "handlingOverdue"))::int AS overdue, (count(*) FILTER (WHERE supervised))::int AS supervised
        FROM "Ticket" GROUP BY status`;
      this.counted = { at: now, rows };
      // A failed count is not kept: the next scrape asks again.
      rows.catch(() => {
        if (this.counted?.rows === rows) this.counted = null;
      });
    }
    return this.counted.rows;
  }

  /** Express middleware: counts and times each request under its route's pattern. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const end = this.latency.startTimer();
      res.once('finish', () => {
        const labels = { method: req.method, route: routeOf(req, res), status: String(res.statusCode) };
        this.requests.inc(labels);
        end(labels);
      });
      next();
    };
  }

  /** In a mounted router: remembers its mount path, which express forgets once the request leaves the router. */
  mounted() {
    return (req: Request, res: Response, next: NextFunction) => {
      res.locals.metricsBase = req.baseUrl;
      next();
    };
  }

  /** A decision taken (`err` undefined) or not, with why. */
  decision(decision: string, err?: unknown): void {
    if (err === undefined) return void this.decisions.inc({ decision, outcome: 'done', rule: '', article: '' });
    if (err instanceof DecisionRefused) {
      const v = ((err.extra.violations as { rule?: string; article?: string }[] | undefined) ?? [])[0];
      return void this.decisions.inc({ decision, outcome: err.status === 409 ? 'conflict' : 'refused', rule: v?.rule ?? '', article: v?.article ?? '' });
    }
    const status = err instanceof DomainError ? err.status : (err as { name?: string })?.name === 'ZodError' ? 400 : 500;
    const outcome = status === 400 ? 'invalid' : status === 404 ? 'not-found' : status === 409 ? 'conflict' : status === 503 ? 'unavailable' : 'failed';
    this.decisions.inc({ decision, outcome, rule: '', article: '' });
  }

  /** `GET /metrics`. */
  handler(token?: string) {
    return async (req: Request, res: Response, next: NextFunction) => {
      if (token && req.headers.authorization !== `Bearer ${token}`) return next(new DomainError(401, 'Unauthorized', 'the metrics need METRICS_TOKEN as a bearer token'));
      try {
        const body = await this.registry.metrics();
        res.type(this.registry.contentType).send(body);
      } catch (err) {
        next(err);
      }
    };
  }
}

/** The matched route's pattern (`/api/v1/tickets/:ticketNo/accept`), or `unmatched`: never a value from the URL. */
function routeOf(req: Request, res: Response): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  const base = typeof res.locals.metricsBase === 'string' ? res.locals.metricsBase : req.baseUrl;
  return typeof pattern === 'string' ? `${base}${pattern}` : 'unmatched';
}
