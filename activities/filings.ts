/**
 * 第三十一条 monthly filings: the knowledge-base report (1st–5th, for the previous month) and the training report
 * (1st–20th, for the current month) each owing unit files on the 12345 platform and confirms here.
 *
 * The owing units are the rows of the one unit table marked `owesMonthlyReports` (by id). `monthlyFilingsWorkflow`
 * (workflows/monthly-filings.ts) opens a month's obligations — one `MonthlyFiling` row per unit and report — reminds
 * the units that have not filed before the due time and marks late those that have not filed by it; the API
 * (`POST /api/v1/filings/:id`, api/knowledge.ts) records a filing through `fileMonthlyReport`, late when after the due
 * time. Every write is idempotent: rows are keyed by `<unitId>:<kind>:<assessment month>`, notifications by their
 * idempotency key, so a retried activity writes nothing twice and returns the same keys to deliver.
 */
import type { Db } from '../lib/db';
import type { MonthlyFiling, Prisma } from '../generated/prisma/client';
import { loadCalendar } from '../lib/calendar-store';
import { SERVICE_DIVISION_UNIT } from '../rules/lifecycle';
import {
  filingMonthOf,
  isMonthlyDeadlineMissed,
  monthlyFilingDeadlines,
  monthlyFilingObligations,
  owesMonthlyReports,
  parseMonthlyFilingId,
  type MonthlyFilingDeadline,
  type MonthlyFilingKind,
} from '../rules/monthly';
import { DEFAULT_PARAMETERS, type Parameters } from '../rules/parameters';
import type { MonthKey } from '../rules/time';

/** One report of a month's plan, as the workflow keeps it (instants as ISO strings). */
export interface PlannedFiling {
  kind: MonthlyFilingKind;
  assessmentMonth: MonthKey;
  dueDate: string;
  dueAt: string;
  remindAt: string;
  moved: 'none' | 'earlier';
  provisional: boolean;
}

/** A month's obligations as opened (or re-planned on the calendar as it is now). */
export interface MonthlyFilingPlan {
  /** The month the reports are filed in. */
  month: MonthKey;
  filings: PlannedFiling[];
  /** The owing units (unit table ids). */
  units: string[];
  /** Rows created by this call (0 when the month was already open). */
  opened: number;
}

/** 第三十一条: the reports' names on the 12345 platform. */
export const REPORT_NAMES: Record<MonthlyFilingKind, string> = { 'knowledge-base': '知识库信息月报表', training: '培训材料月报表' };

/** What identifies a filing to its unit, to 委政务服务处 and in the API: the one mapping of its row. */
export function filingFacts(row: Pick<MonthlyFiling, 'id' | 'unitId' | 'kind' | 'month' | 'dueAt'>) {
  const kind = row.kind as MonthlyFilingKind;
  return {
    unitId: row.unitId,
    kind,
    report: REPORT_NAMES[kind],
    assessmentMonth: row.month,
    filingMonth: filingMonthOf(kind, row.month),
    dueAt: row.dueAt.toISOString(),
  };
}

function planned(d: MonthlyFilingDeadline): PlannedFiling {
  return {
    kind: d.kind,
    assessmentMonth: d.assessmentMonth,
    dueDate: d.dueDate,
    dueAt: d.dueAt.toISOString(),
    remindAt: d.remindAt.toISOString(),
    moved: d.moved,
    provisional: d.provisional,
  };
}

/** The owing units of the unit table, by id. */
export async function owingUnits(db: Db): Promise<{ id: string; owesMonthlyReports: boolean; active: boolean }[]> {
  return db.unit.findMany({ where: { owesMonthlyReports: true, active: true }, select: { id: true, owesMonthlyReports: true, active: true }, orderBy: { id: 'asc' } });
}

/** Notification payload of a filing: what the unit and 委政务服务处 need to act on it. */
function payloadOf(row: MonthlyFiling, extra: Record<string, unknown> = {}): Prisma.InputJsonValue {
  const kind = row.kind as MonthlyFilingKind;
  return {
    filingId: row.id,
    ...filingFacts(row),
    article: kind === 'knowledge-base' ? '第三十一条(一)' : '第三十一条(二)',
    ...extra,
  } as Prisma.InputJsonValue;
}

