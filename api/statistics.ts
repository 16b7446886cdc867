/**
 * 第二十四条–第二十六条, 委政务服务处's month: the hotline statistics, the circular candidates, circulars (通报),
 * referrals (第二十五条) and good practice (第二十六条).
 *
 * - `GET /statistics?month=` or `?from=&to=` (`&unit=`): the figures per unit and for the whole Commission, as JSON or, with
 *   `Accept: text/csv`, as CSV that Excel opens in Chinese (UTF-8 with BOM). 委政务服务处 sees every unit and the total;
 *   anyone else their own unit only. The counts come from the read model in SQL (a few grouped queries, run together);
 *   what each count means and every rate are defined once in rules/statistics.ts.
 * - `GET /circulars/candidates?month=`: the units meeting a criticism criterion of 第二十四条, with the tickets behind
 *   each (委政务服务处's supervisors and administrators).
 * - `POST /circulars`, `GET /circulars?month=`, `GET /circulars/:id/print`: 委政务服务处 issues a circular, it is listed,
 *   and served as a printable Chinese page (every value escaped).
 * - `POST /circular-records`, `GET /circular-records?kind=&month=`: media exposures and city circulars recorded by hand
 *   (第二十四条(三)) and referrals (第二十五条) by 委政务服务处's supervisors; good practice (第二十六条) by any unit's leader.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { Prisma, type CircularRecord } from '../generated/prisma/client';
import type { Db } from '../lib/db';
import { SERVICE_DIVISION_UNIT } from '../rules/lifecycle';
import type { Parameters } from '../rules/parameters';
import {
  CIRCULAR_RECORD_ARTICLES,
  CIRCULAR_RECORD_KINDS,
  CIRCULAR_RECORD_KIND_NAMES,
  REFERRAL_GROUNDS,
  REFERRAL_GROUND_TEXT,
  SUPERVISION_TRIGGER_ARTICLES,
  circularCriteria,
  emptyCounts,
  figuresOf,
  monthPeriod,
  statisticsPeriod,
  sumCounts,
  type CircularFinding,
  type CircularRecordKind,
  type ReferralGround,
  type StatisticsCounts,
  type StatisticsFigures,
  type StatisticsPeriod,
} from '../rules/statistics';
import { addCalendarDays, isDateKey, shanghaiDate, startOfShanghaiDay, type DateKey } from '../rules/time';
import { CATEGORY_NAMES, RETURN_GROUNDS, RETURN_GROUND_NAMES, type Channel, type ReturnGround } from '../rules/types';
import { Forbidden, principalOf, requireRole, type Principal } from './auth';
import { BadRequest, DecisionRefused, DomainError, NotFound } from './errors';
import { monthKey, ticketNo } from './schemas';
import type { TicketService } from './ticket-service';

export interface StatisticsRouterDeps {
  db: Db;
  client: Client;
  tickets: TicketService;
  params: Parameters;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------------

/** The longest range the statistics answer for (a year, leap day included). */
export const MAX_STATISTICS_DAYS = 366;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const unitId = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, ".", "-" or "_"');
const dateKey = z.string().refine((d) => isDateKey(d), 'must be a date YYYY-MM-DD, e.g. 2025-03-31');
const unique = <T extends z.ZodType<string>>(item: T, max: number, min = 0) =>
  z
    .array(item)
    .min(min, min > 0 ? `must name at least ${min}` : undefined)
    .max(max, `must name at most ${max}`)
    .refine((xs) => new Set(xs).size === xs.length, 'must not name the same one twice');

export const statisticsQuery = z
  .object({
    /** A month, `YYYY-MM` (Asia/Shanghai). */
    month: monthKey.optional(),
    /** Or a range of days, both included. */
    from: dateKey.optional(),
    to: dateKey.optional(),
    /** One unit (委政务服务处 only; a unit sees its own anyway). */
    unit: unitId.optional(),
    /** `csv` is the same as `Accept: text/csv` (for a download link). */
    format: z.enum(['json', 'csv']).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.month && (q.from || q.to)) ctx.addIssue({ code: 'custom', path: ['month'], message: 'give either month or from and to, not both' });
    else if (!q.month && !(q.from && q.to)) ctx.addIssue({ code: 'custom', path: [q.from ? 'to' : 'from'], message: 'give month, or both from and to' });
    else if (q.from && q.to && isDateKey(q.from) && isDateKey(q.to)) {
      if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
      else if (addCalendarDays(q.from, MAX_STATISTICS_DAYS - 1) < q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `the range must not exceed ${MAX_STATISTICS_DAYS} days` });
    }
  });

export const candidatesQuery = z.object({ month: monthKey }).strict();

