/**
 * Who acts as administrator: a caller whose token has the `admin` role (api/auth.ts). Handlers read the administrator
 * only through `administratorOf(res)`, which the `adminRole` middleware sets.
 */
import type { RequestHandler, Response } from 'express';
import { Forbidden, principalOf, Unauthorized } from './auth';

export interface Administrator {
  /** The administrator's user id, recorded with what they change (e.g. CalendarYear.loadedBy). */
  id: string;
}

/** Admits callers with the `admin` role (PUT /calendar/:year), else a 403 problem. */
export const adminRole: RequestHandler = (req, res, next) => {
  const p = principalOf(req);
  if (!p.roles.includes('admin')) return next(new Forbidden('this requires the role admin'));
  res.locals.administrator = { id: p.userId } satisfies Administrator;
  next();
};

/** The administrator the middleware admitted. Throws when a route forgot the middleware. */
export function administratorOf(res: Response): Administrator {
  const admin = res.locals.administrator as Administrator | undefined;
  if (!admin) throw new Unauthorized('an administrator is required');
  return admin;
}
