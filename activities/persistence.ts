/**
 * Persistence activities: the read model (`Ticket`), the audit trail (`TicketEvent`) and the notification outbox.
 *
 * Idempotent under retries: events are keyed by (ticket, sequence) — the workflow numbers them — and notifications by
 * their idempotency key, so a retried activity writes nothing twice. Inputs carry no personal data: the reporter and
 * the text are read from the intake the API stored.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../lib/db';
import type { TicketDeadlines, TicketInput, TicketStatus, RecipientRole } from '../workflows/messages';
import type { TicketDeadlinesV1 } from '../workflows/legacy/v1-messages';
import type { ReadModelRow } from '../workflows/ticket-derived';
import type { SupervisionCaseState } from '../workflows/messages';
import type { Prisma } from '../generated/prisma/client';
import { dispatchSchema } from '../api/schemas';
import { intakeColumns } from '../lib/intake';

/** One step of the audit trail. `at` is the workflow's time of the step (ISO-8601). */
export interface StepEvent {
  sequence: number;
  type: string;
  /** `platform`, `system`, or the user who decided. */
  actor: string;
  at: string;
  payload?: Record<string, unknown>;
}

export type { RecipientRole };

/** A notification to queue in the outbox. `key` is its idempotency key. */
export interface QueuedNotification {
  key: string;
  kind: string;
  recipientRole: RecipientRole;
  recipientUnit: string;
  payload: Record<string, unknown>;
}

/** Read-model columns a step may change (never personal data). Instants are ISO strings. */
export interface TicketPatch {
  status?: TicketStatus;
  unitId?: string;
  dispatchedToUnitAt?: string;
  acceptDueAt?: string;
  acceptedAt?: string | null;
  acceptedBy?: string | null;
  acceptOverdue?: boolean;
  dueAt?: string | null;
  remindAt?: string | null;
  nearDeadlineAt?: string | null;
  returnWindowEndsAt?: string | null;
  slaDescription?: string | null;
  deadlinesProvisional?: boolean;
  reminded?: boolean;
  handlingOverdue?: boolean;
  sensitive?: boolean;
  mediation?: boolean;
  supervised?: boolean;
  departments?: string[];
  extensionStatus?: string | null;
  replyText?: string | null;
  replyDraftedBy?: string | null;
  replyReviewedBy?: string | null;
  platformReceipt?: string | null;
  closedWithoutContact?: boolean;
  reopenCount?: number;
  closedAt?: string | null;
}

export interface RecordDispatchInput {
  input: TicketInput;
  status: TicketStatus;
  deadlines: TicketDeadlinesV1;
  event: StepEvent;
}

export interface RecordStepInput {
  ticketNo: string;
  patch: TicketPatch;
  event: StepEvent;
  notifications?: QueuedNotification[];
}

export interface RecordStepsInput {
  ticketNo: string;
  /** The read-model row derived from the ticket's state after the step (workflows/ticket-derived.ts readModelOf). */
  row: ReadModelRow;
  events: StepEvent[];
  notifications: QueuedNotification[];
}

/** Prisma's codes of a write the database refuses whatever the retry: a foreign key, a value too long, a bad value. */
const INCURABLE = new Set(['P2000', 'P2003', 'P2006', 'P2007', 'P2011', 'P2012', 'P2013', 'P2023']);

/** A failure no retry can cure fails fast, with its reason, instead of being retried for ever. */
function failFast(err: unknown): never {
  const code = (err as { code?: string }).code;
  if (code && INCURABLE.has(code)) throw ApplicationFailure.nonRetryable(`the database refused the ticket's row (${code}): ${(err as Error).message.split('\n').at(-1)}`, 'IncurableWrite');
  throw err;
}

/** The patch as columns: every `…At` value becomes a Date, the rest is copied as is (also lib/reconcile.ts's repair). */
export function toRow(patch: TicketPatch): Prisma.TicketUpdateInput {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    row[key] = key.endsWith('At') && typeof value === 'string' ? new Date(value) : value;
  }
  return row as Prisma.TicketUpdateInput;
}

/** Queued notifications as outbox rows, keyed by their idempotency key. */
function outboxRows(ticketNo: string, notifications: QueuedNotification[]): Prisma.NotificationCreateManyInput[] {
  return notifications.map((n) => ({
    idempotencyKey: n.key,
    ticketNo,
    kind: n.kind,
    recipientRole: n.recipientRole,
    recipientUnit: n.recipientUnit,
    payload: n.payload as Prisma.InputJsonValue,
  }));
}

function eventRow(ticketNo: string, e: StepEvent): Prisma.TicketEventCreateManyInput {
  return {
    ticketNo,
    sequence: e.sequence,
    type: e.type,
    actor: e.actor,
    at: new Date(e.at),
    payload: (e.payload ?? {}) as Prisma.InputJsonValue,
  };
}

