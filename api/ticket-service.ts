/**
 * Ticket service: what the API does with a parsed request. Starts and drives ticket workflows, reads the read model.
 */
import { createHash } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  ServiceError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Db } from '../lib/db';
import type { Prisma, Ticket, TicketEvent as TicketEventRow, TicketNote, Unit } from '../generated/prisma/client';
import { planTicketDeadlines } from '../activities/deadlines';
import { loadCalendar } from '../lib/calendar-store';
import { intakeColumns } from '../lib/intake';
import { LOCAL_DEVELOPMENT_REPORTER_KEY_SECRET } from '../lib/config';
import { reporterKey } from '../lib/reporter-key';
import { maskPhoneNumbers } from '../lib/pii';
import { checkDispatchTimes } from '../rules/dispatch';
import { DEFAULT_PARAMETERS, type Parameters } from '../rules/parameters';
import { checkNoReporterIdentity } from '../rules/privacy';
import { SERVICE_DIVISION_UNIT } from '../rules/lifecycle';
import { complaintKeywords } from '../rules/reply';
import { isManagementMisconduct } from '../rules/supervision';
import type { Violation } from '../rules/types';
import { ratingUpdate, relatedUpdate, STATE_CONFLICT, type CaseResult, type DecisionResult, type RefusalDetails, type RelatedTicket, type TicketDeadlines, type TicketInput } from '../workflows/messages';
import { ticketWorkflow } from '../workflows/ticket';
import type { Dispatch } from './schemas';
import { canSeeTicket, type Principal } from './auth';
import { linkAtIntake, RELATED_INCLUDE, relatedOfRow, relatedRows, relatedTicketsOf, satisfactionOf, type LinkedRows } from './related';
import { BadRequest, DecisionRefused, DispatchConflict, DomainError, NotFound, Unavailable, unavailableReason } from './errors';
import { checkTemporal } from './health';

export interface TicketServiceDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  /** The regulation's parameters with the deployment's overrides: the worker computes with the same. */
  params?: Parameters;
  /** Writes (decisions and notes) one user may make on one ticket in an hour: a flood cannot bloat a ticket. */
  ticketWritesPerUserPerHour?: number;
  /** Continue-as-new past this many history events (TICKET_HISTORY_EVENTS_LIMIT); the workflow's default otherwise. */
  historyEventsLimit?: number;
  /** The clock the dispatch times are checked against (Temporal's own time in time-skipping tests). */
  now?: () => Promise<number> | number;
  /**
   * REPORTER_KEY_SECRET: the HMAC key of the reporter key (lib/reporter-key.ts) that finds the same reporter's tickets
   * (第二十二条(二)); the local development key when absent, which production refuses.
   */
  reporterKeySecret?: string;
}

/** JSON with sorted keys, so equal dispatches have equal fingerprints. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A dispatch with its instants in UTC, so the same instant written with another offset is the same dispatch. */
function normalise(d: Dispatch): Dispatch {
  return { ...d, dispatchedAt: new Date(d.dispatchedAt).toISOString(), dispatchedToUnitAt: new Date(d.dispatchedToUnitAt).toISOString() };
}

/**
 * The workflow's input: the dispatch without the reporter or the complaint text, with the related tickets found at
 * intake (第二十二条(二)) and whether the complaint reports the management department's own misconduct (第二十二条(五)).
 */
