/**
 * `GET /api/v1/supervision`: the supervision cases (督办, 第二十二条–第二十三条) for 委政务服务处 — open, late, escalated —
 * from the cases' read model (each case's own workflow writes its row). A unit sees the cases against it.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../lib/db';
import type { Prisma, SupervisionCase } from '../generated/prisma/client';
import { principalOf, seesAllTickets } from './auth';
import type { TicketService } from './ticket-service';

export interface SupervisionRouterDeps {
  db: Db;
  tickets: TicketService;
}

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const supervisionQuery = z
  .object({
    status: z.enum(['open', 'answered', 'closed']).optional(),
    unit: z.string().min(1).max(64).optional(),
    /** 第二十三条: the answer was not in by its due date. */
    late: bool.optional(),
    /** 第二十二条(五) 提级办理. */
    escalated: bool.optional(),
    /** Cases opened for this trigger article, e.g. `第二十二条(二)`. */
    article: z.string().min(1).max(32).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** The id of the last case of the previous page. */
    after: z.string().min(1).max(100).optional(),
  })
  .strict();

/** One case as 委政务服务处 reads it. */
export function caseView(c: SupervisionCase) {
  return {
    id: c.id,
    ticketNo: c.ticketNo,
    unitId: c.unitId,
    status: c.status,
    triggers: c.triggers,
    escalated: c.escalated,
    openedBy: c.openedBy,
    openedAt: c.openedAt.toISOString(),
    answerDueAt: c.answerDueAt?.toISOString() ?? null,
    reminded: c.reminded,
    late: c.late,
    answer: c.answer,
    answeredAt: c.answeredAt?.toISOString() ?? null,
    approvedBy: c.approvedBy,
    closedAt: c.closedAt?.toISOString() ?? null,
  };
}

export function supervisionRouter(deps: SupervisionRouterDeps): Router {
  const router = Router();
  router.get('/supervision', async (req: Request, res: Response) => {
    const p = principalOf(req);
    const q = supervisionQuery.parse(req.query);
    const where: Prisma.SupervisionCaseWhereInput[] = [];
    if (!seesAllTickets(p)) where.push({ unitId: p.unitId });
    if (q.status) where.push({ status: q.status });
    if (q.unit) where.push({ unitId: q.unit });
    if (q.late !== undefined) where.push({ late: q.late });
    if (q.escalated !== undefined) where.push({ escalated: q.escalated });
    if (q.article) where.push({ triggers: { array_contains: [{ article: q.article }] } });
    if (q.after) where.push({ id: { gt: q.after } });
    const rows = await deps.db.supervisionCase.findMany({ where: { AND: where }, orderBy: { id: 'asc' }, take: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    res.json({ items: page.map(caseView), next: rows.length > q.limit ? page.at(-1)!.id : null });
  });
  return router;
}