export function createPersistenceActivities(db: Db) {
  /** Creates the read-model row from the intake when the API's intake transaction did not (tickets of older versions). */
  async function ensureRow(ticketNo: string, row: ReadModelRow): Promise<void> {
    if (await db.ticket.findUnique({ where: { ticketNo }, select: { ticketNo: true } })) return;
    const intake = await db.ticketIntake.findUnique({ where: { ticketNo } });
    if (!intake) throw ApplicationFailure.nonRetryable(`no intake stored for ticket ${ticketNo}`, 'IntakeMissing');
    const d = dispatchSchema.parse(intake.payload);
    await db.ticket.createMany({ data: [{ ...intakeColumns(d), ...toRow(row as unknown as TicketPatch) } as Prisma.TicketCreateManyInput], skipDuplicates: true });
  }

  return {
    /** The read model of a supervision case (第二十二条–第二十三条), written by the case's own workflow; idempotent. */
    async recordSupervisionCase({ state: c }: { state: SupervisionCaseState }): Promise<void> {
      const row = {
        ticketNo: c.ticketNo,
        unitId: c.unitId,
        triggers: c.triggers as unknown as Prisma.InputJsonValue,
        escalated: c.escalated,
        openedBy: c.openedBy,
        openedAt: new Date(c.openedAt),
        answerDueAt: c.answerDueAt ? new Date(c.answerDueAt) : null,
        reminded: c.reminded,
        late: c.late,
        status: c.status,
        answer: (c.answer ?? undefined) as Prisma.InputJsonValue | undefined,
        answeredAt: c.answer ? new Date(c.answer.at) : null,
        approvedBy: c.approval?.approved ? c.approval.by : null,
        closedAt: c.status === 'closed' ? new Date(c.approval?.at ?? c.answer?.at ?? c.openedAt) : null,
      };
      try {
        await db.supervisionCase.upsert({ where: { id: c.caseId }, create: { id: c.caseId, ...row }, update: row });
      } catch (err) {
        failFast(err);
      }
    },

    /**
     * Writes a step of the new core: the read-model row derived from the state, the step's events and the
     * notifications they queue, in one transaction. Idempotent on the event sequence: a retry, or an older row arriving
     * after a newer one, changes nothing.
     */
    async recordSteps({ ticketNo, row, events, notifications }: RecordStepsInput): Promise<void> {
      try {
        await ensureRow(ticketNo, row);
        await db.$transaction([
          db.ticket.updateMany({ where: { ticketNo, lastEventSequence: { lte: row.lastEventSequence } }, data: toRow(row as unknown as TicketPatch) as Prisma.TicketUpdateManyMutationInput }),
          db.ticketEvent.createMany({ data: events.map((e) => eventRow(ticketNo, e)), skipDuplicates: true }),
          db.notification.createMany({ data: outboxRows(ticketNo, notifications), skipDuplicates: true }),
        ]);
      } catch (err) {
        failFast(err);
      }
    },

    /** Creates the ticket's read-model row from its intake and records the `dispatched` event. */
    async recordDispatch({ input, status, deadlines, event }: RecordDispatchInput): Promise<void> {
      const intake = await db.ticketIntake.findUnique({ where: { ticketNo: input.ticketNo } });
      if (!intake) {
        throw ApplicationFailure.nonRetryable(`no intake stored for ticket ${input.ticketNo}`, 'IntakeMissing');
      }
      const dispatch = dispatchSchema.parse(intake.payload);
      await db.$transaction([
        db.ticket.upsert({
          where: { ticketNo: input.ticketNo },
          create: {
            ...intakeColumns(dispatch),
            unitId: input.unitId,
            involvedUnits: [input.unitId],
            status,
            acceptDueAt: new Date(deadlines.acceptDueAt),
            returnWindowEndsAt: deadlines.returnWindowEndsAt ? new Date(deadlines.returnWindowEndsAt) : null,
            dueAt: deadlines.dueAt ? new Date(deadlines.dueAt) : null,
            remindAt: deadlines.remindAt ? new Date(deadlines.remindAt) : null,
            nearDeadlineAt: deadlines.nearDeadlineAt ? new Date(deadlines.nearDeadlineAt) : null,
            slaDescription: deadlines.sla?.description ?? null,
            deadlinesProvisional: deadlines.provisional,
          },
          // A retry after a committed first attempt: the row is already right.
          update: {},
        }),
        db.ticketEvent.createMany({ data: [eventRow(input.ticketNo, event)], skipDuplicates: true }),
      ]);
    },

    /** Applies one step: the read-model change, its audit event and the notifications it queues, atomically. */
    async recordStep({ ticketNo, patch, event, notifications = [] }: RecordStepInput): Promise<void> {
      await db.$transaction([
        // The first version knows no co-handling units: the lead unit is the one involved.
        db.ticket.update({ where: { ticketNo }, data: { ...toRow(patch), ...(patch.unitId ? { involvedUnits: [patch.unitId] } : {}) } }),
        db.ticketEvent.createMany({ data: [eventRow(ticketNo, event)], skipDuplicates: true }),
        db.notification.createMany({ data: outboxRows(ticketNo, notifications), skipDuplicates: true }),
      ]);
    },
  };
}
