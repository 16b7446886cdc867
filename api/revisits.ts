/**
 * Revisits (回访), 第十七条–第二十一条: the revisitor's work list of the tickets drawn each day (activities/
 * revisit-sampling.ts makes one RevisitTask per drawn ticket), and what the revisitor does with a task:
 *
 * - skip it on a ground of 第十九条 that applies (the anonymous ground from the record; the policy and unreasonable-demand
 *   grounds are the revisitor's own finding, admitted only for a ticket rated unsatisfied — the rule layer decides);
 * - record the revisit's result (第二十条 for an unsatisfied ticket: the verified reason first), which the ticket's
 *   workflow answers with the reopen it proposes (第十七条、第十八条, rules/revisit.ts reopenReasons);
 * - confirm that proposal (the ticket goes back to its unit) or dismiss it.
 *
 * 委政务服务处 samples all units' tickets, a unit's acceptance department its own (第十七条): a task is acted on by the
 * revisitors of the unit that drew it. 委政务服务处 sees every task; a unit sees the tasks it drew and those of its own
 * tickets; any other task is a 404, like another unit's ticket.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Db } from '../lib/db';
import type { Prisma, RevisitTask } from '../generated/prisma/client';
import { ratingOf } from '../activities/revisit-sampling';
import { SERVICE_DIVISION_UNIT } from '../rules/lifecycle';
import { revisitExemptions } from '../rules/revisit';
import type { Finding, Violation } from '../rules/types';
import * as m from '../workflows/messages';
import { principalOf, requireRole, seesAllTickets, type Principal } from './auth';
import { BadRequest, DecisionRefused, NotFound } from './errors';
import type { TicketService } from './ticket-service';
import { decodeIdCursor, encodeIdCursor } from './id-cursor';

export interface RevisitsRouterDeps {
  db: Db;
  tickets: TicketService;
  /** Reads the ticket workflow's state after a revisit (the reopen it proposes). */
  client: Client;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------------

export const REVISIT_TASK_STATUSES = ['open', 'done', 'skipped'] as const;
export type RevisitTaskStatus = (typeof REVISIT_TASK_STATUSES)[number];

/** 第十九条 (一)–(三): the grounds on which a revisit may be skipped. */
export const SKIP_GROUNDS = ['anonymous', 'policy-explained', 'unreasonable-demand'] as const;
export type SkipGround = (typeof SKIP_GROUNDS)[number];

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).min(1).max(20));