function workflowInput(d: Dispatch, relatedReports: RelatedTicket[]): TicketInput {
  return {
    ticketNo: d.ticketNo,
    channel: d.channel,
    category: d.category as TicketInput['category'],
    urgency: d.urgency,
    labels: d.labels,
    unitId: d.unitId,
    dispatchedAt: d.dispatchedAt,
    dispatchedToUnitAt: d.dispatchedToUnitAt,
    reporterAnonymous: d.reporter.anonymous,
    ...(d.notReturnable !== undefined ? { notReturnable: d.notReturnable } : {}),
    // 第十六条(二): the off-topic check runs in the workflow on keywords, never on the complaint or the reporter.
    complaintKeywords: complaintKeywords(d.content, d.reporter.anonymous ? {} : { name: d.reporter.name, phone: d.reporter.phone }),
    // 第二十二条(二): numbers, dispatch times and ratings only.
    relatedReports,
    // 第二十二条(五): judged here on the subject and the complaint, which stay out of the workflow.
    managementMisconductReported: isManagementMisconduct({ content: `${d.subject}。${d.content}`, flags: {} }),
    // 第九条、第二十八条(六): the platform's co-handling units and their demands.
    ...(d.parts && d.parts.length > 0 ? { parts: d.parts } : {}),
  };
}

export type DispatchResult = { created: boolean; ticket: TicketView & { events: AuditEntry[] } };

/** A read-model row with its unit's name and, when loaded (RELATED_INCLUDE), its links in both directions. */
type TicketRow = Ticket & { unit: Pick<Unit, 'name'> | null } & Partial<LinkedRows>;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A ticket as its unit's staff see it, in the list and in the detail alike: the one mapping from a read-model row. */
/** What a ticket's view reads with its row: the unit's name, the trail, the notes and the links both ways. */
const VIEW_INCLUDE = { unit: { select: { name: true } }, events: { orderBy: { sequence: 'asc' } }, notes: { orderBy: { at: 'asc' } }, ...RELATED_INCLUDE } satisfies Prisma.TicketInclude;

/** A ticket loaded with VIEW_INCLUDE, as the API shows it. */
function viewOf(row: Prisma.TicketGetPayload<{ include: typeof VIEW_INCLUDE }>) {
  return { ...ticketView(row), events: auditTrail(row.events, row.notes) };
}

