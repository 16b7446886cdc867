/**
 * The rule layer over HTTP: deadline previews, the reply check, monthly deadlines and the parameter table
 * (`/policy/…`), and the working calendar (`/calendar/:year`; changing it is for administrators). Router → handler
 * (validates once with zod) → PolicyService; errors become problem+json in `problemHandler`.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { administratorOf } from './admin';
import { PolicyService, type PolicyServiceDeps } from './policy-service';
import { calendarPutSchema, calendarYear, deadlineQuerySchema, monthKey, replyCheckSchema } from './schemas';

export interface PolicyRouterDeps extends PolicyServiceDeps {
  /** Admits administrators and sets `res.locals.administrator` (see api/admin.ts). */
  adminAuth: RequestHandler;
}

const yearParams = z.object({ year: calendarYear });
const monthParams = z.object({ month: monthKey });

export function policyRouter(deps: PolicyRouterDeps): Router {
  const policy = new PolicyService(deps);
  const router = Router();

  router.get('/policy/deadlines', async (req: Request, res: Response) => {
    res.json(await policy.deadlines(deadlineQuerySchema.parse(req.query)));
  });

  router.post('/policy/reply-check', (req: Request, res: Response) => {
    // A preview: 200 whether or not the reply would pass.
    res.json(policy.replyCheck(replyCheckSchema.parse(req.body)));
  });

  router.get('/policy/monthly/:month', async (req: Request, res: Response) => {
    res.json(await policy.monthly(monthParams.parse(req.params).month));
  });

  router.get('/policy/parameters', (_req: Request, res: Response) => {
    res.json(policy.parameters());
  });

  router.get('/calendar/:year', async (req: Request, res: Response) => {
    res.json(await policy.calendar(yearParams.parse(req.params).year));
  });

  router.put('/calendar/:year', deps.adminAuth, async (req: Request, res: Response) => {
    const { year } = yearParams.parse(req.params);
    const body = calendarPutSchema(year).parse(req.body);
    res.json(await policy.replaceYear(year, body, administratorOf(res).id));
  });

  return router;
}
