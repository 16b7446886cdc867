/**
 * Typed domain errors and their single mapping to HTTP: RFC 9457 problem details (`application/problem+json`).
 */
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Violation } from '../rules/types';
import type { Logger } from '../lib/logger';

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super(404, 'Not Found', `${what} does not exist`);
  }
}

/** The same platform ticket number was dispatched before with different content. */
export class DispatchConflict extends DomainError {
  constructor(ticketNo: string, differing: string[]) {
    super(409, 'Conflicting dispatch', `ticket ${ticketNo} was already dispatched with different content`, { ticketNo, differing });
  }
}

/** A decision the regulation forbids (422) or the ticket's state does not allow (409). */
export class DecisionRefused extends DomainError {
  constructor(kind: 'rule' | 'state', message: string, violations: Violation[]) {
    super(kind === 'state' ? 409 : 422, kind === 'state' ? 'Conflicts with the ticket state' : 'Refused by the regulation', message, { violations });
  }
}

/** A dependency (Temporal, the database) cannot be reached. */
export class Unavailable extends DomainError {
  constructor(reason: string) {
    super(503, 'Service Unavailable', reason);
  }
}

export class BadRequest extends DomainError {
  constructor(message: string, errors: { field: string; message: string }[] = []) {
    super(400, 'Bad Request', message, { errors });
  }
}

/** zod issues as `{ field, message }`, the field a dotted path into the body. */
export function fieldErrors(err: ZodError): { field: string; message: string }[] {
  return err.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message }));
}

/** gRPC status codes of a Temporal frontend that cannot be reached, does not answer in time, or sheds load. */
const TEMPORAL_UNREACHABLE = new Set([4, 8, 14]);
/**
 * Prisma error codes of a database that cannot be reached (P1001, P1002, P1017), has no free connection (P2024), or
 * could not start or finish a transaction in time (P2028): 503 with the reason, never 500.
 */
const DATABASE_UNREACHABLE = new Set(['P1001', 'P1002', 'P1017', 'P2024', 'P2028']);

/**
 * What the pg driver and Prisma's driver adapter say when the database cannot be reached or drops the connection:
 * socket error codes, PostgreSQL's connection-exception and shutdown SQLSTATEs, the adapter's error kinds, and the
 * pg pool's messages (which carry no code).
 */
const DATABASE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', '08000', '08001', '08003', '08006', '57P01', '57P02', '57P03']);
const DATABASE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const DATABASE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Can't reach database server|Client has encountered a connection error|connect ECONNREFUSED/i;

/** The reason a dependency is unreachable, when `err` says one is; undefined otherwise. */
export function unavailableReason(err: unknown): string | undefined {
  const e = err as { name?: string; code?: unknown; cause?: { code?: unknown; kind?: unknown; originalCode?: unknown }; message?: string } | undefined;
  if (e?.name === 'ServiceError' && TEMPORAL_UNREACHABLE.has(Number(e.cause?.code ?? e.code)))
    return { 4: 'Temporal is unreachable or did not answer in time', 8: 'Temporal is overloaded (resource exhausted)' }[Number(e.cause?.code ?? e.code)] ?? 'Temporal is unreachable';
  if (typeof e?.code === 'string' && (DATABASE_UNREACHABLE.has(e.code) || DATABASE_SOCKET_CODES.has(e.code))) return 'the database is unreachable';
  if (typeof e?.cause?.kind === 'string' && DATABASE_ADAPTER_KINDS.has(e.cause.kind)) return 'the database is unreachable';
  if (typeof e?.cause?.originalCode === 'string' && DATABASE_SOCKET_CODES.has(e.cause.originalCode)) return 'the database is unreachable';
  if (typeof e?.message === 'string' && DATABASE_MESSAGES.test(e.message)) return 'the database is unreachable';
  return undefined;
}

/** The ticket number in a request's path (`/api/v1/tickets/:ticketNo/…`), for its log lines; undefined for none. */
export function ticketNoOfPath(path: string): string | undefined {
  return /^\/api\/v1\/tickets\/([A-Za-z0-9][A-Za-z0-9_-]{3,63})(?:\/|$)/.exec(path)?.[1];
}

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let problem: DomainError;
    if (err instanceof DomainError) problem = err;
    else if (err instanceof ZodError) problem = new BadRequest('the request is invalid', fieldErrors(err));
    else if (err?.type === 'entity.parse.failed') problem = new BadRequest('the body is not valid JSON');
    else if (err?.type === 'entity.too.large') problem = new DomainError(413, 'Content Too Large', 'the body is too large');
    else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) problem = new DomainError(err.status, STATUS_CODES[err.status] ?? 'Bad Request', String(err.message));
    else if (unavailableReason(err)) {
      logger.warn({ reason: unavailableReason(err), path: req.path, ticketNo: ticketNoOfPath(req.originalUrl.split('?')[0]!) }, 'dependency unavailable');
      problem = new Unavailable(`${unavailableReason(err)}; retry later`);
    } else {
      logger.error({ err: { message: err?.message, name: err?.name, stack: err?.stack }, path: req.path, ticketNo: ticketNoOfPath(req.originalUrl.split('?')[0]!) }, 'unhandled error');
      problem = new DomainError(500, 'Internal Server Error', 'an unexpected error occurred');
    }
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({ type: 'about:blank', title: problem.title, status: problem.status, detail: problem.message, instance: req.originalUrl, ...problem.extra });
  };
}
