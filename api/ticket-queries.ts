/**
 * Reading tickets from the read model: the list (filters, sorting, cursor pagination), in the ticket view of
 * api/ticket-service.ts,  * limited to what the caller's unit may see (api/auth.ts).
 */
import { z } from 'zod';
import type { Db } from '../lib/db';
import type { Prisma } from '../generated/prisma/client';
import { ticketView, type TicketView } from './ticket-service';
import { CHANNELS, SPECIAL_LABELS, URGENCIES, ALL_CATEGORIES } from '../rules/types';
import { TICKET_STATUSES } from '../rules/lifecycle';
import { seesAllTickets, type Principal } from './auth';
import { BadRequest } from './errors';
import { RELATED_INCLUDE } from './related';
import { instant, ticketNo } from './schemas';

const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).min(1).max(20));
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const SORTS = ['dueAt', 'dispatchedAt', 'updatedAt'] as const;
/** Sort columns that may be empty (a ticket has no handling deadline before its deadlines are planned). */
const NULLABLE_SORTS: ReadonlySet<string> = new Set(['dueAt']);

export const listQuery = z
  .object({
    status: list(z.enum(TICKET_STATUSES)).optional(),
    unit: list(z.string().min(1).max(64)).optional(),
    channel: list(z.enum(CHANNELS)).optional(),
    category: list(z.enum(ALL_CATEGORIES as [string, ...string[]])).optional(),
    urgency: list(z.enum(URGENCIES)).optional(),
    /** Tickets carrying every one of these special labels (第十三条). */
    labels: list(z.enum(SPECIAL_LABELS)).optional(),
    dueBefore: instant.optional(),
    overdue: bool.optional(),
    supervised: bool.optional(),
    /** Tickets related to this one, linked either way and not unlinked (第二十二条(二)). */
    relatedTo: ticketNo.optional(),
    sort: z.enum(SORTS).default('dueAt'),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();
export type ListQuery = z.infer<typeof listQuery>;

type Cursor = { v: string | null; k: string };

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const c = z.object({ v: z.string().nullable(), k: z.string() }).parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return c;
  } catch {
    throw new BadRequest('the request is invalid', [{ field: 'cursor', message: 'is not a cursor this API returned' }]);
  }
}

export class TicketQueries {
  constructor(private readonly db: Db) {}

  /** The tickets the caller may see, filtered and sorted, one page at a time (keyset pagination, stable under inserts). */
  async list(p: Principal, q: ListQuery): Promise<{ items: TicketView[]; nextCursor: string | null }> {
    const where: Prisma.TicketWhereInput[] = [];
    // 第九条: a unit sees the tickets it leads and those it has a part of.
    if (!seesAllTickets(p)) where.push({ involvedUnits: { has: p.unitId } });
    if (q.status) where.push({ status: { in: q.status } });
    // The unit filter finds a ticket through its lead unit or any co-handling unit.
    if (q.unit) where.push({ involvedUnits: { hasSome: q.unit } });
    if (q.channel) where.push({ channel: { in: q.channel } });
    if (q.category) where.push({ category: { in: q.category } });
    if (q.urgency) where.push({ urgency: { in: q.urgency } });
    if (q.labels) where.push({ labels: { hasEvery: q.labels } });
    if (q.dueBefore) where.push({ dueAt: { lt: new Date(q.dueBefore) } });
    if (q.overdue !== undefined) where.push({ handlingOverdue: q.overdue });
    if (q.supervised !== undefined) where.push({ supervised: q.supervised });
    if (q.relatedTo)
      where.push({ OR: [{ links: { some: { relatedNo: q.relatedTo, removedAt: null } } }, { linkedFrom: { some: { ticketNo: q.relatedTo, removedAt: null } } }] });
    const field = q.sort;
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      const cmp = q.order === 'asc' ? 'gt' : 'lt';
      if (c.v === null) {
        // Nulls sort last in both orders: after a null value only later keys among the nulls remain.
        where.push({ [field]: null, ticketNo: { [cmp]: c.k } });
      } else {
        const v = new Date(c.v);
        where.push({
          OR: [{ [field]: { [cmp]: v } }, { [field]: v, ticketNo: { [cmp]: c.k } }, ...(NULLABLE_SORTS.has(field) ? [{ [field]: null }] : [])],
        });
      }
    }
    const rows = await this.db.ticket.findMany({
      where: { AND: where },
      // Only a nullable column takes a nulls position (Prisma refuses it on the others).
      orderBy: [{ [field]: NULLABLE_SORTS.has(field) ? { sort: q.order, nulls: 'last' } : q.order }, { ticketNo: q.order }],
      take: q.limit + 1,
      include: { unit: { select: { name: true } }, ...RELATED_INCLUDE },
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const more = rows.length > q.limit && last;
    return {
      items: page.map(ticketView),
      nextCursor: more ? encodeCursor({ v: (last[field] as Date | null)?.toISOString() ?? null, k: last.ticketNo }) : null,
    };
  }
}
