/**
 * 第二十八条 the monthly appeal package: the activities of `appealPackageWorkflow` (workflows/appeal-package.ts) and the
 * schedule that opens each month's packages.
 *
 * - `planAppealPackage`: the package's due day on the stored calendar — the 6th of the next month, postponed to the first
 *   working day (rules/monthly.ts monthlyDeadlines) — and its reminder, `appealPackageReminderWorkingDays` working days
 *   before the due day at 00:00 Asia/Shanghai. The calendar changes over time, so the workflow never computes it itself:
 *   the result is recorded in its history.
 * - `appealsOfPackage`, `unitsWithAppeals`: what the package carries, read from the `Appeal` rows.
 * - `recordAppealPackage`: the package's read model (`AppealPackage`) and its notifications (the outbox), in one
 *   transaction; idempotent (an upsert keyed by the package id, notifications by their idempotency key).
 */
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import type { Db } from '../lib/db';
import type { Prisma } from '../generated/prisma/client';
import { loadCalendar } from '../lib/calendar-store';
import { previousWorkingDay, type WorkingCalendar } from '../rules/clock';
import { monthlyDeadlines } from '../rules/monthly';
import type { Parameters } from '../rules/parameters';
import { parseMonthKey, startOfShanghaiDay, type MonthKey } from '../rules/time';
import { APPEAL_PACKAGE_SCHEDULE, appealPackageId, type AppealPackagePlan, type AppealPackageState, type PackageNotification } from '../workflows/appeal-package';

/** The next month (`2026-12` → `2027-01`). */
export function nextMonth(month: MonthKey): MonthKey {
  const { year, month: m } = parseMonthKey(month);
  return m === 12 ? `${String(year + 1).padStart(4, '0')}-01` : `${String(year).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * 第二十八条: the package of `month` (the appeals filed in that month) is due by the end of the 6th of the next month,
 * postponed to the first working day; its reminder goes out at 00:00 of the working day `appealPackageReminderWorkingDays`
 * working days before the due day (the due day itself for 0). E.g. 2026-11: the 6th of December is a Sunday, due by the
 * end of Monday 2026-12-07, reminded at 00:00 on Thursday 2026-12-03.
 */
export function planAppealPackage(calendar: WorkingCalendar, params: Parameters, month: MonthKey): AppealPackagePlan {
  const d = monthlyDeadlines(nextMonth(month), calendar, params).appealPackage;
  let remindDay = d.dueDate;
  for (let i = 0; i < params.appealPackageReminderWorkingDays.value; i++) remindDay = previousWorkingDay(calendar, remindDay);
  return {
    nominalDueDate: d.nominalLastDay,
    dueDate: d.dueDate,
    dueAt: d.dueAt.toISOString(),
    remindAt: startOfShanghaiDay(remindDay).toISOString(),
    moved: d.moved === 'later' ? 'later' : 'none',
    provisional: d.provisional,
  };
}

export function createAppealActivities(db: Db, params: Parameters) {
  return {
    /** 第二十八条: the package's due day and reminder on the stored calendar (recorded in the workflow's history). */
    async planAppealPackage({ month }: { month: MonthKey }): Promise<AppealPackagePlan> {
      return planAppealPackage(await loadCalendar(db), params, month);
    },

    /** The appeals a unit filed in `month`, by ticket number: what its package carries. */
    async appealsOfPackage({ unitId, month }: { unitId: string; month: MonthKey }): Promise<string[]> {
      const rows = await db.appeal.findMany({ where: { unitId, packageMonth: month }, select: { ticketNo: true }, orderBy: { ticketNo: 'asc' } });
      return rows.map((r) => r.ticketNo);
    },

    /** The units that filed at least one appeal in `month`: each has a package for it (spec decision, 第二十八条). */
    async unitsWithAppeals({ month }: { month: MonthKey }): Promise<string[]> {
      const rows = await db.appeal.findMany({ where: { packageMonth: month }, select: { unitId: true }, distinct: ['unitId'], orderBy: { unitId: 'asc' } });
      return rows.map((r) => r.unitId);
    },

    /** The package's row (its read model) and the notifications of the step, in one transaction; idempotent. */
    async recordAppealPackage({ state: s, notifications }: { state: AppealPackageState; notifications: PackageNotification[] }): Promise<void> {
      const row = {
        unitId: s.unitId,
        month: s.month,
        dueAt: new Date(s.plan!.dueAt),
        signedBy: s.signature?.by ?? null,
        signedAt: s.signature ? new Date(s.signature.at) : null,
        sealRef: s.seal?.documentRef ?? null,
        sealedAt: s.seal ? new Date(s.seal.at) : null,
        submittedAt: s.submission ? new Date(s.submission.at) : null,
        reminded: s.reminded,
        late: s.late,
        status: s.status,
      };
      const id = appealPackageId(s.unitId, s.month);
      await db.$transaction([
        db.appealPackage.upsert({ where: { id }, create: { id, ...row }, update: row }),
        db.notification.createMany({
          data: notifications.map((n) => ({
            idempotencyKey: n.key,
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

/**
 * 第二十八条: on the 1st of each month at 00:30 Asia/Shanghai the `appeal-packages` schedule starts
 * openAppealPackagesWorkflow, which opens last month's package of every unit that filed an appeal in it
 * (`appeal-package:<unitId>:<YYYY-MM>`). A run missed while the cluster was down is caught up within 5 days (before the
 * 6th). Created once; an existing schedule is left as it is.
 */
export async function ensureAppealPackageSchedule(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: APPEAL_PACKAGE_SCHEDULE,
      spec: { calendars: [{ dayOfMonth: 1, hour: 0, minute: 30 }], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: 'openAppealPackagesWorkflow', workflowId: 'appeal-packages-opening', taskQueue, args: [{}] },
      policies: { overlap: 'SKIP', catchupWindow: '5 days' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