/** The keys among `keys` that are queued in the outbox. */
async function queued(db: Db, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db.notification.findMany({ where: { idempotencyKey: { in: keys } }, select: { idempotencyKey: true }, orderBy: { idempotencyKey: 'asc' } });
  return rows.map((r) => r.idempotencyKey);
}

export const reminderKey = (filingId: string) => `monthly-filing-reminder:${filingId}`;
export const lateKey = (filingId: string) => `monthly-filing-late:${filingId}`;
export const lateSummaryKey = (kind: MonthlyFilingKind, assessmentMonth: MonthKey) => `monthly-filing-late:${kind}:${assessmentMonth}:service-division`;

export function createFilingActivities(db: Db, params: Parameters = DEFAULT_PARAMETERS) {
  /** The rows of one report of `month`. */
  const rowsOf = async (month: MonthKey, kind: MonthlyFilingKind) => {
    const { assessmentMonth } = monthlyFilingDeadlines(month, await loadCalendar(db), params)[kind];
    return { assessmentMonth, rows: await db.monthlyFiling.findMany({ where: { kind, month: assessmentMonth }, orderBy: { id: 'asc' } }) };
  };

  return {
    /**
     * 第三十一条: opens `month`'s obligations — a row per owing unit and report, due by the end of the last working day
     * on or before the 5th / 20th (第三十一条(四)) — or, when open, re-plans them on the calendar as it is now: a row not
     * yet filed nor marked late takes the due time the calendar now gives (an arrangement loaded since may move it).
     */
    async planMonthlyFilings({ month }: { month: MonthKey }): Promise<MonthlyFilingPlan> {
      const calendar = await loadCalendar(db);
      const units = await owingUnits(db);
      const deadlines = monthlyFilingDeadlines(month, calendar, params);
      const obligations = monthlyFilingObligations(month, units, calendar, params);
      const created = await db.monthlyFiling.createMany({
        data: obligations.map((o) => ({ id: o.id, unitId: o.unitId, kind: o.kind, month: o.assessmentMonth, dueAt: o.dueAt })),
        skipDuplicates: true,
      });
      for (const d of Object.values(deadlines)) {
        await db.monthlyFiling.updateMany({
          where: { kind: d.kind, month: d.assessmentMonth, filedAt: null, late: false, dueAt: { not: d.dueAt } },
          data: { dueAt: d.dueAt },
        });
      }
      return { month, filings: Object.values(deadlines).map(planned), units: units.map((u) => u.id), opened: created.count };
    },

    /**
     * 第三十一条: reminds each unit that has not filed `kind` of `month` (once per filing). Returns the keys of every
     * reminder of that report in the outbox, to deliver (delivering one already sent sends nothing).
     */
    async remindMonthlyFilings({ month, kind }: { month: MonthKey; kind: MonthlyFilingKind }): Promise<string[]> {
      const { rows } = await rowsOf(month, kind);
      const open = rows.filter((r) => r.filedAt === null && !r.reminded);
      if (open.length > 0) {
        await db.$transaction([
          db.notification.createMany({
            data: open.map((r) => ({ idempotencyKey: reminderKey(r.id), kind: 'monthly-filing-reminder', recipientRole: 'unit', recipientUnit: r.unitId, payload: payloadOf(r) })),
            skipDuplicates: true,
          }),
          db.monthlyFiling.updateMany({ where: { id: { in: open.map((r) => r.id) }, filedAt: null }, data: { reminded: true } }),
        ]);
      }
      return queued(db, rows.map((r) => reminderKey(r.id)));
    },

    /**
     * 第三十一条: at the due time, marks late each filing of `kind` of `month` not filed, and tells the unit and
     * 委政务服务处 (one list of the late units). Returns the keys of those notifications in the outbox, to deliver.
     */
    async markMonthlyFilingsLate({ month, kind }: { month: MonthKey; kind: MonthlyFilingKind }): Promise<string[]> {
      const { assessmentMonth, rows } = await rowsOf(month, kind);
      const missing = rows.filter((r) => r.filedAt === null && !r.late);
      if (missing.length > 0) {
        await db.$transaction([
          db.monthlyFiling.updateMany({ where: { id: { in: missing.map((r) => r.id) }, filedAt: null }, data: { late: true } }),
          db.notification.createMany({
            data: [
              ...missing.map((r) => ({ idempotencyKey: lateKey(r.id), kind: 'monthly-filing-late', recipientRole: 'unit', recipientUnit: r.unitId, payload: payloadOf(r) })),
              {
                idempotencyKey: lateSummaryKey(kind, assessmentMonth),
                kind: 'monthly-filing-late',
                recipientRole: 'service-division',
                recipientUnit: SERVICE_DIVISION_UNIT,
                payload: {
                  kind,
                  report: REPORT_NAMES[kind],
                  assessmentMonth,
                  filingMonth: month,
                  dueAt: missing[0]!.dueAt.toISOString(),
                  units: missing.map((r) => r.unitId),
                  article: kind === 'knowledge-base' ? '第三十一条(一)' : '第三十一条(二)',
                } as Prisma.InputJsonValue,
              },
            ],
            skipDuplicates: true,
          }),
        ]);
      }
      return queued(db, [...rows.map((r) => lateKey(r.id)), lateSummaryKey(kind, assessmentMonth)]);
    },
  };
}

