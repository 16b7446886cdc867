/**
 * Reconciliation (issue 11): every open ticket's read-model row against its workflow's state, the one source both
 * follow from (workflows/ticket-derived.ts readModelOf). A difference is reported field by field; `repair` writes the
 * row the state calls for. The audit trail is checked too: the ticket's events are 1…lastEventSequence without a gap.
 * So is the outbox: each of the ticket's notifications (keyed `<ticketNo>:<event sequence>:…`, queued in the same
 * transaction as its event) belongs to an event of the trail, and none is still pending, never attempted, long after it
 * was queued (its delivery was lost); `repair` delivers such a row again through the worker.
 *
 * A row whose workflow is gone (terminated, or never started) is reported, not repaired: there is no state to repair
 * it from.
 */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from './db';
import { toRow, type TicketPatch } from '../activities/persistence';
import { readModelOf } from '../workflows/ticket-derived';
import { getStateQuery, type TicketState } from '../workflows/messages';
import { deliverNotificationsWorkflow } from '../workflows/monthly-filings';

/** The statuses after which a ticket's row no longer changes but for ratings, revisits and reopens. */
const SETTLED = ['closed', 'withdrawn'];

export interface Difference {
  ticketNo: string;
  /** A read-model field; `events` (a gap in the trail); `outbox` (a notification of no event in the trail); or
   * `outbox-undelivered` (a notification never attempted, its delivery lost). */
  field: string;
  readModel: unknown;
  workflow: unknown;
  /** The outbox row's idempotency key, for `outbox` and `outbox-undelivered`. */
  key?: string;
}

export interface ReconcileReport {
  checked: number;
  differences: Difference[];
  /** Tickets whose workflow could not be read (gone, or Temporal unreachable), with why. */
  unreadable: { ticketNo: string; reason: string }[];
  repaired: number;
}

/** A value as the row and the state can both be compared in: instants as ISO text, the rest as JSON. */
function normal(v: unknown): string {
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v)) return JSON.stringify(new Date(v).toISOString());
  return JSON.stringify(v ?? null, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

/** How long a queued notification may wait for its first delivery attempt before it counts as lost. */
export const UNDELIVERED_AFTER_MS = 15 * 60_000;

/** Differences in the records beside the row: the trail and the outbox. */
const RECORDS = ['events', 'outbox', 'outbox-undelivered'];
/** The differences that repair cannot put right: the trail and the outbox are records, not derived from the state. */
export const UNREPAIRABLE = ['events', 'outbox'];

/** The fields of `row` that differ from what `state` calls for, a gap in the audit trail, and the outbox's drift. */
async function differencesOf(db: Db, row: Record<string, unknown> & { ticketNo: string }, state: TicketState, undeliveredAfterMs: number): Promise<Difference[]> {
  const model = readModelOf(state) as Record<string, unknown>;
  const found: Difference[] = [];
  for (const [field, value] of Object.entries(model)) {
    const stored = row[field];
    if (normal(stored) !== normal(value)) found.push({ ticketNo: row.ticketNo, field, readModel: stored ?? null, workflow: value ?? null });
  }
  const events = await db.ticketEvent.findMany({ where: { ticketNo: row.ticketNo }, select: { sequence: true }, orderBy: { sequence: 'asc' } });
  const sequences = events.map((e) => e.sequence);
  const missing = Array.from({ length: state.lastEventSequence }, (_, i) => i + 1).filter((n) => !sequences.includes(n));
  if (missing.length > 0) found.push({ ticketNo: row.ticketNo, field: 'events', readModel: sequences, workflow: `1…${state.lastEventSequence}` });
  const outbox = await db.notification.findMany({ where: { ticketNo: row.ticketNo }, select: { idempotencyKey: true, status: true, attempts: true, createdAt: true }, orderBy: { id: 'asc' } });
  const lostBefore = Date.now() - undeliveredAfterMs;
  for (const n of outbox) {
    const [no, sequence] = n.idempotencyKey.split(':');
    if (no === row.ticketNo && /^[1-9][0-9]*$/.test(sequence ?? '') && !sequences.includes(Number(sequence)))
      found.push({ ticketNo: row.ticketNo, field: 'outbox', readModel: n.idempotencyKey, workflow: `no event ${sequence} in the trail`, key: n.idempotencyKey });
    if (n.status === 'pending' && n.attempts === 0 && n.createdAt.getTime() < lostBefore)
      found.push({ ticketNo: row.ticketNo, field: 'outbox-undelivered', readModel: `${n.idempotencyKey}: pending since ${n.createdAt.toISOString()}, never attempted`, workflow: 'delivered', key: n.idempotencyKey });
  }
  return found;
}

export async function reconcile(
  db: Db,
  client: Client,
  options: {
    repair?: boolean;
    ticketNos?: string[];
    includeSettled?: boolean;
    concurrency?: number;
    settleAttempts?: number;
    /** The worker's task queue: where a lost notification is delivered again on repair. */
    taskQueue?: string;
    undeliveredAfterMs?: number;
  } = {},
): Promise<ReconcileReport> {
  const rows = await db.ticket.findMany({
    where: { ...(options.ticketNos ? { ticketNo: { in: options.ticketNos } } : {}), ...(options.includeSettled ? {} : { status: { notIn: SETTLED } }) },
    orderBy: { ticketNo: 'asc' },
  });
  const report: ReconcileReport = { checked: 0, differences: [], unreadable: [], repaired: 0 };
  let next = 0;
  const work = async () => {
    for (;;) {
      const row = rows[next++];
      if (!row) return;
      let current = row;
      let state: TicketState | undefined;
      let found: Difference[] = [];
      // A row behind its workflow (a write of the workflow in flight: the first one follows the intake's row without a
      // new event) gets a few seconds to catch up before a difference is reported; a real drift stays.
      for (let attempt = 0; ; attempt++) {
        try {
          state = await client.workflow.getHandle(row.ticketNo).query(getStateQuery);
        } catch (err) {
          report.unreadable.push({ ticketNo: row.ticketNo, reason: err instanceof WorkflowNotFoundError ? 'no workflow' : err instanceof Error ? err.message : String(err) });
          state = undefined;
          break;
        }
        found = await differencesOf(db, current as unknown as Record<string, unknown> & { ticketNo: string }, state, options.undeliveredAfterMs ?? UNDELIVERED_AFTER_MS);
        if (found.length === 0 || attempt >= (options.settleAttempts ?? 5)) break;
        await new Promise((r) => setTimeout(r, 1000));
        current = (await db.ticket.findUnique({ where: { ticketNo: row.ticketNo } })) ?? current;
      }
      if (!state) continue;
      report.checked++;
      report.differences.push(...found);
      if (!options.repair) continue;
      if (found.some((d) => !RECORDS.includes(d.field))) {
        await db.ticket.update({ where: { ticketNo: row.ticketNo }, data: toRow(readModelOf(state) as unknown as TicketPatch) });
        report.repaired++;
      }
      const lost = found.filter((d) => d.field === 'outbox-undelivered').map((d) => d.key!);
      if (lost.length > 0 && options.taskQueue) {
        // The same keys: a receiver that had one already recognises it. One delivery workflow per lost set.
        await client.workflow
          .start(deliverNotificationsWorkflow, { taskQueue: options.taskQueue, workflowId: `outbox-reconcile:${row.ticketNo}:${lost.join(',')}`.slice(0, 1000), args: [{ keys: lost }] })
          .catch((err: unknown) => {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          });
        report.repaired++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, work));
  return report;
}
