/**
 * Appeals (申诉) against the platform's 不满意 rating, 第二十七条–第二十八条, and the units' monthly appeal packages.
 *
 * - `POST /appeals`: the ticket's (lead) unit — a leader or its acceptance department — appeals a closed ticket rated
 *   不满意. Eligibility is the rule layer's (rules/appeals.ts checkAppeal) on the ticket's record as it is now: the
 *   closure, the rating and the reporter's words, the revisits, the re-handling rounds, the co-handling parts, the reply
 *   (appealFactsOf). A refusal is a 422 naming each reason and article; a second appeal of the ticket a 409. The appeal
 *   joins the package of the month it is filed in (`packageMonth`), due by the 6th of the next month.
 * - `POST /appeals/:id/outcome`: 委政务服务处 records the hotline centre's decision on an appeal whose package it has
 *   received. `:id` is the appeal's ticket number (a ticket is appealed once). An upheld appeal's 不满意 rating is left
 *   out of the satisfaction rate as the centre counts it: the statistics read `Appeal.status = 'upheld'` (`upheld` in
 *   the view).
 * - `/appeal-packages`: the packages (workflows/appeal-package.ts, one per unit and month): the list, and the leader's
 *   sign-off, the seal and the submission, each an Update of the package's workflow.
 *
 * 委政务服务处 sees every appeal and package; a unit its own. An appeal named in a path by a ticket another unit cannot
 * see is a 404, like the ticket; a ticket named in an appeal's body that is not the caller's unit's own — another unit's, or none — is one
 * and the same 422; a package is named by its unit, so another unit's package is refused (422) whether it exists or not.
 */
import { Router, type Request, type Response } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import type { Db } from '../lib/db';
import type { Appeal, AppealPackage, Prisma } from '../generated/prisma/client';
import { loadCalendar } from '../lib/calendar-store';
import { nextMonth } from '../activities/appeals';
import { ratingOf } from '../activities/revisit-sampling';
import { checkAppeal, type AppealFacts } from '../rules/appeals';
import type { Satisfaction } from '../rules/facts';
import { SERVICE_DIVISION_UNIT } from '../rules/lifecycle';
import { monthlyDeadlines } from '../rules/monthly';
import type { Parameters } from '../rules/parameters';
import type { PartStatus } from '../rules/parts';
import { shanghaiDate, type MonthKey } from '../rules/time';
import type { Violation } from '../rules/types';
import {
  APPEAL_PACKAGE_ID,
  appealPackageId,
  appealPackageWorkflowId,
  confirmSealUpdate,
  signPackageUpdate,
  submitPackageUpdate,
  type AppealPackageState,
} from '../workflows/appeal-package';
import { STATE_CONFLICT, type RefusalDetails } from '../workflows/messages';
import { principalOf, requireRole, type Principal, type Role } from './auth';
import { DecisionRefused, NotFound } from './errors';
import { instant, ticketNo } from './schemas';
import { TEMPORAL_CALL_MS, type TicketService } from './ticket-service';

