/**
 * Related tickets (第二十二条(二) "群众多次反映同一问题", spec decision "Supervision — (二)"): tickets are related when the
 * platform names them, when the same reporter (matched by the keyed hash of the phone number, lib/reporter-key.ts —
 * never the number) reports to the same unit in the same category within `relatedReportWindowDays`, or when
 * 委政务服务处 links them by hand. A link is one TicketLink row per pair, read in both directions; an unlinked pair keeps
 * its row, marked removed.
 *
 * The ticket's workflow learns of its related tickets with their ratings (never the reporter): at dispatch in its
 * input, and after a link or unlink by 委政务服务处 through `relatedUpdate`, with the whole list as it now is.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ratingOf } from '../activities/revisit-sampling';
import type { Prisma, Ticket } from '../generated/prisma/client';
import type { Db } from '../lib/db';
import type { Parameters } from '../rules/parameters';
import { SERVICE_DIVISION_UNIT } from '../rules/lifecycle';
import { relatedUpdate, type RelatedTicket, type Satisfaction } from '../workflows/messages';
import { Forbidden, principalOf, requireRole, type Principal } from './auth';
import { BadRequest, DomainError } from './errors';
import { ticketNo } from './schemas';
import type { TicketService } from './ticket-service';

export interface RelatedRouterDeps {
  db: Db;
  tickets: TicketService;
}

/** How a link came about: named by the platform, found by the spec's rule, or made by 委政务服务处 by hand. */
export type LinkSource = RelatedTicket['source'];

/** A database client or an interactive transaction's. */
type Tx = Prisma.TransactionClient | Db;

/** What a ticket shows of a related ticket: no reporter, no text. */
const RELATED_COLUMNS = { ticketNo: true, dispatchedAt: true, status: true, satisfaction: true } as const;
export type RelatedColumns = Pick<Ticket, 'ticketNo' | 'dispatchedAt' | 'status' | 'satisfaction'>;

/** The part of a Ticket query that loads its links in both directions, removed ones left out. */
export const RELATED_INCLUDE = {
  links: { where: { removedAt: null }, select: { source: true, related: { select: RELATED_COLUMNS } } },
  linkedFrom: { where: { removedAt: null }, select: { source: true, ticket: { select: RELATED_COLUMNS } } },
} satisfies Prisma.TicketInclude;

/** The links of a ticket as RELATED_INCLUDE loads them. */
export interface LinkedRows {
  links: { source: string; related: RelatedColumns }[];
  linkedFrom: { source: string; ticket: RelatedColumns }[];
}

/** The platform's latest rating as the workflow names it (spec decision "satisfaction"), or null when unrated. */
export function satisfactionOf(value: string | null): Satisfaction | null {
  return ratingOf(value) ?? null;
}

/** A ticket's related tickets, both directions, each once, oldest first. */
export function relatedRows(row: LinkedRows): { source: LinkSource; ticket: RelatedColumns }[] {
  const seen = new Set<string>();
  return [...row.links.map((l) => ({ source: l.source, ticket: l.related })), ...row.linkedFrom.map((l) => ({ source: l.source, ticket: l.ticket }))]
    .filter((l) => !seen.has(l.ticket.ticketNo) && seen.add(l.ticket.ticketNo))
    .map((l) => ({ source: l.source as LinkSource, ticket: l.ticket }))
    .sort((a, b) => a.ticket.dispatchedAt.getTime() - b.ticket.dispatchedAt.getTime() || a.ticket.ticketNo.localeCompare(b.ticket.ticketNo));
}

/** The related tickets of a row loaded with RELATED_INCLUDE, as its workflow sees them (第二十二条(二)). */
export function relatedOfRow(row: LinkedRows): RelatedTicket[] {
  return relatedRows(row).map(({ source, ticket }) => ({ ticketNo: ticket.ticketNo, dispatchedAt: ticket.dispatchedAt.toISOString(), source, satisfaction: satisfactionOf(ticket.satisfaction) }));
}

/** A ticket's related tickets as its workflow sees them (第二十二条(二)): numbers, dispatch times, ratings. */
export async function relatedTicketsOf(db: Tx, no: string): Promise<RelatedTicket[]> {
  const row = await db.ticket.findUnique({ where: { ticketNo: no }, select: RELATED_INCLUDE });
  return row ? relatedOfRow(row) : [];
}

/** The new ticket of an intake, as the related-ticket rule reads it. */
export interface IntakeTicket {
  ticketNo: string;
  /** null for an anonymous reporter: nothing is matched by the rule. */
  reporterKey: string | null;
  unitId: string;
  category: string;
  dispatchedAt: Date;
  /** Tickets the platform names as reports of the same problem. */
  named: readonly string[];
}

/**
 * Inside the intake transaction, after the new Ticket row: links it to the tickets the platform names (those that
 * exist) and to those the spec's rule finds — same reporter key, same unit, same category, dispatched within
 * `relatedReportWindowDays` of this one (either side: the platform may deliver an earlier report later). One row per
 * pair, from the new ticket; a pair both named and found is the platform's. Intakes of the same reporter are serialised
 * (a transaction-scoped advisory lock on the key), so two reports arriving together still find each other.
 */