/** Why a filing was not recorded. */
export type FilingRefusal =
  | { refused: 'not-found' }
  | { refused: 'other-unit'; unitId: string }
  | { refused: 'not-owing'; unitId: string }
  | { refused: 'already-filed'; filing: MonthlyFiling };

export interface FileMonthlyReportInput {
  /** `<unitId>:<kind>:<assessment month>`. */
  id: string;
  /** The caller's unit: only the owing unit files its report. */
  byUnit: string;
  by: string;
  nothingNew: boolean;
  note?: string | undefined;
  at: Date;
}

/**
 * 第三十一条: a unit confirms that it filed a report on the 12345 platform — with nothing new too (第三十一条(三)). The
 * obligation is opened here when the month's workflow has not opened it yet. A filing after the due time is recorded
 * late (第三十一条(四): the deadline never moves later). A report is filed once: a second filing is refused.
 */
export async function fileMonthlyReport(db: Db, params: Parameters, input: FileMonthlyReportInput): Promise<{ filing: MonthlyFiling } | FilingRefusal> {
  const parsed = parseMonthlyFilingId(input.id);
  if (!parsed) return { refused: 'not-found' };
  let row = await db.monthlyFiling.findUnique({ where: { id: input.id } });
  if (!row) {
    const unit = await db.unit.findUnique({ where: { id: parsed.unitId }, select: { id: true, owesMonthlyReports: true, active: true } });
    if (!unit) return { refused: 'not-found' };
    if (parsed.unitId !== input.byUnit) return { refused: 'other-unit', unitId: parsed.unitId };
    if (!owesMonthlyReports(unit)) return { refused: 'not-owing', unitId: parsed.unitId };
    const deadline = monthlyFilingDeadlines(filingMonthOf(parsed.kind, parsed.assessmentMonth), await loadCalendar(db), params)[parsed.kind];
    await db.monthlyFiling.createMany({ data: [{ id: input.id, unitId: unit.id, kind: parsed.kind, month: parsed.assessmentMonth, dueAt: deadline.dueAt }], skipDuplicates: true });
    row = await db.monthlyFiling.findUniqueOrThrow({ where: { id: input.id } });
  }
  if (row.unitId !== input.byUnit) return { refused: 'other-unit', unitId: row.unitId };
  if (row.filedAt) return { refused: 'already-filed', filing: row };
  const done = await db.monthlyFiling.updateMany({
    where: { id: row.id, filedAt: null },
    data: { filedAt: input.at, filedBy: input.by, nothingNew: input.nothingNew, note: input.note ?? null, late: isMonthlyDeadlineMissed(row, input.at) },
  });
  const filing = await db.monthlyFiling.findUniqueOrThrow({ where: { id: row.id } });
  if (done.count === 0) return { refused: 'already-filed', filing };
  return { filing };
}