export function ticketView(row: TicketRow) {
  return {
    ticketNo: row.ticketNo,
    status: row.status,
    workflowStatus: row.workflowStatus,
    channel: row.channel,
    category: row.category,
    urgency: row.urgency,
    labels: row.labels,
    unitId: row.unitId,
    unit: { id: row.unitId, name: row.unit?.name ?? null },
    subject: row.subject,
    reporter: row.reporterAnonymous ? { anonymous: true } : { anonymous: false, name: row.reporterName, phone: row.reporterPhone },
    content: row.content,
    dispatchedAt: row.dispatchedAt.toISOString(),
    dispatchedToUnitAt: row.dispatchedToUnitAt.toISOString(),
    notReturnable: row.notReturnable,
    acceptDueAt: row.acceptDueAt.toISOString(),
    dueAt: iso(row.dueAt),
    deadlines: {
      acceptDueAt: row.acceptDueAt.toISOString(),
      returnWindowEndsAt: iso(row.returnWindowEndsAt),
      dueAt: iso(row.dueAt),
      remindAt: iso(row.remindAt),
      nearDeadlineAt: iso(row.nearDeadlineAt),
      sla: row.slaDescription,
      provisional: row.deadlinesProvisional,
    },
    acceptedAt: iso(row.acceptedAt),
    acceptedBy: row.acceptedBy,
    acceptOverdue: row.acceptOverdue,
    reminded: row.reminded,
    overdue: row.handlingOverdue,
    handlingOverdue: row.handlingOverdue,
    supervised: row.supervised,
    supervisionEscalated: row.supervisionEscalated,
    sensitive: row.sensitive,
    mediation: row.mediation,
    departments: row.departments,
    extensionStatus: row.extensionStatus,
    reply: row.replyText === null ? null : { text: row.replyText, draftedBy: row.replyDraftedBy, reviewedBy: row.replyReviewedBy },
    platformReceipt: row.platformReceipt,
    closedWithoutContact: row.closedWithoutContact,
    reopenCount: row.reopenCount,
    rounds: row.rounds,
    involvedUnits: row.involvedUnits,
    parts: row.parts,
    closedAt: iso(row.closedAt),
    problem: row.problem,
    /** 第二十二条(二): the related tickets, both directions, unlinked ones left out (empty when the links were not loaded). */
    related: relatedRows({ links: row.links ?? [], linkedFrom: row.linkedFrom ?? [] }).map(({ source, ticket }) => ({
      ticketNo: ticket.ticketNo,
      source,
      dispatchedAt: ticket.dispatchedAt.toISOString(),
      status: ticket.status,
      satisfaction: satisfactionOf(ticket.satisfaction),
    })),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type TicketView = ReturnType<typeof ticketView>;

/** The detail adds the audit trail: the workflow's events and the notes, in time order. */
function auditTrail(events: TicketEventRow[], notes: TicketNote[]) {
  return [
    ...events.map((e) => ({ sequence: e.sequence as number | null, type: e.type, actor: e.actor, at: e.at.toISOString(), payload: e.payload })),
    ...notes.map((n) => ({ sequence: null, type: 'note', actor: n.by, at: n.at.toISOString(), payload: { text: n.text } })),
  ].sort((a, b) => a.at.localeCompare(b.at) || (a.sequence ?? Infinity) - (b.sequence ?? Infinity));
}
export type AuditEntry = ReturnType<typeof auditTrail>[number];

/** The intake transaction waits up to 15 s for a connection and may run 30 s (a burst of dispatches on a loaded machine). */
const INTAKE_TRANSACTION = { maxWait: 15_000, timeout: 30_000 };

/** How long a request waits for Temporal before answering 503 (the SDK would otherwise retry for a long time). */
export const TEMPORAL_CALL_MS = 10_000;

export class TicketService {
  constructor(private readonly deps: TicketServiceDeps) {}

  /** A Temporal call bounded by TEMPORAL_CALL_MS. */
  private temporal<T>(fn: () => Promise<T>): Promise<T> {
    return this.deps.client.connection.withDeadline(Date.now() + TEMPORAL_CALL_MS, fn);
  }

  /**
   * Receives a dispatch from the hotline platform. The intake (with the reporter) is stored first, then the workflow
   * is started with the ticket number as its id. A repeated identical dispatch changes nothing and says so; the same
   * number with different content is a conflict.
   */
  async dispatch(raw: Dispatch): Promise<DispatchResult> {
    const { db } = this.deps;
    const params = this.deps.params ?? DEFAULT_PARAMETERS;
    const d = normalise(raw);
    // The lead unit and the co-handling units in one query (a burst of dispatches waits for pool connections).
    const partUnits = (d.parts ?? []).map((p) => p.unitId);
    const units = await db.unit.findMany({ where: { id: { in: [d.unitId, ...partUnits] } } });
    const unit = units.find((u) => u.id === d.unitId);
    if (!unit || !unit.active || unit.parentId !== null) {
      throw new BadRequest('the request is invalid', [{ field: 'unitId', message: `unknown handling unit "${d.unitId}" (第五条)` }]);
    }
    // 第九条: the co-handling units are known handling units other than the lead.
    const known = new Set(units.filter((u) => u.active && u.parentId === null).map((u) => u.id));
    const badParts = partUnits.flatMap((id, i) => (known.has(id) && id !== d.unitId && id !== SERVICE_DIVISION_UNIT ? [] : [{ field: `parts.${i}.unitId`, message: `"${id}" is not a co-handling unit other than the lead unit (第九条)` }]));
    if (badParts.length > 0) throw new BadRequest('the request is invalid', badParts);
    const times = checkDispatchTimes({ dispatchedAt: new Date(d.dispatchedAt), dispatchedToUnitAt: new Date(d.dispatchedToUnitAt) }, new Date(await (this.deps.now ?? Date.now)()), params);
    if (!times.ok) throw new BadRequest('the request is invalid', times.violations.map((v) => ({ field: v.field ?? '(body)', message: `${v.reason}（${v.article}）` })));
    const fingerprint = createHash('sha256').update(canonical(d)).digest('hex');
    // 第二十二条(二): the reporter is matched by a keyed hash of the number; the number stays in the intake columns.
    const key = d.reporter.anonymous ? null : reporterKey(d.reporter.phone, this.reporterKeySecret());
    // The first read-model row and the dispatch event are written with the intake: the answer has the deadlines at
    // once, planned by the same function and calendar the workflow uses.
    const deadlines = planTicketDeadlines(await loadCalendar(db), params, {
      channel: d.channel,
      category: d.category as TicketInput['category'],
      urgency: d.urgency,
      clockStartsAt: d.dispatchedAt,
      dispatchedToUnitAt: d.dispatchedToUnitAt,
    });
    // The answer comes from the intake transaction itself: its last read is the new ticket as the view shows it.
    const intake = await db.$transaction(async (tx) => {
      const inserted = await tx.ticketIntake.createMany({ data: [{ ticketNo: d.ticketNo, fingerprint, payload: d }], skipDuplicates: true });
      if (inserted.count === 0) return null;
      await tx.ticket.create({
        data: {
          ...intakeColumns(d),
          involvedUnits: [d.unitId, ...partUnits],
          notReturnable: d.notReturnable ?? false,
          status: 'dispatched',
          acceptDueAt: new Date(deadlines.acceptDueAt),
          returnWindowEndsAt: new Date(deadlines.returnWindowEndsAt!),
          dueAt: new Date(deadlines.dueAt!),
          remindAt: new Date(deadlines.remindAt!),
          nearDeadlineAt: new Date(deadlines.nearDeadlineAt!),
          slaDescription: deadlines.sla?.description ?? null,
          deadlinesProvisional: deadlines.provisional,
          reporterKey: key,
        },
      });
      await linkAtIntake(tx, { ticketNo: d.ticketNo, reporterKey: key, unitId: d.unitId, category: d.category, dispatchedAt: new Date(d.dispatchedAt), named: d.relatedTicketNos ?? [] }, params);
      await tx.ticketEvent.create({ data: { ticketNo: d.ticketNo, sequence: 1, type: 'dispatched', actor: 'platform', at: new Date(d.dispatchedToUnitAt), payload: { sla: deadlines.sla } } });
      return tx.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo }, include: VIEW_INCLUDE });
      // A burst of dispatches waits for a connection of the pool rather than failing after Prisma's default 2 s.
    }, INTAKE_TRANSACTION);
    const created = intake !== null;
    if (!created) {
      const existing = await db.ticketIntake.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } });
      if (existing.fingerprint !== fingerprint) {
        const before = existing.payload as Record<string, unknown>;
        const differing = Object.keys(d).filter((k) => canonical(before[k]) !== canonical((d as Record<string, unknown>)[k]));
        throw new DispatchConflict(d.ticketNo, differing);
      }
    }
    // Started also for a repeated dispatch, in case the first attempt stored the intake but failed before starting.
    await this.startWorkflow(d, deadlines, intake ? relatedOfRow(intake) : await relatedTicketsOf(db, d.ticketNo));
    return { created, ticket: intake ? viewOf(intake) : await this.view(d.ticketNo) };
  }

  /** The reporter key's secret; the local development one only outside production. */
  private reporterKeySecret(): string {
    if (this.deps.reporterKeySecret) return this.deps.reporterKeySecret;
    if (process.env.NODE_ENV === 'production') throw new Error('REPORTER_KEY_SECRET must reach the ticket service in production (reporterKeySecret)');
    return LOCAL_DEVELOPMENT_REPORTER_KEY_SECRET;
  }

  private async startWorkflow(d: Dispatch, deadlines: TicketDeadlines, related: RelatedTicket[]): Promise<void> {
    try {
      await this.temporal(() =>
        this.deps.client.workflow.start(ticketWorkflow, {
          workflowId: d.ticketNo,
          taskQueue: this.deps.taskQueue,
          args: [{ ...workflowInput(d, related), deadlines, ...(this.deps.historyEventsLimit ? { historyEventsLimit: this.deps.historyEventsLimit } : {}) }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          // The subject shows in the UI; numbers in it are masked. The reporter never travels with the workflow.
          memo: { subject: maskPhoneNumbers(d.subject) },
        }),
      );
    } catch (err) {
      // A closed workflow with this id: the ticket exists and has moved on.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /**
   * A decision of the lifecycle (api/decisions.ts) by `principal` on a ticket its unit may see: the workflow's
   * validator applies the rule layer; a refusal comes back with its rule and article and changes nothing.
   */
  async decide<C>(
    principal: Principal,
    ticketNo: string,
    update: UpdateDefinition<DecisionResult | CaseResult, [C]>,
    command: C,
    {
      references = {},
      target,
      idempotencyKey,
    }: {
      references?: { units?: string[]; departments?: string[] };
      target?: 'open-case';
      /** The request's Idempotency-Key: a retry is the same Update (Temporal answers it once), not a second decision. */
      idempotencyKey?: string;
    } = {},
  ): Promise<TicketView & { events: AuditEntry[] }> {
    const unitId = await this.requireVisible(principal, ticketNo);
    await this.refuseUnknownReferences(unitId, references);
    await this.refuseReporterIdentity(ticketNo, command);
    await this.limitWrites(principal, ticketNo);
    const workflowId = target === 'open-case' ? await this.openCaseOf(ticketNo) : ticketNo;
    try {
      const updateId = idempotencyKey ? `idem-${createHash('sha256').update(`${principal.userId}\u0000${idempotencyKey}`).digest('hex').slice(0, 40)}` : undefined;
      await this.temporal(() => this.deps.client.workflow.getHandle(workflowId).executeUpdate(update, { args: [command], ...(updateId ? { updateId } : {}) }));
    } catch (err) {
      throw await this.refusal(err, ticketNo, update.name);
    }
    if (update.name === ratingUpdate.name) await this.tellRelated(ticketNo);
    return this.view(ticketNo);
  }

  /**
   * 第二十二条(二): a rating changes what the open tickets related to this one know of it; each is sent its related list
   * as it now is, so a repeated report whose earlier result was rated unsatisfied goes under supervision by itself.
   */
  private async tellRelated(ticketNo: string): Promise<void> {
    const { db, client } = this.deps;
    const linked = await db.ticketLink.findMany({ where: { removedAt: null, OR: [{ ticketNo }, { relatedNo: ticketNo }] }, select: { ticketNo: true, relatedNo: true } });
    const others = [...new Set(linked.map((l) => (l.ticketNo === ticketNo ? l.relatedNo : l.ticketNo)))];
    const open = await db.ticket.findMany({ where: { ticketNo: { in: others }, status: { notIn: ['withdrawn'] }, workflowStatus: 'running' }, select: { ticketNo: true } });
    for (const { ticketNo: other } of open) {
      const related = await relatedTicketsOf(db, other);
      await this.temporal(() => client.workflow.getHandle(other).executeUpdate(relatedUpdate, { args: [{ by: 'system', related }] })).catch(() => undefined);
    }
  }

  /** 第二十三条: the ticket's supervision case not yet closed (its own workflow), or a 409 when there is none. */
  private async openCaseOf(ticketNo: string): Promise<string> {
    const open = await this.deps.db.supervisionCase.findFirst({ where: { ticketNo, status: { not: 'closed' } }, orderBy: { openedAt: 'desc' }, select: { id: true } });
    if (!open) throw new DecisionRefused('state', 'the ticket has no open supervision case', [{ rule: 'supervision-answer.state', article: '第二十三条', reason: '没有待答复的督办事项' }]);
    return open.id;
  }

  /** A note on the ticket: it changes no decision, so it goes to the audit trail directly, not into the workflow. */
  async note(principal: Principal, ticketNo: string, text: string): Promise<void> {
    await this.requireVisible(principal, ticketNo);
    await this.refuseReporterIdentity(ticketNo, { text });
    await this.limitWrites(principal, ticketNo);
    await this.deps.db.ticketNote.create({ data: { ticketNo, by: principal.userId, text } });
  }

  async get(principal: Principal, ticketNo: string): Promise<TicketView & { events: AuditEntry[] }> {
    await this.requireVisible(principal, ticketNo);
    return this.view(ticketNo);
  }

  /** The audit trail of one ticket: its events and notes, in order. */
  async history(principal: Principal, ticketNo: string): Promise<AuditEntry[]> {
    await this.requireVisible(principal, ticketNo);
    const [events, notes] = await Promise.all([
      this.deps.db.ticketEvent.findMany({ where: { ticketNo }, orderBy: { sequence: 'asc' } }),
      this.deps.db.ticketNote.findMany({ where: { ticketNo }, orderBy: { at: 'asc' } }),
    ]);
    return auditTrail(events, notes);
  }

  /** 404 for a ticket that does not exist or that the caller's unit may not see: its existence is not leaked. */
  async requireVisible(principal: Principal, ticketNo: string): Promise<string> {
    const row = await this.deps.db.ticket.findUnique({ where: { ticketNo }, select: { unitId: true, involvedUnits: true } });
    // 第九条: every unit involved — the lead and each co-handling unit — sees the ticket.
    if (!row || !(canSeeTicket(principal, row.unitId) || row.involvedUnits.includes(principal.unitId))) throw new NotFound(`ticket ${ticketNo}`);
    return row.unitId;
  }

  /**
   * 第五条、第八条: a unit a ticket is sent to must exist, and a handling department must be one of the ticket's unit.
   * Refused here, naming the field, so the workflow never admits a step its activities could not write.
   */
  private async refuseUnknownReferences(ticketUnit: string, refs: { units?: string[]; departments?: string[] }): Promise<void> {
    const errors: { field: string; message: string }[] = [];
    const ids = [...(refs.units ?? []), ...(refs.departments ?? [])];
    if (ids.length === 0) return;
    const known = new Map((await this.deps.db.unit.findMany({ where: { id: { in: ids }, active: true } })).map((u) => [u.id, u]));
    for (const id of refs.units ?? []) if (known.get(id)?.parentId !== null) errors.push({ field: 'unitId', message: `unknown handling unit "${id}" (第五条)` });
    for (const id of refs.departments ?? [])
      if (known.get(id)?.parentId !== ticketUnit) errors.push({ field: 'departmentIds', message: `"${id}" is not a handling department of ${ticketUnit} (第八条)` });
    if (errors.length > 0) throw new BadRequest('the request is invalid', errors);
  }

  /**
   * Every decision and note is kept for years and a reply goes to the platform: text quoting the reporter's name or
   * number is refused, naming the field (rules/privacy.ts, 个人信息保护法).
   */
  private async refuseReporterIdentity(ticketNo: string, command: unknown): Promise<void> {
    const row = await this.deps.db.ticket.findUnique({ where: { ticketNo }, select: { reporterName: true, reporterPhone: true } });
    if (!row?.reporterName && !row?.reporterPhone) return;
    const verdict = checkNoReporterIdentity(command as Record<string, unknown>, { name: row.reporterName, phone: row.reporterPhone });
    if (!verdict.ok) throw new DecisionRefused('rule', "the text quotes the reporter's name or phone number", verdict.violations);
  }

  /** One user's writes on one ticket in the last hour are limited, so no single user can flood a ticket's record. */
  private async limitWrites(principal: Principal, ticketNo: string): Promise<void> {
    const limit = this.deps.ticketWritesPerUserPerHour ?? 120;
    const since = new Date(Date.now() - 3600_000);
    const [events, notes] = await Promise.all([
      this.deps.db.ticketEvent.count({ where: { ticketNo, actor: principal.userId, at: { gte: since } } }),
      this.deps.db.ticketNote.count({ where: { ticketNo, by: principal.userId, at: { gte: since } } }),
    ]);
    if (events + notes >= limit)
      throw new DomainError(429, 'Too Many Requests', `at most ${limit} decisions and notes per user and ticket in an hour; retry later`, { limit });
  }

  /** Maps a failed Update to the refusal it carries; a workflow that ended abnormally is put on the read model. */
  private async refusal(err: unknown, ticketNo: string, decision: string): Promise<Error> {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const details = (err.cause.details?.[0] ?? { violations: [] }) as RefusalDetails;
      const violations: Violation[] = details.violations ?? [];
      return new DecisionRefused(err.cause.type === STATE_CONFLICT ? 'state' : 'rule', err.cause.message, violations);
    }
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      // Temporal itself did not answer (it is down or restarting): say so, not that a worker is missing.
      if (!(await checkTemporal(this.deps.client, this.deps.client.options.namespace, 1000)).ok)
        return new Unavailable(
          `Temporal is unreachable, so the decision "${decision}" is not confirmed; retry with the same Idempotency-Key once it is back, or read the ticket first`,
        );
      // No worker took it in time (one is restarting, or none runs): the decision is not refused, and it may still be
      // applied once a worker runs. A retry with the same Idempotency-Key is the same Update, answered once.
      return new Unavailable(
        `the ticket's workflow did not take the decision "${decision}" in time (is a worker running?); it may still be applied: retry with the same Idempotency-Key, or read the ticket first`,
      );
    }
    if (err instanceof WorkflowNotFoundError || (err instanceof Error && /already completed|not found/i.test(err.message))) {
      const ended = await this.recordAbnormalEnd(ticketNo);
      const reason = ended ? `工单流程已${ended === 'terminated' ? '被终止' : '异常结束'}（${ended}），不能再办理` : `工单当前状态不允许此操作（${decision}）`;
      return new DecisionRefused('state', ended ? `the ticket's workflow ended abnormally (${ended})` : `the ticket no longer accepts the decision "${decision}"`, [
        { rule: ended ? 'workflow.ended' : `${decision}.state`, article: '第八条', reason },
      ]);
    }
    if (err instanceof ServiceError && !unavailableReason(err)) {
      // The server gave the Update up without an outcome (seen when the worker died with it admitted: "Workflow Update
      // failed"): not refused, and not known to be applied. A retry with the same Idempotency-Key is the same Update.
      const code = (err.cause as { code?: unknown } | undefined)?.code;
      return new Unavailable(
        `Temporal gave up the decision "${decision}" without an outcome (${err.message}${code !== undefined ? `, gRPC ${String(code)}` : ''}); retry with the same Idempotency-Key, or read the ticket first`,
      );
    }
    return err as Error;
  }

  /** A workflow terminated, failed or timed out is shown as such in the read model, not as a live ticket. */
  private async recordAbnormalEnd(ticketNo: string): Promise<string | null> {
    const description = await this.temporal(() => this.deps.client.workflow.getHandle(ticketNo).describe()).catch(() => null);
    const status = description?.status.name;
    if (!status || status === 'RUNNING' || status === 'COMPLETED' || status === 'CONTINUED_AS_NEW') return null;
    const ended = status.toLowerCase().replace('_', '-');
    await this.deps.db.ticket.update({ where: { ticketNo }, data: { workflowStatus: ended } });
    return ended;
  }

  /** The ticket as the read model has it, with its audit trail. */
  async view(ticketNo: string): Promise<TicketView & { events: AuditEntry[] }> {
    const { db } = this.deps;
    // One snapshot: Prisma reads the row and its events in separate queries, and between them a step's transaction
    // could commit — a trail showing an event whose row change the view does not (seen under load).
    const row = await db.$transaction((tx) => tx.ticket.findUnique({ where: { ticketNo }, include: VIEW_INCLUDE }), { isolationLevel: 'RepeatableRead' });
    if (!row) throw new NotFound(`ticket ${ticketNo}`);
    return viewOf(row);
  }
}
