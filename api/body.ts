/**
 * What a request body must be before any handler sees it: JSON, in UTF-8 — strictly decoded, not repaired with
 * U+FFFD — and free of the characters PostgreSQL cannot store in text (NUL) or that are not text at all (lone
 * surrogates). Anything else is refused with a 4xx naming the problem, before it can reach a workflow or the database.
 * The URL's query parameters and path are held to the same (storableUrl).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { BadRequest, DomainError } from './errors';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function failure(status: number, message: string): Error {
  return Object.assign(new Error(message), { status, expose: true });
}

/** express.json with a strict UTF-8 check: another charset is a 415, bytes that are not UTF-8 a 400. */
export function jsonBody(limit: string) {
  return express.json({
    limit,
    verify: (_req, _res, buf, encoding) => {
      if (encoding.toLowerCase() !== 'utf-8') throw failure(415, `the body must be UTF-8, not ${encoding}`);
      try {
        strictUtf8.decode(buf);
      } catch {
        throw failure(400, 'the body is not valid UTF-8');
      }
    },
  });
}

/** A body on a method that takes one must be application/json (an empty body is fine). */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction) {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !req.is('application/json'))
    return next(new DomainError(415, 'Unsupported Media Type', 'the body must be application/json (UTF-8)'));
  next();
}

/** No request of this API nests deeper; a deeper body is refused rather than walked. */
const MAX_DEPTH = 32;

function badStrings(body: unknown, whole = '(body)'): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value: body, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    const field = path.join('.') || whole;
    if (path.length > MAX_DEPTH) return [{ field: path.slice(0, MAX_DEPTH).join('.'), message: `must not be nested more than ${MAX_DEPTH} levels deep` }];
    if (typeof value === 'string') {
      if (value.includes('\u0000')) out.push({ field, message: 'must not contain the NUL character' });
      else if (LONE_SURROGATE.test(value)) out.push({ field, message: 'must be well-formed text (no lone surrogates)' });
    } else if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...path, String(i)] }));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
  }
  return out;
}

/** Refuses a parsed body holding text that cannot be stored, naming each field. */
export function storableText(req: Request, _res: Response, next: NextFunction) {
  const problems = badStrings(req.body);
  if (problems.length > 0) return next(new BadRequest('the request is invalid', problems));
  next();
}

/**
 * The same for the URL: a query parameter or a path segment holding NUL (`?unit=%00`) or a lone surrogate is a 400
 * naming the parameter, before a handler can pass it to PostgreSQL (which answers "invalid byte sequence").
 */
export function storableUrl(req: Request, _res: Response, next: NextFunction) {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return next(new BadRequest('the request is invalid', [{ field: '(path)', message: 'is not valid percent-encoding' }]));
  }
  const problems = [
    ...(path.includes('\u0000') ? [{ field: '(path)', message: 'must not contain the NUL character' }] : LONE_SURROGATE.test(path) ? [{ field: '(path)', message: 'must be well-formed text (no lone surrogates)' }] : []),
    ...badStrings(req.query, '(query)'),
  ];
  if (problems.length > 0) return next(new BadRequest('the request is invalid', problems));
  next();
}