export const circularListQuery = z
  .object({
    month: monthKey.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();

/** 第二十四条: a circular (通报) 委政务服务处 issues. Its month is the month of its date. */
export const circularBody = z
  .object({
    /** 通报编号, e.g. 津交热线通报〔2025〕3号. */
    number: text(100),
    /** The circular's date (Asia/Shanghai), not in the future. */
    date: dateKey,
    title: text(200).optional(),
    units: unique(unitId, 50, 1),
    facts: text(10_000),
    tickets: unique(ticketNo, 500).default([]),
  })
  .strict();
export type CircularBody = z.infer<typeof circularBody>;

/** The kinds of record `POST /circular-records` takes (a circular has its own route). */
export const RECORDED_KINDS = ['media-exposure', 'city-circular', 'referral', 'good-practice'] as const satisfies readonly CircularRecordKind[];

/**
 * 第二十四条(三) media exposure / city circular, 第二十五条 referral (case, ground, tickets), 第二十六条 good practice (a unit's
 * own; `units` is the unit's, and may be left out).
 */
export const circularRecordBody = z
  .object({
    kind: z.enum(RECORDED_KINDS),
    month: monthKey,
    units: unique(unitId, 50, 1).optional(),
    title: text(200),
    facts: text(10_000),
    ground: z.enum(REFERRAL_GROUNDS).optional(),
    tickets: unique(ticketNo, 500).default([]),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.kind === 'referral' && !b.ground) ctx.addIssue({ code: 'custom', path: ['ground'], message: `第二十五条: a referral names its ground (${REFERRAL_GROUNDS.join(' or ')})` });
    if (b.kind !== 'referral' && b.ground) ctx.addIssue({ code: 'custom', path: ['ground'], message: 'only a referral (第二十五条) has a ground' });
    if (b.kind === 'referral' && b.tickets.length === 0) ctx.addIssue({ code: 'custom', path: ['tickets'], message: '第二十五条: a referral names the tickets behind it' });
    if (b.kind !== 'good-practice' && !b.units) ctx.addIssue({ code: 'custom', path: ['units'], message: 'must name the units concerned' });
  });
export type CircularRecordBody = z.infer<typeof circularRecordBody>;

export const circularRecordListQuery = z
  .object({
    kind: z.enum(CIRCULAR_RECORD_KINDS).optional(),
    month: monthKey.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();

export const recordParams = z.object({ id: z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be the id of a circular') });

// ---------------------------------------------------------------------------------------------------------------
// Who sees what
// ---------------------------------------------------------------------------------------------------------------

/** 委政务服务处 (第四条, 第二十四条): sees every unit's figures and the Commission's total. */
const isServiceDivision = (p: Principal) => p.unitId === SERVICE_DIVISION_UNIT;

function requireServiceDivision(p: Principal, ...roles: Principal['roles']): void {
  if (!isServiceDivision(p) || !p.roles.some((r) => roles.includes(r)))
    throw new Forbidden(`this is for 委政务服务处 (第二十四条): one of the roles ${roles.join(', ')} of ${SERVICE_DIVISION_UNIT}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The counts, in SQL
// ---------------------------------------------------------------------------------------------------------------

interface UnitRow {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  active: boolean;
}

const KIND_ORDER: Record<string, number> = { bureau: 0, division: 1, affiliated: 2, 'service-division': 3 };

/** Every unit counted for itself (no parent), bureaus first, 委政务服务处 last. */
async function topUnits(db: Db): Promise<UnitRow[]> {
  const units = await db.unit.findMany({ where: { parentId: null }, select: { id: true, name: true, kind: true, parentId: true, active: true } });
  return units.sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) || a.id.localeCompare(b.id));
}

/** unit → the unit it is counted for (a department counts for its unit). */
const TOP = Prisma.sql`top AS (SELECT id, COALESCE("parentId", id) AS top FROM "Unit")`;

/** The tickets received in the period (第十一条(四): dispatched to the Commission), with their lead unit. */
const cohort = (period: StatisticsPeriod) => Prisma.sql`c AS (
  SELECT t."ticketNo", t."unitId", COALESCE(top.top, t."unitId") AS unit, t.status, t."acceptedAt", t."acceptDueAt", t."acceptOverdue",
         t."handlingOverdue", t."reopenCount", t.satisfaction, t.rounds, t.parts
  FROM "Ticket" t LEFT JOIN top ON top.id = t."unitId"
  WHERE t."dispatchedAt" >= ${period.start} AND t."dispatchedAt" < ${period.end})`;

/**
 * A ticket's events come after its dispatch (a platform clock ahead of ours by at most the admitted skew): bounding
 * their time lets the (type, at) index skip the events of older tickets. A day of margin.
 */
const eventsFrom = (period: StatisticsPeriod) => new Date(period.start.getTime() - 24 * 3600_000);

/**
 * rules/statistics.ts overdueRoundsOf: the rounds marked overdue, or the current round's mark without rounds on record.
 * Most tickets have no overdue round: the containment test spares them the expansion of their rounds.
 */
const OVERDUE_ROUNDS = Prisma.sql`(CASE
  WHEN c.rounds @> '[{"overdue": true}]'::jsonb THEN (SELECT count(*) FROM jsonb_array_elements(c.rounds) x WHERE x->>'overdue' = 'true')
  WHEN c."handlingOverdue" THEN 1 ELSE 0 END)`;

/**
 * rules/statistics.ts returnsOf: each return of a ticket of the period, the unit that had the ticket then (the latest
 * redispatch before it, else the unit of the intake), and whether the platform's refusal followed before the next.
 */
const RETURNS = (period: StatisticsPeriod) => Prisma.sql`ret AS (
  SELECT e."ticketNo", e.payload->>'ground' AS ground,
    COALESCE(
      (SELECT x.payload->>'unitId' FROM "TicketEvent" x
        WHERE x."ticketNo" = e."ticketNo" AND x.type = 'redispatched' AND x.sequence < e.sequence ORDER BY x.sequence DESC LIMIT 1),
      (SELECT i.payload->>'unitId' FROM "TicketIntake" i WHERE i."ticketNo" = e."ticketNo"),
      c."unitId") AS holder,
    EXISTS (SELECT 1 FROM "TicketEvent" x
      WHERE x."ticketNo" = e."ticketNo" AND x.type = 'return-refused' AND x.sequence > e.sequence
        AND NOT EXISTS (SELECT 1 FROM "TicketEvent" y
          WHERE y."ticketNo" = e."ticketNo" AND y.type = 'returned' AND y.sequence > e.sequence AND y.sequence < x.sequence)) AS refused
  FROM c JOIN "TicketEvent" e ON e."ticketNo" = c."ticketNo" AND e.type = 'returned' AND e.at >= ${eventsFrom(period)})`;

/** rules/statistics.ts isAcceptedOnTime, to the second (第十一条(四)). */
const ACCEPTED_ON_TIME = Prisma.sql`c."acceptedAt" IS NOT NULL AND NOT c."acceptOverdue" AND date_trunc('second', c."acceptedAt") <= date_trunc('second', c."acceptDueAt")`;

/** rules/statistics.ts supervisionAnswerOf: answered by the due date, to the second, and not marked late. */
const CASE_ON_TIME = Prisma.sql`s."answeredAt" IS NOT NULL AND NOT s.late AND (s."answerDueAt" IS NULL OR date_trunc('second', s."answeredAt") <= date_trunc('second', s."answerDueAt"))`;

const unitFilter = (column: Prisma.Sql, unit: string | null) => (unit === null ? Prisma.empty : Prisma.sql`AND ${column} = ${unit}`);

interface TicketAgg {
  unit: string;
  received: number;
  accepted: number;
  acceptedOnTime: number;
  withdrawn: number;
  closed: number;
  closedOnTime: number;
  overdueRounds: number;
  overdueTickets: number;
  reopens: number;
  reopenedTickets: number;
  rated: number;
  satisfied: number;
  basicallySatisfied: number;
  unsatisfied: number;
  unsatisfiedUpheld: number;
}

/** The returns of the period's tickets per unit, ticket and ground (the statistics sum them, the candidates read them). */
interface ReturnAgg {
  unit: string;
  ticketNo: string;
  ground: string;
  returns: number;
  refused: number;
}

async function returnRows(db: Db, period: StatisticsPeriod, unit: string | null): Promise<ReturnAgg[]> {
  return db.$queryRaw<ReturnAgg[]>(Prisma.sql`WITH ${TOP}, ${cohort(period)}, ${RETURNS(period)}
    SELECT COALESCE(top.top, ret.holder) AS unit, ret."ticketNo", COALESCE(ret.ground, '') AS ground,
           count(*)::int AS returns, (count(*) FILTER (WHERE ret.refused))::int AS refused
    FROM ret LEFT JOIN top ON top.id = ret.holder
    WHERE TRUE ${unitFilter(Prisma.sql`COALESCE(top.top, ret.holder)`, unit)}
    GROUP BY 1, 2, 3`);
}

/**
 * 第二十四条: the counts of every unit (or of `unit` only) for the period, each as rules/statistics.ts defines it
 * (`tallyStatistics` is the same definition over rows; the tests check the two agree).
 */
export async function statisticsCounts(db: Db, period: StatisticsPeriod, unit: string | null): Promise<Map<string, StatisticsCounts>> {
  const [tickets, returns, events, parts, cases, triggers, appeals] = await Promise.all([
    db.$queryRaw<TicketAgg[]>(Prisma.sql`WITH ${TOP}, ${cohort(period)}
      SELECT c.unit,
        count(*)::int AS received,
        (count(*) FILTER (WHERE c."acceptedAt" IS NOT NULL))::int AS accepted,
        (count(*) FILTER (WHERE ${ACCEPTED_ON_TIME}))::int AS "acceptedOnTime",
        (count(*) FILTER (WHERE c.status = 'withdrawn'))::int AS withdrawn,
        (count(*) FILTER (WHERE c.status = 'closed'))::int AS closed,
        (count(*) FILTER (WHERE c.status = 'closed' AND r.overdue = 0))::int AS "closedOnTime",
        COALESCE(sum(r.overdue), 0)::int AS "overdueRounds",
        (count(*) FILTER (WHERE r.overdue > 0))::int AS "overdueTickets",
        COALESCE(sum(c."reopenCount"), 0)::int AS reopens,
        (count(*) FILTER (WHERE c."reopenCount" > 0))::int AS "reopenedTickets",
        (count(*) FILTER (WHERE c.satisfaction IS NOT NULL))::int AS rated,
        (count(*) FILTER (WHERE c.satisfaction = 'satisfied'))::int AS satisfied,
        (count(*) FILTER (WHERE c.satisfaction = 'basically-satisfied'))::int AS "basicallySatisfied",
        (count(*) FILTER (WHERE c.satisfaction = 'unsatisfied'))::int AS unsatisfied,
        (count(*) FILTER (WHERE c.satisfaction = 'unsatisfied' AND a.status = 'upheld'))::int AS "unsatisfiedUpheld"
      FROM c
      CROSS JOIN LATERAL (SELECT ${OVERDUE_ROUNDS} AS overdue) r
      LEFT JOIN "Appeal" a ON a."ticketNo" = c."ticketNo"
      WHERE TRUE ${unitFilter(Prisma.sql`c.unit`, unit)}
      GROUP BY c.unit`),
    returnRows(db, period, unit),
    db.$queryRaw<{ unit: string; type: string; satisfaction: string | null; n: number }[]>(Prisma.sql`WITH ${TOP}, ${cohort(period)}
      SELECT c.unit, e.type, e.payload->>'satisfaction' AS satisfaction, count(*)::int AS n
      FROM c JOIN "TicketEvent" e ON e."ticketNo" = c."ticketNo" AND e.type IN ('extension-requested', 'extension-approved', 'revisited') AND e.at >= ${eventsFrom(period)}
      WHERE TRUE ${unitFilter(Prisma.sql`c.unit`, unit)}
      GROUP BY 1, 2, 3`),
    db.$queryRaw<{ unit: string; parts: number; acceptedOnTime: number; submitted: number; submittedOnTime: number; late: number }[]>(Prisma.sql`WITH ${TOP}, ${cohort(period)}
      SELECT COALESCE(top.top, p->>'unitId') AS unit,
        count(*)::int AS parts,
        (count(*) FILTER (WHERE p->>'acceptedAt' IS NOT NULL AND p->>'acceptDueAt' IS NOT NULL AND p->>'acceptOverdue' IS DISTINCT FROM 'true'
          AND date_trunc('second', (p->>'acceptedAt')::timestamptz) <= date_trunc('second', (p->>'acceptDueAt')::timestamptz)))::int AS "acceptedOnTime",
        (count(*) FILTER (WHERE p->>'status' = 'submitted'))::int AS submitted,
        (count(*) FILTER (WHERE p->>'status' = 'submitted' AND p->>'late' IS DISTINCT FROM 'true'))::int AS "submittedOnTime",
        (count(*) FILTER (WHERE p->>'late' = 'true'))::int AS late
      FROM c CROSS JOIN LATERAL jsonb_array_elements(c.parts) p
      LEFT JOIN top ON top.id = p->>'unitId'
      WHERE jsonb_typeof(c.parts) = 'array' AND c.parts <> '[]'::jsonb ${unitFilter(Prisma.sql`COALESCE(top.top, p->>'unitId')`, unit)}
      GROUP BY 1`),
    db.$queryRaw<{ unit: string; cases: number; onTime: number; late: number; unanswered: number; pending: number }[]>(Prisma.sql`WITH ${TOP}
      SELECT COALESCE(top.top, s."unitId") AS unit,
        count(*)::int AS cases,
        (count(*) FILTER (WHERE ${CASE_ON_TIME}))::int AS "onTime",
        (count(*) FILTER (WHERE s."answeredAt" IS NOT NULL AND NOT (${CASE_ON_TIME})))::int AS late,
        (count(*) FILTER (WHERE s."answeredAt" IS NULL AND s.late))::int AS unanswered,
        (count(*) FILTER (WHERE s."answeredAt" IS NULL AND NOT s.late))::int AS pending
      FROM "SupervisionCase" s LEFT JOIN top ON top.id = s."unitId"
      WHERE s."openedAt" >= ${period.start} AND s."openedAt" < ${period.end} ${unitFilter(Prisma.sql`COALESCE(top.top, s."unitId")`, unit)}
      GROUP BY 1`),
    db.$queryRaw<{ unit: string; article: string; n: number }[]>(Prisma.sql`WITH ${TOP}
      SELECT COALESCE(top.top, s."unitId") AS unit, tr.article, count(*)::int AS n
      FROM "SupervisionCase" s LEFT JOIN top ON top.id = s."unitId"
      CROSS JOIN LATERAL (SELECT DISTINCT x->>'article' AS article FROM jsonb_array_elements(CASE WHEN jsonb_typeof(s.triggers) = 'array' THEN s.triggers ELSE '[]'::jsonb END) x) tr
      WHERE s."openedAt" >= ${period.start} AND s."openedAt" < ${period.end} AND tr.article IS NOT NULL ${unitFilter(Prisma.sql`COALESCE(top.top, s."unitId")`, unit)}
      GROUP BY 1, 2`),
    db.$queryRaw<{ unit: string; filed: number; upheld: number; rejected: number }[]>(Prisma.sql`WITH ${TOP}
      SELECT COALESCE(top.top, a."unitId") AS unit, count(*)::int AS filed,
        (count(*) FILTER (WHERE a.status = 'upheld'))::int AS upheld,
        (count(*) FILTER (WHERE a.status = 'rejected'))::int AS rejected
      FROM "Appeal" a LEFT JOIN top ON top.id = a."unitId"
      WHERE a."filedAt" >= ${period.start} AND a."filedAt" < ${period.end} ${unitFilter(Prisma.sql`COALESCE(top.top, a."unitId")`, unit)}
      GROUP BY 1`),
  ]);

  const out = new Map<string, StatisticsCounts>();
  const of = (u: string) => {
    if (!out.has(u)) out.set(u, emptyCounts());
    return out.get(u)!;
  };
  for (const t of tickets) {
    const c = of(t.unit);
    c.received = t.received;
    c.acceptance = { accepted: t.accepted, onTime: t.acceptedOnTime };
    c.withdrawn = t.withdrawn;
    c.closure = { closed: t.closed, onTime: t.closedOnTime };
    c.overdue = { rounds: t.overdueRounds, tickets: t.overdueTickets };
    c.reopens = { reopens: t.reopens, tickets: t.reopenedTickets };
    c.ratings = { rated: t.rated, satisfied: t.satisfied, basicallySatisfied: t.basicallySatisfied, unsatisfied: t.unsatisfied, unsatisfiedUpheld: t.unsatisfiedUpheld };
  }
  for (const r of returns) {
    const c = of(r.unit);
    c.returns.total += r.returns;
    c.returns.refused += r.refused;
    const g = c.returns.byGround[r.ground as ReturnGround];
    if (g) {
      g.total += r.returns;
      g.refused += r.refused;
    }
  }
  for (const e of events) {
    const c = of(e.unit);
    if (e.type === 'extension-requested') c.extensions.requested += e.n;
    else if (e.type === 'extension-approved') c.extensions.approved += e.n;
    else {
      c.revisits.total += e.n;
      if (e.satisfaction === 'satisfied') c.revisits.satisfied += e.n;
      else if (e.satisfaction === 'basically-satisfied') c.revisits.basicallySatisfied += e.n;
      else if (e.satisfaction === 'unsatisfied') c.revisits.unsatisfied += e.n;
    }
  }
  for (const p of parts) of(p.unit).coHandling = { parts: p.parts, acceptedOnTime: p.acceptedOnTime, submitted: p.submitted, submittedOnTime: p.submittedOnTime, late: p.late };
  for (const s of cases) {
    const c = of(s.unit).supervision;
    Object.assign(c, { cases: s.cases, answeredOnTime: s.onTime, answeredLate: s.late, unanswered: s.unanswered, pending: s.pending });
  }
  for (const t of triggers) of(t.unit).supervision.byTrigger[t.article] = t.n;
  for (const a of appeals) of(a.unit).appeals = { filed: a.filed, upheld: a.upheld, rejected: a.rejected, pending: a.filed - a.upheld - a.rejected };
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The statistics as the API shows them
// ---------------------------------------------------------------------------------------------------------------

export type UnitStatistics = { unitId: string | null; unitName: string } & StatisticsFigures;

export interface StatisticsReport {
  period: { from: DateKey; to: DateKey; month: string | null };
  asOf: string;
  /** What the figures count (rules/statistics.ts). */
  basis: { tickets: string; cases: string };
  units: UnitStatistics[];
  /** The whole Commission (委政务服务处 only). */
  total: UnitStatistics | null;
}

export const TOTAL_NAME = '全委合计';

const BASIS = {
  tickets: '工单类指标统计期间内派至我委（派单时间，北京时间）的工单及其截至统计时点的办理情况：工单计入当前牵头承办单位，退单计入退单时持有工单的单位，协办事项计入协办单位',
  cases: '督办件按督办日期、申诉按申诉日期统计',
};

async function statisticsReport(db: Db, p: Principal, period: StatisticsPeriod, month: string | null, unitParam: string | undefined): Promise<StatisticsReport> {
  const units = await topUnits(db);
  const names = new Map(units.map((u) => [u.id, u.name]));
  const all = isServiceDivision(p);
  if (all && unitParam && !names.has(unitParam)) throw new BadRequest('the request is invalid', [{ field: 'unit', message: `no unit ${unitParam}` }]);
  if (!all && unitParam && unitParam !== p.unitId) throw new Forbidden('a unit sees its own figures only (第二十四条: 委政务服务处 sees every unit)');
  const counts = await statisticsCounts(db, period, all ? null : p.unitId);
  // 委政务服务处: the units asked for, else every active unit and any other with figures; a unit: its own.
  const shown = !all
    ? names.has(p.unitId) ? [p.unitId] : []
    : unitParam
      ? [unitParam]
      : [...units.filter((u) => u.active || counts.has(u.id)).map((u) => u.id), ...[...counts.keys()].filter((u) => !names.has(u))];
  const asOf = new Date().toISOString();
  const row = (u: string): UnitStatistics => ({ unitId: u, unitName: names.get(u) ?? u, ...figuresOf(counts.get(u) ?? emptyCounts()) });
  return {
    period: { from: period.from, to: period.to, month },
    asOf,
    basis: BASIS,
    units: shown.map(row),
    total: all ? { unitId: null, unitName: TOTAL_NAME, ...figuresOf(sumCounts([...counts.values()])) } : null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CSV (Excel opens UTF-8 with a BOM in Chinese)
// ---------------------------------------------------------------------------------------------------------------

const pct = (v: number | null) => (v === null ? '' : `${(v * 100).toFixed(2)}%`);

/** The CSV's columns: a Chinese header and the cell of a row. */
export const CSV_COLUMNS: readonly [string, (f: UnitStatistics) => string | number][] = [
  ['单位', (f) => f.unitName],
  ['受理工单数', (f) => f.received],
  ['已接单数', (f) => f.acceptance.accepted],
  ['按时接单数', (f) => f.acceptance.onTime],
  ['响应率（按时接单率）', (f) => pct(f.threeRates.response.value)],
  ['退单数', (f) => f.returns.total],
  ['退单被平台退回数', (f) => f.returns.refused],
  ...RETURN_GROUNDS.flatMap((g): [string, (f: UnitStatistics) => number][] => [
    [`退单：${RETURN_GROUND_NAMES[g]}`, (f) => f.returns.byGround[g].total],
    [`退单被退回：${RETURN_GROUND_NAMES[g]}`, (f) => f.returns.byGround[g].refused],
  ]),
  ['退单后平台收回数', (f) => f.withdrawn],
  ['应办结数', (f) => f.closure.toClose],
  ['办结数', (f) => f.closure.closed],
  ['办结率', (f) => pct(f.threeRates.completion.value)],
  ['按时办结数', (f) => f.closure.onTime],
  ['按时办结率', (f) => pct(f.closure.onTimeRate.value)],
  ['超时办理轮次', (f) => f.overdue.rounds],
  ['超时工单数', (f) => f.overdue.tickets],
  ['申请延期数', (f) => f.extensions.requested],
  ['批准延期数', (f) => f.extensions.approved],
  ['重新办理次数', (f) => f.reopens.reopens],
  ['重新办理工单数', (f) => f.reopens.tickets],
  ['督办件数', (f) => f.supervision.cases],
  ...SUPERVISION_TRIGGER_ARTICLES.map((a): [string, (f: UnitStatistics) => number] => [`督办：${a}`, (f) => f.supervision.byTrigger[a] ?? 0]),
  ['督办按时答复', (f) => f.supervision.answeredOnTime],
  ['督办逾期答复', (f) => f.supervision.answeredLate],
  ['督办逾期未答复', (f) => f.supervision.unanswered],
  ['督办未到期未答复', (f) => f.supervision.pending],
  ['回访数', (f) => f.revisits.total],
  ['回访满意', (f) => f.revisits.satisfied],
  ['回访基本满意', (f) => f.revisits.basicallySatisfied],
  ['回访不满意', (f) => f.revisits.unsatisfied],
  ['平台评价数', (f) => f.ratings.rated],
  ['评价满意', (f) => f.ratings.satisfied],
  ['评价基本满意', (f) => f.ratings.basicallySatisfied],
  ['评价不满意', (f) => f.ratings.unsatisfied],
  ['不满意申诉成立', (f) => f.ratings.unsatisfiedUpheld],
  ['满意率', (f) => pct(f.threeRates.satisfaction.value)],
  ['申诉数', (f) => f.appeals.filed],
  ['申诉成立', (f) => f.appeals.upheld],
  ['申诉未成立', (f) => f.appeals.rejected],
  ['申诉待定', (f) => f.appeals.pending],
  ['协办事项数', (f) => f.coHandling.parts],
  ['协办按时接收', (f) => f.coHandling.acceptedOnTime],
  ['协办已提交', (f) => f.coHandling.submitted],
  ['协办按时提交', (f) => f.coHandling.submittedOnTime],
  ['协办逾期', (f) => f.coHandling.late],
];

/** One CSV cell: quoted when it must be; a text cell Excel would read as a formula is prefixed with an apostrophe. */
function csvCell(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** 第二十四条: the report as CSV, one row per unit and the total; UTF-8 with a BOM and CRLF, as Excel expects. */
export function statisticsCsv(report: StatisticsReport): string {
  const rows = [...report.units, ...(report.total ? [report.total] : [])];
  const lines = [CSV_COLUMNS.map(([h]) => csvCell(h)).join(','), ...rows.map((r) => CSV_COLUMNS.map(([, cell]) => csvCell(cell(r))).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Circular candidates (第二十四条)
// ---------------------------------------------------------------------------------------------------------------

export interface CircularCandidate {
  unitId: string;
  unitName: string;
  criteria: CircularFinding[];
}

async function circularCandidates(db: Db, params: Parameters, month: string) {
  const period = monthPeriod(month);
  const [units, returns, overdue, cases, records] = await Promise.all([
    topUnits(db),
    returnRows(db, period, null),
    db.$queryRaw<{ unit: string; ticketNo: string }[]>(Prisma.sql`WITH ${TOP}, ${cohort(period)}
      SELECT c.unit, c."ticketNo" FROM c WHERE ${OVERDUE_ROUNDS} > 0 ORDER BY c."ticketNo"`),
    db.$queryRaw<{ unit: string; id: string; ticketNo: string }[]>(Prisma.sql`WITH ${TOP}
      SELECT COALESCE(top.top, s."unitId") AS unit, s.id, s."ticketNo"
      FROM "SupervisionCase" s LEFT JOIN top ON top.id = s."unitId"
      WHERE s."openedAt" >= ${period.start} AND s."openedAt" < ${period.end} AND s."answeredAt" IS NULL AND s.late
      ORDER BY s.id`),
    db.circularRecord.findMany({ where: { kind: { in: ['media-exposure', 'city-circular'] }, month }, orderBy: { id: 'asc' } }),
  ]);
  const names = new Map(units.map((u) => [u.id, u.name]));
  const ids = [...new Set([...units.map((u) => u.id), ...returns.map((r) => r.unit), ...overdue.map((o) => o.unit), ...cases.map((c) => c.unit), ...records.flatMap((r) => r.units)])];
  const perTicket = new Map<string, number>();
  for (const r of returns) perTicket.set(`${r.unit}\u0000${r.ticketNo}`, (perTicket.get(`${r.unit}\u0000${r.ticketNo}`) ?? 0) + r.returns);
  const candidates: CircularCandidate[] = [];
  for (const unitId of ids) {
    const criteria = circularCriteria(
      {
        unitId,
        refusedReturns: returns.filter((r) => r.unit === unitId).flatMap((r) => Array.from({ length: r.refused }, () => r.ticketNo)),
        repeatedReturnTickets: [...perTicket].filter(([k, n]) => n >= 2 && k.startsWith(`${unitId}\u0000`)).map(([k]) => k.slice(unitId.length + 1)),
        overdueTickets: overdue.filter((o) => o.unit === unitId).map((o) => o.ticketNo),
        unansweredCases: cases.filter((c) => c.unit === unitId).map((c) => ({ caseId: c.id, ticketNo: c.ticketNo })),
        records: records
          .filter((r) => r.units.includes(unitId))
          .map((r) => ({ id: r.id.toString(), kind: r.kind as 'media-exposure' | 'city-circular', title: r.title, tickets: r.tickets })),
      },
      params,
    );
    if (criteria.length > 0) candidates.push({ unitId, unitName: names.get(unitId) ?? unitId, criteria });
  }
  return {
    month,
    thresholds: {
      refusedReturns: { value: params.circularRefusedReturns.value, article: params.circularRefusedReturns.article },
      repeatedReturns: { value: params.circularRepeatedReturns.value, article: params.circularRepeatedReturns.article },
      overdueTickets: { value: params.circularOverdueTickets.value, article: params.circularOverdueTickets.article },
    },
    candidates,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Circulars and records
// ---------------------------------------------------------------------------------------------------------------

/** A record as the API shows it. A circular's date is its `at` (00:00 Asia/Shanghai of the day it bears). */
function recordView(r: CircularRecord, names: Map<string, string>) {
  const kind = r.kind as CircularRecordKind;
  const ground = r.ground as ReferralGround | null;
  return {
    id: r.id.toString(),
    kind,
    kindName: CIRCULAR_RECORD_KIND_NAMES[kind] ?? kind,
    article: CIRCULAR_RECORD_ARTICLES[kind] ?? null,
    number: r.number,
    ...(kind === 'circular' ? { date: shanghaiDate(r.at) } : {}),
    month: r.month,
    title: r.title,
    units: r.units.map((u) => ({ unitId: u, unitName: names.get(u) ?? u })),
    facts: r.facts,
    ground,
    groundText: ground ? (REFERRAL_GROUND_TEXT[ground] ?? null) : null,
    tickets: r.tickets,
    by: r.by,
    at: r.at.toISOString(),
    ...(kind === 'circular' ? { printUrl: `/api/v1/circulars/${r.id}/print` } : {}),
  };
}

/** Every unit named exists (counted for itself); a 400 naming each one that does not. */
async function checkUnits(db: Db, units: readonly string[], field = 'units'): Promise<Map<string, string>> {
  const all = await topUnits(db);
  const names = new Map(all.map((u) => [u.id, u.name]));
  const errors = units.flatMap((u, i) => (names.has(u) ? [] : [{ field: `${field}.${i}`, message: `no unit ${u}` }]));
  if (errors.length > 0) throw new BadRequest('the request is invalid', errors);
  return names;
}

/** Every ticket named exists and involves one of `units` (第二十四条: the tickets behind the facts). */
async function checkTickets(db: Db, tickets: readonly string[], units: readonly string[], article: string): Promise<void> {
  if (tickets.length === 0) return;
  const rows = await db.ticket.findMany({ where: { ticketNo: { in: [...tickets] } }, select: { ticketNo: true, unitId: true, involvedUnits: true } });
  const found = new Map(rows.map((r) => [r.ticketNo, r]));
  const missing = tickets.flatMap((t, i) => (found.has(t) ? [] : [{ field: `tickets.${i}`, message: `no ticket ${t}` }]));
  if (missing.length > 0) throw new BadRequest('the request is invalid', missing);
  const strangers = tickets.filter((t) => {
    const r = found.get(t)!;
    return ![r.unitId, ...r.involvedUnits].some((u) => units.includes(u));
  });
  if (strangers.length > 0)
    throw new DecisionRefused(
      'rule',
      'a ticket named is not one of the units named',
      strangers.map((t) => ({ rule: 'circular.ticket-unit', article, reason: `工单${t}不是所列单位承办或协办的工单`, field: `tickets.${tickets.indexOf(t)}` })),
    );
}

/** The month (`YYYY-MM`, Asia/Shanghai) now. */
const currentMonth = () => shanghaiDate(new Date()).slice(0, 7);

/** 第三十三条: nothing before the regulation took effect; nothing in the future. */
function checkMonth(month: string, field: string): void {
  if (month < '2023-06') throw new BadRequest('the request is invalid', [{ field, message: 'must not be before 2023-06 (津交发〔2023〕118号 第三十三条)' }]);
  if (month > currentMonth()) throw new BadRequest('the request is invalid', [{ field, message: 'must not be a future month' }]);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const chineseDate = (d: DateKey) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** 第二十四条: the circular as a printable page in Chinese; every value from the record is escaped. */
export function circularHtml(
  c: ReturnType<typeof recordView>,
  tickets: { ticketNo: string; unitName: string; dispatchedAt: Date; channel: string; category: string }[],
): string {
  const e = escapeHtml;
  const date = c.date ?? shanghaiDate(new Date(c.at));
  const facts = c.facts
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => `<p>${e(l)}</p>`)
    .join('\n');
  const categoryName = (channel: string, category: string) => (CATEGORY_NAMES[channel as Channel] as Record<string, string> | undefined)?.[category] ?? category;
  const rows = tickets
    .map((t, i) => `<tr><td>${i + 1}</td><td>${e(t.ticketNo)}</td><td>${e(t.unitName)}</td><td>${e(chineseDate(shanghaiDate(t.dispatchedAt)))}</td><td>${e(categoryName(t.channel, t.category))}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${e(c.number ?? '')} ${e(c.title)}</title>
<style>
  body { font-family: "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "Noto Sans CJK SC", serif; max-width: 760px; margin: 40px auto; line-height: 1.9; font-size: 16pt; color: #000; }
  h1 { text-align: center; color: #c00; font-size: 26pt; letter-spacing: 6px; margin-bottom: 8px; }
  .number { text-align: center; border-bottom: 2px solid #c00; padding-bottom: 12px; }
  h2 { text-align: center; font-size: 20pt; }
  h3 { font-size: 16pt; margin-bottom: 0; }
  p { text-indent: 2em; margin: 0.3em 0; }
  p.plain { text-indent: 0; }
  table { border-collapse: collapse; width: 100%; font-size: 12pt; margin-top: 8px; }
  th, td { border: 1px solid #000; padding: 4px 6px; text-align: center; }
  .sign { text-align: right; margin-top: 48px; text-indent: 0; }
  @media print { body { margin: 0 auto; } }
</style>
</head>
<body>
<h1>天津市交通运输委员会</h1>
<div class="number">${e(c.number ?? '')}</div>
<h2>${e(c.title)}</h2>
<p class="plain">各承办单位：</p>
<p>根据《天津市交通运输委员会便民服务热线受理办理规程》（津交发〔2023〕118号）第二十四条，现将${e(c.units.map((u) => u.unitName).join('、'))}便民服务热线工单办理有关情况通报如下：</p>
<h3>一、有关情况</h3>
${facts}
${tickets.length > 0 ? `<h3>二、涉及工单</h3>\n<table>\n<thead><tr><th>序号</th><th>工单编号</th><th>承办单位</th><th>派单日期</th><th>诉求类别</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>` : ''}
<p>请被通报单位认真查找问题原因，切实整改，并将整改情况报送委政务服务处。</p>
<p class="sign">天津市交通运输委员会政务服务处<br>${e(chineseDate(date))}</p>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------------------------
// The router
// ---------------------------------------------------------------------------------------------------------------

export function statisticsRouter({ db, params }: StatisticsRouterDeps): Router {
  const router = Router();

  router.get('/statistics', async (req: Request, res: Response) => {
    const p = principalOf(req);
    const q = statisticsQuery.parse(req.query);
    const period = q.month ? monthPeriod(q.month) : statisticsPeriod(q.from!, q.to!);
    const wantsCsv = q.format === 'csv' || (q.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
    if (q.format === undefined && !req.accepts(['application/json', 'text/csv'])) throw new DomainError(406, 'Not Acceptable', 'the statistics are served as application/json or text/csv');
    const report = await statisticsReport(db, p, period, q.month ?? null, q.unit);
    if (!wantsCsv) {
      res.json(report);
      return;
    }
    const name = `statistics-${q.month ?? `${period.from}_${period.to}`}.csv`;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(`便民服务热线统计-${q.month ?? `${period.from}至${period.to}`}.csv`)}`);
    res.send(statisticsCsv(report));
  });

  router.get('/circulars/candidates', requireRole('supervisor', 'admin'), async (req: Request, res: Response) => {
    requireServiceDivision(principalOf(req), 'supervisor', 'admin');
    const q = candidatesQuery.parse(req.query);
    res.json(await circularCandidates(db, params, q.month));
  });

  router.post('/circulars', requireRole('supervisor'), async (req: Request, res: Response) => {
    const p = principalOf(req);
    requireServiceDivision(p, 'supervisor');
    const body = circularBody.parse(req.body);
    if (body.date > shanghaiDate(new Date())) throw new BadRequest('the request is invalid', [{ field: 'date', message: 'must not be in the future' }]);
    if (body.date < '2023-06-01') throw new BadRequest('the request is invalid', [{ field: 'date', message: 'must not be before 2023-06-01 (第三十三条)' }]);
    const names = await checkUnits(db, body.units);
    await checkTickets(db, body.tickets, body.units, '第二十四条');
    const month = body.date.slice(0, 7);
    const created = await db.$transaction(async (tx) => {
      // The number identifies the circular: the same number twice is a conflict (a retry carries an Idempotency-Key).
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('circular-number'))`;
      if (await tx.circularRecord.findFirst({ where: { kind: 'circular', number: body.number }, select: { id: true } }))
        throw new DomainError(409, 'Conflict', `a circular numbered ${body.number} exists`);
      return tx.circularRecord.create({
        data: {
          kind: 'circular',
          number: body.number,
          month,
          units: body.units,
          title: body.title ?? `关于${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月便民服务热线工单办理情况的通报`,
          facts: body.facts,
          tickets: body.tickets,
          by: p.userId,
          at: startOfShanghaiDay(body.date),
        },
      });
    });
    res.status(201).json(recordView(created, names));
  });

  router.get('/circulars', async (req: Request, res: Response) => {
    principalOf(req);
    const q = circularListQuery.parse(req.query);
    const rows = await db.circularRecord.findMany({ where: { kind: 'circular', ...(q.month ? { month: q.month } : {}) }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: q.limit });
    const names = new Map((await topUnits(db)).map((u) => [u.id, u.name]));
    res.json({ items: rows.map((r) => recordView(r, names)) });
  });

  router.get('/circulars/:id/print', async (req: Request, res: Response) => {
    principalOf(req);
    const { id } = recordParams.parse(req.params);
    const row = await db.circularRecord.findFirst({ where: { id: BigInt(id), kind: 'circular' } });
    if (!row) throw new NotFound(`circular ${id}`);
    const names = new Map((await topUnits(db)).map((u) => [u.id, u.name]));
    const tickets = await db.ticket.findMany({ where: { ticketNo: { in: row.tickets } }, select: { ticketNo: true, unitId: true, dispatchedAt: true, channel: true, category: true, unit: { select: { name: true } } } });
    const byNo = new Map(tickets.map((t) => [t.ticketNo, t]));
    const listed = row.tickets.flatMap((no) => {
      const t = byNo.get(no);
      return t ? [{ ticketNo: no, unitName: t.unit.name, dispatchedAt: t.dispatchedAt, channel: t.channel, category: t.category }] : [];
    });
    res.type('html').send(circularHtml(recordView(row, names), listed));
  });

  router.post('/circular-records', requireRole('supervisor', 'leader'), async (req: Request, res: Response) => {
    const p = principalOf(req);
    const body = circularRecordBody.parse(req.body);
    let units: string[];
    if (body.kind === 'good-practice') {
      // 第二十六条: a unit reports its own good practice, through its leader.
      if (!p.roles.includes('leader')) throw new Forbidden('第二十六条: a unit’s leader submits its good practice');
      if (body.units && (body.units.length !== 1 || body.units[0] !== p.unitId))
        throw new DecisionRefused('rule', 'a unit submits its own good practice', [{ rule: 'good-practice.own-unit', article: '第二十六条', reason: '各承办单位报送本单位的优秀做法和典型案例', field: 'units' }]);
      units = [p.unitId];
    } else {
      requireServiceDivision(p, 'supervisor');
      units = body.units!;
    }
    checkMonth(body.month, 'month');
    await checkUnits(db, units);
    await checkTickets(db, body.tickets, units, CIRCULAR_RECORD_ARTICLES[body.kind]);
    const created = await db.circularRecord.create({
      data: { kind: body.kind, month: body.month, units, title: body.title, facts: body.facts, ground: body.ground ?? null, tickets: body.tickets, by: p.userId },
    });
    const names = new Map((await topUnits(db)).map((u) => [u.id, u.name]));
    res.status(201).json(recordView(created, names));
  });

  router.get('/circular-records', async (req: Request, res: Response) => {
    const p = principalOf(req);
    const q = circularRecordListQuery.parse(req.query);
    const where: Prisma.CircularRecordWhereInput[] = [];
    if (q.kind) where.push({ kind: q.kind });
    if (q.month) where.push({ month: q.month });
    // 委政务服务处 lists every record; a unit its own good practice.
    if (!isServiceDivision(p)) where.push({ kind: 'good-practice', units: { has: p.unitId } });
    const rows = await db.circularRecord.findMany({ where: { AND: where }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: q.limit });
    const names = new Map((await topUnits(db)).map((u) => [u.id, u.name]));
    res.json({ items: rows.map((r) => recordView(r, names)) });
  });

  return router;
}
