/**
 * `Idempotency-Key` on every POST: a retried request with the same key and the same body returns the first response
 * and changes nothing; the same key with another body is refused. Keys belong to the caller (token subject). A first
 * request still in progress makes a concurrent retry a 409. Server errors (5xx) are not remembered, so they can be
 * retried.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../lib/db';
import type { Prisma } from '../generated/prisma/client';
import { BadRequest, DomainError } from './errors';

const KEY = /^[\x21-\x7e]{1,200}$/;

export function idempotency(db: Db) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next();
    if (!KEY.test(key)) return next(new BadRequest('the request is invalid', [{ field: 'Idempotency-Key', message: 'must be 1–200 visible ASCII characters' }]));
    const principal = req.principal?.userId ?? `anonymous:${req.ip}`;
    const requestHash = createHash('sha256').update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    try {
      const claimed = await db.idempotencyRecord.createMany({
        data: [{ principal, key, method: req.method, path: req.originalUrl, requestHash, status: 0 }],
        skipDuplicates: true,
      });
      if (claimed.count === 0) {
        const first = await db.idempotencyRecord.findUniqueOrThrow({ where: { principal_key: { principal, key } } });
        if (first.requestHash !== requestHash)
          throw new DomainError(422, 'Idempotency-Key reused', 'this Idempotency-Key was used for a different request', { field: 'Idempotency-Key' });
        if (first.status === 0) throw new DomainError(409, 'Request in progress', 'the first request with this Idempotency-Key is still being processed');
        res.setHeader('Idempotency-Replayed', 'true');
        const contentType = first.status >= 400 ? 'application/problem+json' : 'application/json';
        return res.status(first.status).type(contentType).send(JSON.stringify(first.body));
      }
    } catch (err) {
      return next(err);
    }
    // Remember the first response once it is known.
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const status = res.statusCode;
      const settle =
        status >= 500
          ? db.idempotencyRecord.delete({ where: { principal_key: { principal, key } } })
          : db.idempotencyRecord.update({ where: { principal_key: { principal, key } }, data: { status, body: (body ?? {}) as Prisma.InputJsonValue } });
      settle.then(
        () => json(body),
        () => json(body),
      );
      return res;
    };
    next();
  };
}