export interface AppealsRouterDeps {
  db: Db;
  client: Client;
  tickets: TicketService;
  params: Parameters;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------------

/** `filed`, then the hotline centre's decision as 委政务服务处 records it. */
export const APPEAL_STATUSES = ['filed', 'upheld', 'rejected'] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const monthKey = z.string().regex(/^[0-9]{4}-(?:0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const unitId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a unit id');
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * 第二十七条: the appeal. `reason` states why the demand was unreasonable and how the unit did its duty (解决 / 解释);
 * `evidence.refs` the material behind it (call recordings, documents); `evidence.completedAt` when the matter was
 * finished, if after the closure (第二十八条(四)).
 */
export const appealBody = z
  .object({
    ticketNo,
    reason: text(5000),
    evidence: z.object({ refs: z.array(text(200)).min(1, 'must list at least one piece of evidence').max(20), completedAt: instant.optional() }).strict(),
  })
  .strict();

/** The hotline centre's decision on an appeal, as 委政务服务处 records it. */
export const outcomeBody = z.object({ upheld: z.boolean(), note: text(2000) }).strict();

/** 第二十八条: the leader in charge signs the month's material; the seal's document; the submission. */
export const signBody = z.object({ note: text(2000).optional() }).strict();
export const sealBody = z.object({ documentRef: text(100) }).strict();
export const submitBody = z.object({ note: text(2000).optional() }).strict();

export const appealListQuery = z
  .object({
    /** The package month: the month the appeals were filed in. */
    month: monthKey.optional(),
    unit: unitId.optional(),
    status: z.enum(APPEAL_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** The ticket number of the last appeal of the previous page. */
    after: ticketNo.optional(),
  })
  .strict();

export const packageListQuery = z
  .object({
    month: monthKey.optional(),
    unit: unitId.optional(),
    status: z.enum(['open', 'submitted']).optional(),
    late: bool.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** The id of the last package of the previous page. */
    after: z.string().min(1).max(100).optional(),
  })
  .strict();

export const appealParams = z.object({ id: ticketNo });
export const packageParams = z.object({ id: z.string().regex(APPEAL_PACKAGE_ID, 'must be a package id <unitId>:<YYYY-MM>') });

// ---------------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------------

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * An appeal as the API shows it. `upheld`: the hotline centre's decision (null while pending); an upheld appeal's
 * 不满意 rating does not count in the satisfaction rate as the centre computes it.
 */
export function appealView(a: Appeal) {
  return {
    ticketNo: a.ticketNo,
    unitId: a.unitId,
    packageMonth: a.packageMonth,
    packageId: appealPackageId(a.unitId, a.packageMonth),
    reason: a.reason,
    evidence: a.evidence,
    filedBy: a.filedBy,
    filedAt: a.filedAt.toISOString(),
    status: a.status as AppealStatus,
    upheld: a.status === 'upheld' ? true : a.status === 'rejected' ? false : null,
    decision: a.decidedAt ? { by: a.decidedBy, at: iso(a.decidedAt), note: a.decisionNote } : null,
  };
}

/** A package as the API shows it, with the number of its appeals by status. */
export function packageView(p: AppealPackage, appeals: Record<AppealStatus, number>) {
  return {
    id: p.id,
    workflowId: appealPackageWorkflowId(p.unitId, p.month),
    unitId: p.unitId,
    month: p.month,
    dueAt: p.dueAt.toISOString(),
    status: p.status,
    signedBy: p.signedBy,
    signedAt: iso(p.signedAt),
    sealRef: p.sealRef,
    sealedAt: iso(p.sealedAt),
    submittedAt: iso(p.submittedAt),
    reminded: p.reminded,
    late: p.late,
    appeals: { total: appeals.filed + appeals.upheld + appeals.rejected, ...appeals },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The ticket's record as the appeal check reads it
// ---------------------------------------------------------------------------------------------------------------

type Payload = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * 第二十七条–第二十八条: the facts of a ticket's record the appeal check reads — the closure (and whether the reporter
 * was reached), the rating appealed with the reporter's words, the revisits, the re-handling rounds, the related reports,
 * the co-handling parts and the reply. The unit's statement in its appeal stands for 第二十七条's premises (the demand
 * unreasonable, the duty done) unless the latest revisit since the closure found otherwise.
 */
export async function appealFactsOf(db: Db, no: string, filing: { completedAt?: Date } = {}): Promise<AppealFacts> {
  const t = await db.ticket.findUniqueOrThrow({
    where: { ticketNo: no },
    include: {
      events: { where: { type: { in: ['rated', 'revisited', 'reopened', 'contact-recorded'] } }, orderBy: { sequence: 'asc' } },
      links: { where: { removedAt: null }, include: { related: { select: { ticketNo: true, dispatchedAt: true, satisfaction: true } } } },
      linkedFrom: { where: { removedAt: null }, include: { ticket: { select: { ticketNo: true, dispatchedAt: true, satisfaction: true } } } },
    },
  });
  const closedAt = t.status === 'closed' && t.closedAt ? t.closedAt : undefined;
  const of = (type: string) => t.events.filter((e) => e.type === type).map((e) => ({ at: e.at, p: e.payload as Payload }));
  const revisits = of('revisited').map(({ at, p }) => ({
    at: new Date(str(p.at) ?? at),
    by: p.orderedBy === 'service-division' ? ('service-division' as const) : ('unit' as const),
    satisfaction: p.satisfaction as Satisfaction,
    reporterSaysNotContacted: p.reporterSaysNotContacted === true,
    reporterSaysNotSolved: p.reporterSaysNotSolved === true,
    ...(str(p.verifiedReason) ? { reason: str(p.verifiedReason)! } : {}),
    assessment: (p.assessment ?? {}) as { demandUnreasonable?: boolean; dutyInsufficient?: boolean },
  }));
  const latest = revisits.filter((r) => closedAt && r.at.getTime() >= closedAt.getTime()).at(-1);
  const rounds = (t.rounds as { startedAt?: string; items?: string[] }[] | null) ?? [];
  const parts = (t.parts as { unitId?: string; status?: PartStatus }[] | null) ?? [];
  const related = [...t.links.map((l) => l.related), ...t.linkedFrom.map((l) => l.ticket)];
  const satisfaction = ratingOf(t.satisfaction);
  return {
    channel: t.channel as AppealFacts['channel'],
    content: `${t.subject}。${t.content}`,
    contacts: of('contact-recorded').map(({ at, p }) => ({ at: new Date(str(p.at) ?? at), reached: p.reached === true })),
    ...(closedAt ? { closedAt, closedWithoutContact: t.closedWithoutContact } : {}),
    ...(satisfaction ? { satisfaction } : {}),
    ...(t.ratedAt ? { ratedAt: t.ratedAt } : {}),
    ratings: of('rated').map(({ at, p }) => ({ at: new Date(str(p.ratedAt) ?? at), satisfaction: p.satisfaction as Satisfaction, words: str(p.words) ?? '' })),
    revisits,
    events: of('reopened').map(({ at }) => ({ type: 'reopened' as const, at })),
    reopens: rounds.slice(1).map((r) => ({ at: new Date(r.startedAt ?? 0), reasons: r.items ?? [] })),
    parts: parts.filter((p) => p.unitId && p.status).map((p) => ({ unitId: p.unitId!, status: p.status! })),
    relatedReports: related.map((r) => ({ ticketNo: r.ticketNo, at: r.dispatchedAt, sameProblem: true, ...(ratingOf(r.satisfaction) ? { satisfaction: ratingOf(r.satisfaction)! } : {}) })),
    ...(t.replyText !== null && closedAt ? { reply: { text: t.replyText, repliedAt: closedAt } } : {}),
    assessment: {
      demandUnreasonable: latest?.assessment.demandUnreasonable !== false,
      dutyFulfilled: latest?.assessment.dutyInsufficient !== true,
      ...(filing.completedAt ? { completedAt: filing.completedAt } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------------------------

const conflict = (rule: string, article: string, reason: string) => new DecisionRefused('state', reason, [{ rule, article, reason }]);
const refused = (violation: Violation) => new DecisionRefused('rule', violation.reason, [violation]);

/** An Update the package's workflow refused, or a package whose workflow has ended (it was submitted). */
function packageRefusal(err: unknown): Error {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const details = (err.cause.details?.[0] ?? { violations: [] }) as RefusalDetails;
    return new DecisionRefused(err.cause.type === STATE_CONFLICT ? 'state' : 'rule', err.cause.message, details.violations ?? []);
  }
  if (err instanceof WorkflowNotFoundError || (err instanceof Error && /already completed|not found/i.test(err.message)))
    return conflict('appeal-package.submitted.state', '第二十八条', '申诉材料已报送委政务服务处');
  return err as Error;
}

const seesAll = (p: Principal) => p.unitId === SERVICE_DIVISION_UNIT;

/** Appeals by package and status, for the packages' views. */
async function appealCounts(db: Db, packages: Pick<AppealPackage, 'unitId' | 'month'>[]): Promise<Map<string, Record<AppealStatus, number>>> {
  const out = new Map<string, Record<AppealStatus, number>>();
  for (const p of packages) out.set(appealPackageId(p.unitId, p.month), { filed: 0, upheld: 0, rejected: 0 });
  if (packages.length === 0) return out;
  const rows = await db.appeal.groupBy({
    by: ['unitId', 'packageMonth', 'status'],
    where: { OR: packages.map((p) => ({ unitId: p.unitId, packageMonth: p.month })) },
    _count: { _all: true },
  });
  for (const r of rows) {
    const counts = out.get(appealPackageId(r.unitId, r.packageMonth));
    if (counts && (APPEAL_STATUSES as readonly string[]).includes(r.status)) counts[r.status as AppealStatus] = r._count._all;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The router
// ---------------------------------------------------------------------------------------------------------------

/** The package steps of 第二十八条: who takes each, its body and its Update. */
const PACKAGE_STEPS = [
  { path: 'sign', roles: ['leader'] as Role[], body: signBody, update: signPackageUpdate as UpdateDefinition<AppealPackageState, [never]> },
  { path: 'seal', roles: ['leader', 'acceptor'] as Role[], body: sealBody, update: confirmSealUpdate as UpdateDefinition<AppealPackageState, [never]> },
  { path: 'submit', roles: ['leader', 'acceptor'] as Role[], body: submitBody, update: submitPackageUpdate as UpdateDefinition<AppealPackageState, [never]> },
] as const;

export function appealsRouter({ db, client, tickets, params }: AppealsRouterDeps): Router {
  const router = Router();

  router.post('/appeals', requireRole('leader', 'acceptor'), async (req: Request, res: Response) => {
    const p = principalOf(req);
    const body = appealBody.parse(req.body);
    // The ticket is named in the body: one answer whether it does not exist or is another unit's (nothing leaks).
    const ticket = await db.ticket.findUnique({ where: { ticketNo: body.ticketNo }, select: { unitId: true } });
    if (!ticket || ticket.unitId !== p.unitId)
      throw refused({ rule: 'appeal.unit', article: '第二十七条', reason: '申诉由承办该工单的（牵头）承办单位对本单位的工单提出', field: 'ticketNo' });
    const leadUnit = ticket.unitId;
    if (await db.appeal.findUnique({ where: { ticketNo: body.ticketNo }, select: { id: true } }))
      throw conflict('appeal.duplicate.state', '第二十七条', '该工单已提出申诉');
    const now = new Date();
    const completedAt = body.evidence.completedAt ? new Date(body.evidence.completedAt) : undefined;
    const verdict = checkAppeal(await appealFactsOf(db, body.ticketNo, completedAt ? { completedAt } : {}), now);
    if (!verdict.ok) throw new DecisionRefused('rule', verdict.violations.map((v) => `${v.reason}（${v.article}）`).join('；'), verdict.violations);
    const packageMonth: MonthKey = shanghaiDate(now).slice(0, 7);
    let row: Appeal;
    try {
      row = await db.appeal.create({
        data: {
          ticketNo: body.ticketNo,
          unitId: leadUnit,
          packageMonth,
          reason: body.reason,
          evidence: body.evidence as Prisma.InputJsonValue,
          filedBy: p.userId,
          filedAt: now,
        },
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') throw conflict('appeal.duplicate.state', '第二十七条', '该工单已提出申诉');
      throw err;
    }
    const due = monthlyDeadlines(nextMonth(packageMonth), await loadCalendar(db), params).appealPackage;
    res.status(201).json({ ...appealView(row), packageDueDate: due.dueDate, packageDueAt: due.dueAt.toISOString() });
  });

  router.get('/appeals', async (req: Request, res: Response) => {
    const p = principalOf(req);
    const q = appealListQuery.parse(req.query);
    const where: Prisma.AppealWhereInput[] = [];
    if (!seesAll(p)) where.push({ unitId: p.unitId });
    if (q.month) where.push({ packageMonth: q.month });
    if (q.unit) where.push({ unitId: q.unit });
    if (q.status) where.push({ status: q.status });
    if (q.after) where.push({ ticketNo: { gt: q.after } });
    const rows = await db.appeal.findMany({ where: { AND: where }, orderBy: { ticketNo: 'asc' }, take: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    res.json({ items: page.map(appealView), next: rows.length > q.limit ? page.at(-1)!.ticketNo : null });
  });

  router.post('/appeals/:id/outcome', requireRole('supervisor'), async (req: Request, res: Response) => {
    const p = principalOf(req);
    const { id } = appealParams.parse(req.params);
    const body = outcomeBody.parse(req.body);
    await tickets.requireVisible(p, id);
    if (p.unitId !== SERVICE_DIVISION_UNIT)
      throw refused({ rule: 'appeal.outcome.service-division', article: '第二十七条', reason: '申诉结果由委政务服务处根据市便民专线服务中心的认定记录', field: 'upheld' });
    const appeal = await db.appeal.findUnique({ where: { ticketNo: id } });
    if (!appeal) throw conflict('appeal.none.state', '第二十七条', '该工单没有申诉');
    if (appeal.status !== 'filed') throw conflict('appeal.decided.state', '第二十七条', '该申诉已记录市便民专线服务中心的认定结果');
    const pkg = await db.appealPackage.findUnique({ where: { id: appealPackageId(appeal.unitId, appeal.packageMonth) }, select: { submittedAt: true } });
    if (!pkg?.submittedAt) throw conflict('appeal.not-submitted.state', '第二十八条', '该申诉所在的月度申诉材料尚未报送委政务服务处');
    const done = await db.appeal.updateMany({
      where: { id: appeal.id, status: 'filed' },
      data: { status: body.upheld ? 'upheld' : 'rejected', decidedBy: p.userId, decidedAt: new Date(), decisionNote: body.note },
    });
    if (done.count === 0) throw conflict('appeal.decided.state', '第二十七条', '该申诉已记录市便民专线服务中心的认定结果');
    res.json(appealView(await db.appeal.findUniqueOrThrow({ where: { id: appeal.id } })));
  });

  router.get('/appeal-packages', async (req: Request, res: Response) => {
    const p = principalOf(req);
    const q = packageListQuery.parse(req.query);
    const where: Prisma.AppealPackageWhereInput[] = [];
    if (!seesAll(p)) where.push({ unitId: p.unitId });
    if (q.month) where.push({ month: q.month });
    if (q.unit) where.push({ unitId: q.unit });
    if (q.status) where.push({ status: q.status });
    if (q.late !== undefined) where.push({ late: q.late });
    if (q.after) where.push({ id: { gt: q.after } });
    const rows = await db.appealPackage.findMany({ where: { AND: where }, orderBy: { id: 'asc' }, take: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const counts = await appealCounts(db, page);
    res.json({ items: page.map((r) => packageView(r, counts.get(r.id)!)), next: rows.length > q.limit ? page.at(-1)!.id : null });
  });

  for (const step of PACKAGE_STEPS) {
    router.post(`/appeal-packages/:id/${step.path}`, requireRole(...step.roles), async (req: Request, res: Response) => {
      const p = principalOf(req);
      const { id } = packageParams.parse(req.params);
      const body = step.body.parse(req.body ?? {});
      const [, unit, month] = APPEAL_PACKAGE_ID.exec(id)!;
      if (unit !== p.unitId)
        throw refused({ rule: 'appeal-package.unit', article: '第二十八条', reason: '申诉材料由本单位分管领导签字确认、加盖本单位公章后报送；不能办理其他单位的申诉材料', field: 'id' });
      if (!(await db.appealPackage.findUnique({ where: { id }, select: { id: true } })))
        throw conflict('appeal-package.none.state', '第二十八条', `本单位${month}没有提出申诉，没有待报送的申诉材料`);
      const command = { by: p.userId, unitId: p.unitId, ...body } as never;
      try {
        await client.connection.withDeadline(Date.now() + TEMPORAL_CALL_MS, () => client.workflow.getHandle(appealPackageWorkflowId(unit!, month!)).executeUpdate(step.update, { args: [command] }));
      } catch (err) {
        throw packageRefusal(err);
      }
      const row = await db.appealPackage.findUnique({ where: { id } });
      if (!row) throw new NotFound(`appeal package ${id}`);
      res.json(packageView(row, (await appealCounts(db, [row])).get(row.id)!));
    });
  }

  return router;
}
