/**
 * Persistence activities: the read model (`Ticket`), the audit trail (`TicketEvent`) and the notification outbox.
 *
 * Idempotent under retries: events are keyed by (ticket, sequence) — the workflow numbers them — and notifications by
 * their idempotency key, so a retried activity writes nothing twice. Inputs carry no personal data: the reporter and
 * the text are read from the intake the API stored.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../lib/db';
import type { TicketDeadlines, TicketInput, TicketStatus } from '../workflows/messages';
import type { Prisma } from '../generated/prisma/client';
import { dispatchSchema } from '../api/schemas';

/** One step of the audit trail. `at` is the workflow's time of the step (ISO-8601). */
export interface StepEvent {
  sequence: number;
  type: string;
  /** `platform`, `system`, or the user who decided. */
  actor: string;
  at: string;
  payload?: Record<string, unknown>;
}

export type RecipientRole = 'unit' | 'unit-leader' | 'service-division';

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
  deadlines: TicketDeadlines;
  event: StepEvent;
}

export interface RecordStepInput {
  ticketNo: string;
  patch: TicketPatch;
  event: StepEvent;
  notifications?: QueuedNotification[];
}

/** The patch as columns: every `…At` value becomes a Date, the rest is copied as is. */
function toRow(patch: TicketPatch): Prisma.TicketUpdateInput {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    row[key] = key.endsWith('At') && typeof value === 'string' ? new Date(value) : value;
  }
  return row as Prisma.TicketUpdateInput;
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
  return {
    /** Creates the ticket's read-model row from its intake and records the `dispatched` event. */
    async recordDispatch({ input, status, deadlines, event }: RecordDispatchInput): Promise<void> {
      const intake = await db.ticketIntake.findUnique({ where: { ticketNo: input.ticketNo } });
      if (!intake) {
        throw ApplicationFailure.nonRetryable(`no intake stored for ticket ${input.ticketNo}`, 'IntakeMissing');
      }
      const dispatch = dispatchSchema.parse(intake.payload);
      const reporter = dispatch.reporter;
      await db.$transaction([
        db.ticket.upsert({
          where: { ticketNo: input.ticketNo },
          create: {
            ticketNo: input.ticketNo,
            channel: input.channel,
            category: input.category,
            urgency: input.urgency,
            labels: input.labels,
            unitId: input.unitId,
            status,
            reporterAnonymous: reporter.anonymous,
            reporterName: reporter.anonymous ? null : reporter.name,
            reporterPhone: reporter.anonymous ? null : reporter.phone,
            subject: dispatch.subject,
            content: dispatch.content,
            dispatchedAt: new Date(input.dispatchedAt),
            dispatchedToUnitAt: new Date(input.dispatchedToUnitAt),
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
        db.ticket.update({ where: { ticketNo }, data: toRow(patch) }),
        db.ticketEvent.createMany({ data: [eventRow(ticketNo, event)], skipDuplicates: true }),
        db.notification.createMany({
          data: notifications.map((n) => ({
            idempotencyKey: n.key,
            ticketNo,
            kind: n.kind,
            recipientRole: n.recipientRole,
            recipientUnit: n.recipientUnit,
            payload: n.payload as Prisma.InputJsonValue,
          })),
          skipDuplicates: true,
        }),
      ]);
    },
  };
}
