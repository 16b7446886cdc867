/**
 * The notification outbox, for administrators (issue 11). A notification is delivered at least once, retried with
 * backoff until the receiver takes it (workflows/activity-options.ts NOTIFICATION_OPTIONS); what is left is what failed
 * for good — the receiver refused it (`failed`: a 4xx) or there was no webhook to send it to (`skipped`).
 *
 * - `GET /admin/outbox?status=&kind=&limit=&after=`: the rows in a status (default `failed`), oldest first.
 * - `POST /admin/outbox/:id/redeliver`: a `failed` or `skipped` row goes back to `pending` and is delivered again by a
 *   workflow on the worker (the same key: a receiver that had it recognises it). 202; 409 for a row that was sent or
 *   is being delivered.
 */
import { Router, type Request, type Response } from 'express';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import type { Notification, Prisma } from '../generated/prisma/client';
import type { Db } from '../lib/db';
import { deliverNotificationsWorkflow } from '../workflows/monthly-filings';
import { adminRole, administratorOf } from './admin';
import { DomainError, NotFound } from './errors';

export const OUTBOX_STATUSES = ['failed', 'skipped', 'pending', 'sent'] as const;
/** The statuses an administrator can send again. */
const REDELIVERABLE = ['failed', 'skipped'];

export const outboxQuery = z
  .object({
    status: z.enum(OUTBOX_STATUSES).default('failed'),
    kind: z.string().trim().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** The id of the last row of the previous page. */
    after: z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be the id of an outbox row').optional(),
  })
  .strict();

export const idParams = z.object({ id: z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be the id of an outbox row') });

/** A row as the administrator reads it (the payload holds no reporter's number: activities/notifications.ts). */
function outboxView(n: Notification) {
  return {
    id: n.id.toString(),
    key: n.idempotencyKey,
    ticketNo: n.ticketNo,
    kind: n.kind,
    recipientRole: n.recipientRole,
    recipientUnit: n.recipientUnit,
    status: n.status,
    attempts: n.attempts,
    lastError: n.lastError,
    createdAt: n.createdAt.toISOString(),
    sentAt: n.sentAt?.toISOString() ?? null,
    payload: n.payload,
  };
}

export function outboxRouter({ db, client, taskQueue }: { db: Db; client: Client; taskQueue: string }): Router {
  const router = Router();

  router.get('/admin/outbox', adminRole, async (req: Request, res: Response) => {
    const q = outboxQuery.parse(req.query);
    const where: Prisma.NotificationWhereInput[] = [{ status: q.status }];
    if (q.kind) where.push({ kind: q.kind });
    if (q.after) where.push({ id: { gt: BigInt(q.after) } });
    const rows = await db.notification.findMany({ where: { AND: where }, orderBy: { id: 'asc' }, take: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    res.json({ items: page.map(outboxView), next: rows.length > q.limit ? page.at(-1)!.id.toString() : null });
  });

  router.post('/admin/outbox/:id/redeliver', adminRole, async (req: Request, res: Response) => {
    const admin = administratorOf(res);
    const id = BigInt(idParams.parse(req.params).id);
    const row = await db.notification.findUnique({ where: { id } });
    if (!row) throw new NotFound(`outbox row ${id}`);
    // Only a row that failed for good goes back: never one that was sent, nor one still retrying.
    const moved = await db.notification.updateMany({ where: { id, status: { in: REDELIVERABLE } }, data: { status: 'pending', lastError: `redelivery requested by ${admin.id}; before: ${row.lastError ?? row.status}`.slice(0, 1000) } });
    if (moved.count === 0)
      throw new DomainError(409, 'Conflict', row.status === 'sent' ? `outbox row ${id} was delivered at ${row.sentAt?.toISOString()}` : `outbox row ${id} is ${row.status}: it is being delivered, with retries`);
    const workflowId = `outbox-redeliver:${id}:${row.attempts}`;
    try {
      await client.workflow.start(deliverNotificationsWorkflow, { taskQueue, workflowId, args: [{ keys: [row.idempotencyKey] }] });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        // Not started: the row goes back to what it was, so that it can be asked for again.
        await db.notification.updateMany({ where: { id, status: 'pending' }, data: { status: row.status, lastError: row.lastError } });
        throw err;
      }
    }
    res.status(202).json({ ...outboxView({ ...row, status: 'pending' }), workflowId });
  });

  return router;
}
