/**
 * Ticket service: what the API does with a parsed request. Starts and drives ticket workflows, reads the read model.
 */
import { createHash } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes, type UpdateDefinition } from '@temporalio/common';
import type { Db } from '../lib/db';
import type { Ticket, TicketEvent as TicketEventRow, Unit } from '../generated/prisma/client';
import { ticketSummary } from './ticket-queries';
import { maskPhoneNumbers } from '../lib/pii';
import { acceptanceDueAt } from '../rules/acceptance';
import type { Parameters } from '../rules/parameters';
import type { Violation } from '../rules/types';
import {
  noteSignal,
  getStateQuery,
  STATE_CONFLICT,
  type RefusalDetails,
  type TicketInput,
  type TicketState,
} from '../workflows/messages';
import { AcceptDueAt, Category, Channel, HandlingUnit, TicketStatus } from '../workflows/search-attributes';
import type { Dispatch } from './schemas';
import { canSeeTicket, type Principal } from './auth';
import { BadRequest, DecisionRefused, DispatchConflict, NotFound } from './errors';

export interface TicketServiceDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  /** The regulation's parameters with the deployment's overrides: the worker computes with the same (第八条(一) 3 h). */
  params?: Parameters;
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

function workflowInput(d: Dispatch): TicketInput {
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
  };
}

export type DispatchResult = { created: boolean; ticket: TicketView };

type TicketRow = Ticket & { unit: Pick<Unit, 'name'> | null; events: TicketEventRow[] };