export async function linkAtIntake(tx: Prisma.TransactionClient, t: IntakeTicket, params: Parameters): Promise<void> {
  const named = [...new Set(t.named)].filter((n) => n !== t.ticketNo);
  const platform = named.length > 0 ? await tx.ticket.findMany({ where: { ticketNo: { in: named } }, select: { ticketNo: true } }) : [];
  let rule: { ticketNo: string }[] = [];
  if (t.reporterKey !== null) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`reporter:${t.reporterKey}`}, 0))`;
    const window = params.relatedReportWindowDays.value * 86_400_000;
    rule = await tx.ticket.findMany({
      where: {
        reporterKey: t.reporterKey,
        unitId: t.unitId,
        category: t.category,
        dispatchedAt: { gte: new Date(t.dispatchedAt.getTime() - window), lte: new Date(t.dispatchedAt.getTime() + window) },
        ticketNo: { not: t.ticketNo },
      },
      select: { ticketNo: true },
    });
  }
  const sources = new Map<string, LinkSource>();
  for (const r of rule) sources.set(r.ticketNo, 'rule');
  for (const r of platform) sources.set(r.ticketNo, 'platform');
  if (sources.size === 0) return;
  await tx.ticketLink.createMany({
    data: [...sources].map(([relatedNo, source]) => ({ ticketNo: t.ticketNo, relatedNo, source, createdBy: source === 'platform' ? 'platform' : 'system' })),
    skipDuplicates: true,
  });
}

/** A pair, whichever way it was stored. */
const pairOf = (a: string, b: string) => [
  { ticketNo: a, relatedNo: b },
  { ticketNo: b, relatedNo: a },
];

/** The row of a pair, whichever way it was stored (an active one first). */
async function linkOf(db: Db, a: string, b: string) {
  return db.ticketLink.findFirst({ where: { OR: pairOf(a, b) }, orderBy: { removedAt: { sort: 'desc', nulls: 'first' } } });
}

export const relatedBody = z.object({ relatedNo: ticketNo }).strict();
const pathParams = z.object({ ticketNo }).strict();
const unlinkParams = z.object({ ticketNo, relatedNo: ticketNo }).strict();

/** 委政务服务处 links and unlinks by hand (第四条, 第二十二条): a supervisor of another unit is refused. */
function requireServiceDivision(p: Principal): void {
  if (p.unitId !== SERVICE_DIVISION_UNIT) throw new Forbidden('only 委政务服务处 links and unlinks related tickets (第二十二条(二))');
}

export function relatedRouter({ db, tickets }: RelatedRouterDeps): Router {
  const router = Router();

  /** Both tickets exist and differ; 404 for an unknown one, 400 for the ticket itself. */
  async function requirePair(p: Principal, no: string, relatedNo: string): Promise<void> {
    if (relatedNo === no) throw new BadRequest('the request is invalid', [{ field: 'relatedNo', message: 'a ticket cannot be related to itself' }]);
    await tickets.requireVisible(p, no);
    await tickets.requireVisible(p, relatedNo);
  }

  /**
   * Sends the ticket's workflow its related list as it now is. A refusal (the ticket's state or the regulation)
   * undoes the change, so a refused decision changes nothing; when Temporal cannot be reached the change stays and a
   * retry of the same request sends the list again.
   */
  async function propagate(p: Principal, no: string, undo: () => Promise<unknown>) {
    try {
      return await tickets.decide(p, no, relatedUpdate, { by: p.userId, related: await relatedTicketsOf(db, no) });
    } catch (err) {
      if (err instanceof DomainError && err.status < 500) await undo();
      throw err;
    }
  }

  router.post('/tickets/:ticketNo/related', requireRole('supervisor'), async (req: Request, res: Response) => {
    const p = principalOf(req);
    requireServiceDivision(p);
    const no = pathParams.parse(req.params).ticketNo;
    const { relatedNo } = relatedBody.parse(req.body ?? {});
    await requirePair(p, no, relatedNo);
    const before = await linkOf(db, no, relatedNo);
    let undo: () => Promise<unknown> = async () => undefined;
    if (!before) {
      const made = await db.ticketLink.createMany({ data: [{ ticketNo: no, relatedNo, source: 'manual', createdBy: p.userId }], skipDuplicates: true });
      if (made.count === 1) undo = () => db.ticketLink.deleteMany({ where: { ticketNo: no, relatedNo, removedAt: null, source: 'manual', createdBy: p.userId } });
    } else if (before.removedAt !== null) {
      // A re-link by hand: the pair is 委政务服务处's now.
      const key = { ticketNo_relatedNo: { ticketNo: before.ticketNo, relatedNo: before.relatedNo } };
      await db.ticketLink.update({ where: key, data: { source: 'manual', createdBy: p.userId, createdAt: new Date(), removedAt: null, removedBy: null } });
      undo = () =>
        db.ticketLink.update({ where: key, data: { source: before.source, createdBy: before.createdBy, createdAt: before.createdAt, removedAt: before.removedAt, removedBy: before.removedBy } });
    }
    res.json(await propagate(p, no, undo));
  });

  router.delete('/tickets/:ticketNo/related/:relatedNo', requireRole('supervisor'), async (req: Request, res: Response) => {
    const p = principalOf(req);
    requireServiceDivision(p);
    const { ticketNo: no, relatedNo } = unlinkParams.parse(req.params);
    await requirePair(p, no, relatedNo);
    const before = await linkOf(db, no, relatedNo);
    let undo: () => Promise<unknown> = async () => undefined;
    if (before && before.removedAt === null) {
      const removedAt = new Date();
      await db.ticketLink.updateMany({ where: { OR: pairOf(no, relatedNo), removedAt: null }, data: { removedAt, removedBy: p.userId } });
      undo = () => db.ticketLink.updateMany({ where: { OR: pairOf(no, relatedNo), removedAt, removedBy: p.userId }, data: { removedAt: null, removedBy: null } });
    }
    // Unlinking a pair that is not linked changes nothing and answers the same (a retry after a lost answer).
    res.json(await propagate(p, no, undo));
  });

  return router;
}