export const revisitListQuery = z
  .object({
    status: list(z.enum(REVISIT_TASK_STATUSES)).optional(),
    /** The unit that handled the ticket. */
    unit: list(z.string().min(1).max(64)).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();
export type RevisitListQuery = z.infer<typeof revisitListQuery>;

export const taskParams = z.object({ id: z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be the id of a revisit task') });

export const skipBody = z.object({ ground: z.enum(SKIP_GROUNDS), note: text(2000) }).strict();

const assessment = z
  .object({
    dissatisfiedWithPolicy: z.boolean().optional(),
    policyExplained: z.boolean().optional(),
    demandUnreasonable: z.boolean().optional(),
    dutyInsufficient: z.boolean().optional(),
    reporterAskedAuthority: z.boolean().optional(),
    answeredByCompany: z.boolean().optional(),
  })
  .strict();

const questions = z.array(text(2000)).max(50).optional();

/** The revisit's result (第十七条–第二十条); for an unsatisfied ticket the verified reason comes first (第二十条). */
export const resultBody = z
  .object({
    satisfaction: z.enum(['satisfied', 'basically-satisfied', 'unsatisfied']),
    reporterSaysNotContacted: z.boolean().optional(),
    reporterSaysNotSolved: z.boolean().optional(),
    newQuestions: z.boolean().optional(),
    note: text(5000),
    verifiedReason: optionalText(2000),
    otherQuestions: questions,
    answeredDirectly: questions,
    dispatchedToUnit: questions,
    assessment: assessment.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.satisfaction === 'unsatisfied' && !b.verifiedReason)
      ctx.addIssue({ code: 'custom', path: ['verifiedReason'], message: '第二十条: an unsatisfied revisit first verifies the reason of the dissatisfaction' });
  });
export type RevisitResult = z.infer<typeof resultBody>;

export const suggestionBody = z.object({ confirmed: z.boolean(), note: text(2000) }).strict();

// ---------------------------------------------------------------------------------------------------------------
// The task as the API shows it
// ---------------------------------------------------------------------------------------------------------------

/**
 * What the result column holds: the revisit's result (with `revisitNo`, its place among the ticket's revisits, once the
 * workflow has it), or the skip's finding and note.
 */
type StoredResult = (RevisitResult & { by: string; at: string; revisitNo?: number }) | { skip: { exemption: Finding; note: string } };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A revisit task in the work list and in every answer: the one mapping from a row. */
export function revisitTaskView(row: RevisitTask) {
  const stored = row.result as StoredResult | null;
  const skip = stored && 'skip' in stored ? stored.skip : null;
  return {
    id: row.id.toString(),
    ticketNo: row.ticketNo,
    day: row.day,
    sampler: row.sampler,
    orderedBy: orderedByOf(row),
    unitId: row.unitId,
    status: row.status as RevisitTaskStatus,
    exemptions: row.exemptions as unknown as Finding[],
    skip: row.status === 'skipped' ? { ground: row.skipGround, exemption: skip?.exemption ?? null, note: skip?.note ?? null, by: row.decidedBy, at: iso(row.decidedAt) } : null,
    result: stored && !('skip' in stored) ? stored : null,
    suggestion: (row.suggestion as unknown as Finding[] | null) ?? null,
    suggestionDecision: row.suggestionDecision ? { decision: row.suggestionDecision, by: row.decidedBy, at: iso(row.decidedAt) } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type RevisitTaskView = ReturnType<typeof revisitTaskView>;

/** 第二十一条: whoever drew the ticket ordered its revisit (and any re-handling it leads to). */
function orderedByOf(task: Pick<RevisitTask, 'sampler'>): m.OrderedBy {
  return task.sampler === SERVICE_DIVISION_UNIT ? 'service-division' : 'unit';
}

// ---------------------------------------------------------------------------------------------------------------
// Scoping and refusals
// ---------------------------------------------------------------------------------------------------------------

/** 委政务服务处 sees every task; a unit the tasks it drew and those of its own tickets. */
function visibleTasks(p: Principal): Prisma.RevisitTaskWhereInput {
  return seesAllTickets(p) ? {} : { OR: [{ sampler: p.unitId }, { unitId: p.unitId }] };
}

const stateConflict = (reason: string, rule: string) => new DecisionRefused('state', reason, [{ rule, article: '第十七条', reason }]);

/** A skip or a result only for a task still open. */
function refuseUnlessOpen(task: RevisitTask): void {
  if (task.status !== 'open') throw stateConflict(`该回访任务已${task.status === 'done' ? '完成回访' : '免除回访'}`, 'revisit-task.state');
}

const SATISFACTION_NAMES: Record<string, string> = { satisfied: '满意', 'basically-satisfied': '基本满意', unsatisfied: '不满意' };

/** 第十七条: the revisitors of the unit that drew the ticket revisit it (委政务服务处 its own draw, a unit its own). */
function refuseOtherSampler(p: Principal, task: RevisitTask): void {
  if (p.unitId === task.sampler) return;
  const reason = task.sampler === SERVICE_DIVISION_UNIT ? '委政务服务处抽查的工单由委政务服务处回访' : '各承办单位受理部门抽查的本单位工单由该单位回访';
  throw new DecisionRefused('rule', 'the task belongs to the unit that drew it', [{ rule: 'revisit-task.sampler', article: '第十七条', reason, field: 'id' }]);
}

/** The rule of 第十九条 each ground stands for (rules/revisit.ts revisitExemptions). */
const GROUND_RULES: Record<SkipGround, string> = {
  anonymous: 'revisit.exempt.anonymous',
  'policy-explained': 'revisit.exempt.policy',
  'unreasonable-demand': 'revisit.exempt.unreasonable-demand',
};

/**
 * 第十九条: the exemption a ground stands for, when it applies. The anonymous ground (三) applies from the record: as the
 * task found it when drawn, or as the record is now (the platform's rating may come after the draw). Grounds (一)(二) are
 * the revisitor's verified finding, which the rule layer admits only for a ticket rated unsatisfied. Refused (422)
 * naming the ground otherwise.
 */
function exemptionFor(task: RevisitTask, ticket: { satisfaction: string | null; reporterAnonymous: boolean }, ground: SkipGround): Finding {
  const rule = GROUND_RULES[ground];
  const satisfaction = ratingOf(ticket.satisfaction);
  const found =
    ground === 'anonymous'
      ? [...(task.exemptions as unknown as Finding[]), ...revisitExemptions({ satisfaction, reporterAnonymous: ticket.reporterAnonymous, assessment: {} })]
      : revisitExemptions({
          satisfaction,
          reporterAnonymous: false,
          assessment: ground === 'policy-explained' ? { dissatisfiedWithPolicy: true, policyExplained: true } : { demandUnreasonable: true },
        });
  const exemption = found.find((f) => f.rule === rule);
  if (exemption) return exemption;
  const violation: Violation = {
    rule: 'revisit.skip.ground',
    article: ground === 'anonymous' ? '第十九条(三)' : ground === 'policy-explained' ? '第十九条(一)' : '第十九条(二)',
    reason:
      ground === 'anonymous'
        ? '仅对匿名反映且评价为不满意的工单，可以匿名为由不进行回访（第十九条(三)）'
        : `第十九条仅适用于不满意工单；本工单${satisfaction ? `评价为“${SATISFACTION_NAMES[satisfaction]}”` : '尚无评价'}，须进行回访`,
    field: 'ground',
  };
  throw new DecisionRefused('rule', `the ground "${ground}" of 第十九条 does not apply to this ticket`, [violation]);
}

// ---------------------------------------------------------------------------------------------------------------
// The router
// ---------------------------------------------------------------------------------------------------------------

export function revisitsRouter({ db, tickets, client }: RevisitsRouterDeps): Router {
  const router = Router();

  /** The task the caller may see, or 404 (another unit's task is not leaked). */
  async function visibleTask(p: Principal, req: Request): Promise<RevisitTask> {
    const { id } = taskParams.parse(req.params);
    const task = await db.revisitTask.findFirst({ where: { AND: [{ id: BigInt(id) }, visibleTasks(p)] } });
    if (!task) throw new NotFound(`revisit task ${id}`);
    return task;
  }

  /**
   * The ticket's latest revisit as its workflow has it: its number among the ticket's revisits and the reopen it
   * proposes (rules/revisit.ts reopenReasons, computed by the workflow).
   */
  async function latestRevisit(ticketNo: string): Promise<{ revisitNo: number; suggestion: Finding[] }> {
    const state = await client.workflow.getHandle(ticketNo).query(m.getStateQuery);
    return { revisitNo: state.revisits.length, suggestion: state.revisits.at(-1)?.suggestion ?? [] };
  }

  router.get('/revisits', requireRole('revisitor', 'supervisor', 'admin'), async (req: Request, res: Response) => {
    const p = principalOf(req);
    const q = revisitListQuery.parse(req.query);
    const where: Prisma.RevisitTaskWhereInput[] = [visibleTasks(p)];
    if (q.status) where.push({ status: { in: q.status } });
    if (q.unit) where.push({ unitId: { in: q.unit } });
    if (q.cursor) where.push({ id: { gt: decodeIdCursor(q.cursor) } });
    const rows = await db.revisitTask.findMany({ where: { AND: where }, orderBy: { id: 'asc' }, take: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    res.json({ items: page.map(revisitTaskView), nextCursor: rows.length > q.limit && last ? encodeIdCursor(last.id) : null });
  });

  router.post('/revisits/:id/skip', requireRole('revisitor'), async (req: Request, res: Response) => {
    const p = principalOf(req);
    taskParams.parse(req.params);
    const body = skipBody.parse(req.body);
    const task = await visibleTask(p, req);
    refuseOtherSampler(p, task);
    refuseUnlessOpen(task);
    const ticket = await db.ticket.findUniqueOrThrow({ where: { ticketNo: task.ticketNo }, select: { satisfaction: true, reporterAnonymous: true } });
    const exemption = exemptionFor(task, ticket, body.ground);
    // On the ticket's audit trail too (and checked like every note for the reporter's identity).
    await tickets.note(p, task.ticketNo, `不予回访（${exemption.article}）：${body.note}`);
    const stored: StoredResult = { skip: { exemption, note: body.note } };
    const done = await db.revisitTask.updateMany({
      where: { id: task.id, status: 'open' },
      data: { status: 'skipped', skipGround: body.ground, result: stored as unknown as Prisma.InputJsonValue, decidedBy: p.userId, decidedAt: new Date() },
    });
    if (done.count === 0) throw stateConflict('该回访任务已由他人处理', 'revisit-task.state');
    res.json(revisitTaskView(await db.revisitTask.findUniqueOrThrow({ where: { id: task.id } })));
  });

  router.post('/revisits/:id/result', requireRole('revisitor'), async (req: Request, res: Response) => {
    const p = principalOf(req);
    taskParams.parse(req.params);
    const body = resultBody.parse(req.body);
    const task = await visibleTask(p, req);
    refuseOtherSampler(p, task);
    refuseUnlessOpen(task);
    const command: m.RevisitCommand = { by: p.userId, unitId: p.unitId, orderedBy: orderedByOf(task), ...body };
    await tickets.decide(p, task.ticketNo, m.revisitUpdate, command);
    // Done as soon as the workflow has the revisit, so a retry cannot record it twice; then the proposal it made.
    const stored: StoredResult = { ...body, by: p.userId, at: new Date().toISOString() };
    await db.revisitTask.updateMany({ where: { id: task.id, status: 'open' }, data: { status: 'done', result: stored as unknown as Prisma.InputJsonValue } });
    const latest = await latestRevisit(task.ticketNo);
    await db.revisitTask.update({
      where: { id: task.id },
      data: { result: { ...stored, revisitNo: latest.revisitNo } as unknown as Prisma.InputJsonValue, suggestion: latest.suggestion as unknown as Prisma.InputJsonValue },
    });
    res.json(revisitTaskView(await db.revisitTask.findUniqueOrThrow({ where: { id: task.id } })));
  });

  router.post('/revisits/:id/suggestion', requireRole('revisitor'), async (req: Request, res: Response) => {
    const p = principalOf(req);
    taskParams.parse(req.params);
    const body = suggestionBody.parse(req.body);
    const task = await visibleTask(p, req);
    refuseOtherSampler(p, task);
    const suggestion = (task.suggestion as unknown as Finding[] | null) ?? [];
    if (task.status !== 'done' || suggestion.length === 0) throw stateConflict('该回访未提出重新办理建议', 'revisit-task.suggestion.none');
    if (task.suggestionDecision) throw stateConflict('该重新办理建议已有决定', 'revisit-task.suggestion.decided');
    // The workflow decides the proposal of the ticket's latest revisit: this task's must still be that one.
    const revisitNo = (task.result as { revisitNo?: number } | null)?.revisitNo;
    if (revisitNo !== undefined && (await latestRevisit(task.ticketNo)).revisitNo !== revisitNo)
      throw stateConflict('该工单此后已有新的回访，本次回访的重新办理建议已被取代', 'revisit-task.suggestion.superseded');
    const command: m.ReopenSuggestionDecisionCommand = { by: p.userId, unitId: p.unitId, confirmed: body.confirmed, note: body.note };
    await tickets.decide(p, task.ticketNo, m.decideReopenSuggestionUpdate, command);
    await db.revisitTask.updateMany({
      where: { id: task.id, suggestionDecision: null },
      data: { suggestionDecision: body.confirmed ? 'confirmed' : 'dismissed', decidedBy: p.userId, decidedAt: new Date() },
    });
    res.json(revisitTaskView(await db.revisitTask.findUniqueOrThrow({ where: { id: task.id } })));
  });

  return router;
}