/** A ticket as its unit's staff see it: the list's summary, the reporter and text, every deadline, the lifecycle, events. */
function ticketView(row: TicketRow) {
  return {
    ...ticketSummary(row),
    unit: { id: row.unitId, name: row.unit?.name ?? null },
    reporter: row.reporterAnonymous ? { anonymous: true } : { anonymous: false, name: row.reporterName, phone: row.reporterPhone },
    content: row.content,
    dispatchedToUnitAt: row.dispatchedToUnitAt.toISOString(),
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
    handlingOverdue: row.handlingOverdue,
    sensitive: row.sensitive,
    mediation: row.mediation,
    departments: row.departments,
    extensionStatus: row.extensionStatus,
    reply: row.replyText === null ? null : { text: row.replyText, draftedBy: row.replyDraftedBy, reviewedBy: row.replyReviewedBy },
    platformReceipt: row.platformReceipt,
    closedWithoutContact: row.closedWithoutContact,
    reopenCount: row.reopenCount,
    closedAt: iso(row.closedAt),
    events: row.events.map((e) => ({ sequence: e.sequence, type: e.type, actor: e.actor, at: e.at.toISOString(), payload: e.payload })),
  };
}
export type TicketView = ReturnType<typeof ticketView>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

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
    const d = normalise(raw);
    const unit = await db.unit.findUnique({ where: { id: d.unitId } });
    if (!unit || !unit.active) {
      throw new BadRequest('the request is invalid', [{ field: 'unitId', message: `unknown handling unit "${d.unitId}" (第五条)` }]);
    }
    const fingerprint = createHash('sha256').update(canonical(d)).digest('hex');
    const inserted = await db.ticketIntake.createMany({ data: [{ ticketNo: d.ticketNo, fingerprint, payload: d }], skipDuplicates: true });
    if (inserted.count === 0) {
      const existing = await db.ticketIntake.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } });
      if (existing.fingerprint !== fingerprint) {
        const before = existing.payload as Record<string, unknown>;
        const differing = Object.keys(d).filter((k) => canonical(before[k]) !== canonical((d as Record<string, unknown>)[k]));
        throw new DispatchConflict(d.ticketNo, differing);
      }
    }
    // Started also for a repeated dispatch, in case the first attempt stored the intake but failed before starting.
    await this.startWorkflow(d);
    return { created: inserted.count === 1, ticket: await this.view(d.ticketNo) };
  }

  private async startWorkflow(d: Dispatch): Promise<void> {
    const input = workflowInput(d);
    try {
      await this.temporal(() => this.deps.client.workflow.start('ticketWorkflow', {
        workflowId: d.ticketNo,
        taskQueue: this.deps.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // The subject shows in the UI; numbers in it are masked. The reporter never travels with the workflow.
        memo: { subject: maskPhoneNumbers(d.subject) },
        typedSearchAttributes: new TypedSearchAttributes([
          { key: TicketStatus, value: 'dispatched' },
          { key: HandlingUnit, value: d.unitId },
          { key: Channel, value: d.channel },
          { key: Category, value: d.category },
          { key: AcceptDueAt, value: acceptanceDueAt(new Date(d.dispatchedToUnitAt), this.deps.params) },
        ]),
      }));
    } catch (err) {
      // A closed workflow with this id: the ticket exists and has moved on.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /**
   * A decision of the lifecycle (api/decisions.ts) by `principal` on a ticket its unit may see: the workflow's
   * validator applies the rule layer; a refusal comes back with its rule and article and changes nothing.
   */
  async decide<C>(principal: Principal, ticketNo: string, update: UpdateDefinition<TicketState, [C]>, command: C): Promise<TicketView> {
    await this.requireVisible(principal, ticketNo);
    await this.refuseReporterIdentity(ticketNo, command);
    try {
      await this.temporal(() => this.deps.client.workflow.getHandle(ticketNo).executeUpdate(update, { args: [command] }));
    } catch (err) {
      throw this.refusal(err, update.name);
    }
    return this.view(ticketNo);
  }

  /** A note on the ticket (a Signal). */
  async note(principal: Principal, ticketNo: string, text: string): Promise<void> {
    await this.requireVisible(principal, ticketNo);
    await this.refuseReporterIdentity(ticketNo, { text });
    try {
      await this.temporal(() => this.deps.client.workflow.getHandle(ticketNo).signal(noteSignal, { by: principal.userId, text }));
    } catch (err) {
      throw this.refusal(err, 'note');
    }
  }

  async get(principal: Principal, ticketNo: string): Promise<TicketView> {
    await this.requireVisible(principal, ticketNo);
    return this.view(ticketNo);
  }

  /** The unit holding the ticket now (the read model), or the unit it was dispatched to (the intake). */
  private async unitOf(ticketNo: string): Promise<string | null> {
    const row = await this.deps.db.ticket.findUnique({ where: { ticketNo }, select: { unitId: true } });
    if (row) return row.unitId;
    const intake = await this.deps.db.ticketIntake.findUnique({ where: { ticketNo } });
    return intake ? (intake.payload as { unitId: string }).unitId : null;
  }

  /** 404 for a ticket that does not exist or that the caller's unit may not see: its existence is not leaked. */
  async requireVisible(principal: Principal, ticketNo: string): Promise<void> {
    const unit = await this.unitOf(ticketNo);
    if (unit === null || !canSeeTicket(principal, unit)) throw new NotFound(`ticket ${ticketNo}`);
  }

  /**
   * Every decision and note enters the workflow's history, which must never hold the reporter's name or number
   * (README, "Reporters' personal data"); a reply also goes to the platform. Text quoting them is refused, naming the
   * field.
   */
  private async refuseReporterIdentity(ticketNo: string, command: unknown): Promise<void> {
    const row = await this.deps.db.ticket.findUnique({ where: { ticketNo }, select: { reporterName: true, reporterPhone: true } });
    if (!row?.reporterName && !row?.reporterPhone) return;
    const phone = row.reporterPhone?.replace(/[\s-]/g, '');
    const name = row.reporterName && row.reporterName.length >= 2 ? row.reporterName : undefined;
    const fields: string[] = [];
    const walk = (value: unknown, path: string[]) => {
      if (typeof value === 'string') {
        if ((phone && value.replace(/[\s-]/g, '').includes(phone)) || (name && value.includes(name))) fields.push(path.join('.'));
      } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, String(i)]));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    };
    walk(command, []);
    if (fields.length > 0)
      throw new DecisionRefused(
        'rule',
        "the text quotes the reporter's name or phone number",
        fields.map((field) => ({ rule: 'privacy.reporter-identity', article: '第十六条', reason: '不得在工单办理记录和答复中写入反映人姓名或联系电话（记录将长期留存，答复将提交平台）', field })),
      );
  }

  /** Maps a failed Update to the refusal it carries. */
  private refusal(err: unknown, decision: string): Error {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const details = (err.cause.details?.[0] ?? { violations: [] }) as RefusalDetails;
      const violations: Violation[] = details.violations ?? [];
      return new DecisionRefused(err.cause.type === STATE_CONFLICT ? 'state' : 'rule', err.cause.message, violations);
    }
    if (err instanceof WorkflowNotFoundError || (err instanceof Error && /already completed|not found/i.test(err.message))) {
      return new DecisionRefused('state', `the ticket no longer accepts the decision "${decision}"`, [
        { rule: `${decision}.state`, article: '第八条', reason: `工单当前状态不允许此操作（${decision}）` },
      ]);
    }
    return err as Error;
  }

  /** The ticket as the read model has it, or — in the instant before its workflow first persisted it — as the workflow has it. */
  async view(ticketNo: string): Promise<TicketView> {
    const { db } = this.deps;
    const row = await db.ticket.findUnique({ where: { ticketNo }, include: { unit: true, events: { orderBy: { sequence: 'asc' } } } });
    if (row) return ticketView(row);
    // The instant between the dispatch and the workflow's first activity: the intake, as the workflow sees it.
    const intake = await db.ticketIntake.findUniqueOrThrow({ where: { ticketNo } });
    const d = intake.payload as unknown as Dispatch;
    const state = await this.temporal(() => this.deps.client.workflow.getHandle(ticketNo).query(getStateQuery)).catch(() => null);
    const at = (iso: string | null | undefined) => (iso ? new Date(iso) : null);
    return ticketView({
      ticketNo,
      channel: d.channel,
      category: d.category,
      urgency: d.urgency,
      labels: d.labels,
      unitId: d.unitId,
      unit: await db.unit.findUnique({ where: { id: d.unitId }, select: { name: true } }),
      status: state?.status ?? 'dispatched',
      reporterAnonymous: d.reporter.anonymous,
      reporterName: d.reporter.anonymous ? null : d.reporter.name,
      reporterPhone: d.reporter.anonymous ? null : d.reporter.phone,
      subject: d.subject,
      content: d.content,
      dispatchedAt: new Date(d.dispatchedAt),
      dispatchedToUnitAt: new Date(d.dispatchedToUnitAt),
      acceptDueAt: at(state?.deadlines.acceptDueAt) ?? acceptanceDueAt(new Date(d.dispatchedToUnitAt), this.deps.params),
      acceptedAt: at(state?.acceptedAt),
      acceptedBy: state?.acceptedBy ?? null,
      acceptOverdue: state?.acceptOverdue ?? false,
      returnWindowEndsAt: at(state?.deadlines.returnWindowEndsAt),
      dueAt: at(state?.deadlines.dueAt),
      remindAt: at(state?.deadlines.remindAt),
      nearDeadlineAt: at(state?.deadlines.nearDeadlineAt),
      slaDescription: state?.deadlines.sla?.description ?? null,
      deadlinesProvisional: state?.deadlines.provisional ?? false,
      reminded: false,
      handlingOverdue: false,
      sensitive: false,
      mediation: false,
      supervised: false,
      departments: [],
      extensionStatus: null,
      replyText: null,
      replyDraftedBy: null,
      replyReviewedBy: null,
      platformReceipt: null,
      closedWithoutContact: false,
      reopenCount: 0,
      closedAt: null,
      createdAt: intake.receivedAt,
      updatedAt: intake.receivedAt,
      events: [],
    });
  }
}
