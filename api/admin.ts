/**
 * Who acts as administrator. Authentication comes in a later issue; until then the caller names the administrator in
 * the `X-Admin-User` header. Handlers read the administrator only through `administratorOf(res)`, so an authentication
 * middleware replaces `adminHeaderAuth` (`AppDeps.adminAuth`) by setting `res.locals.administrator` the same way.
 */
import type { RequestHandler, Response } from 'express';
import { adminUser } from './schemas';
import { DomainError } from './errors';

/** 401: the operation needs an administrator and the request names none. */
const unauthorized = (message: string) => new DomainError(401, 'Unauthorized', message);

export interface Administrator {
  /** The administrator's user id, recorded with what they change (e.g. CalendarYear.loadedBy). */
  id: string;
}

/** Interim administrator check: `X-Admin-User: <user id>`, else a 401 problem. */
export const adminHeaderAuth: RequestHandler = (req, res, next) => {
  const parsed = adminUser.safeParse(req.get('x-admin-user'));
  if (!parsed.success) throw unauthorized(parsed.error.issues[0]?.message ?? 'an administrator is required');
  res.locals.administrator = { id: parsed.data } satisfies Administrator;
  next();
};

/** The administrator the auth middleware admitted. Throws when a route forgot the middleware. */
export function administratorOf(res: Response): Administrator {
  const admin = res.locals.administrator as Administrator | undefined;
  if (!admin) throw unauthorized('an administrator is required');
  return admin;
}
