/**
 * monthlyFilingsWorkflow: one month's filings of 第三十一条 as a durable process, id `monthly-filings:<YYYY-MM>` (the
 * month the reports are filed in).
 *
 * It opens the month's obligations — for each owing unit of the unit table, the knowledge-base report for the previous
 * month (due by the end of the last working day on or before the 5th) and the training report for this month (on or
 * before the 20th): the deadline never moves later (第三十一条(四)), so it may fall in the previous month — then waits
 * with durable timers for each report's reminder, reminding the units that have not filed, and for its due time,
 * marking late those that still have not. The units file through the API (`POST /api/v1/filings/:id`); a filing after
 * the due time is recorded late there.
 *
 * It wakes at least once a day and re-plans on the calendar as it is then, so an arrangement loaded by an administrator
 * after the month was opened (a year that was provisional) moves the timers too.
 *
 * Started without a month, it is the run of the `monthly-filings` schedule: it opens the next month (Asia/Shanghai, in
 * the workflow's time) as a workflow of its own, which outlives it, and ends. Opening a month already open does
 * nothing.
 *
 * `deliverNotificationsWorkflow` delivers outbox rows written outside any workflow: the knowledge base's notifications
 * of 第二十九条 and 第三十条, and the sealed material of 第三十二条 (api/knowledge.ts).
 */
import {
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  defineQuery,
  setHandler,
  sleep,
  startChild,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import type { MonthlyFilingPlan, PlannedFiling } from '../activities/filings';
import { MONTHLY_FILING_KINDS, nextMonth, type MonthlyFilingKind } from '../rules/monthly';
import { DAY, shanghaiDate, type MonthKey } from '../rules/time';
import { LOCAL_OPTIONS, NOTIFICATION_OPTIONS } from './activity-options';

const local = proxyLocalActivities<Activities>(LOCAL_OPTIONS);
const notifier = proxyActivities<Activities>(NOTIFICATION_OPTIONS);

/** The schedule that opens each month's obligations (bin/worker.ts). */
export const MONTHLY_FILINGS_SCHEDULE = 'monthly-filings';

/** The workflow id of `month`'s filings. */
export function monthlyFilingsWorkflowId(month: MonthKey): string {
  return `monthly-filings:${month}`;
}

export interface MonthlyFilingsInput {
  /** The month the reports are filed in (`YYYY-MM`); absent: the schedule's run, which opens the next month. */
  month?: MonthKey;
}

/** What happened to one report of the month. */
export interface MonthlyFilingProgress extends PlannedFiling {
  /** The reminder went out (not when the due time had passed first). */
  reminded: boolean;
  /** The due time passed and the units not filed by then were marked late. */
  closed: boolean;
}

export interface MonthlyFilingsState {
  month: MonthKey;
  units: string[];
  filings: MonthlyFilingProgress[];
}

/** The schedule's run: which month it opened, and whether it started that month's workflow (false: already open). */
export interface MonthlyFilingsOpening {
  opened: MonthKey;
  started: boolean;
  workflowId: string;
}

export const monthlyFilingsQuery = defineQuery<MonthlyFilingsState>('getMonthlyFilings');

/** Longest sleep between two re-plannings. */
const REPLAN_EVERY_MS = DAY;

export async function monthlyFilingsWorkflow(input: MonthlyFilingsInput = {}): Promise<MonthlyFilingsState | MonthlyFilingsOpening> {
  if (!input.month) return openNextMonth();
  const month = input.month;
  const state: MonthlyFilingsState = { month, units: [], filings: [] };
  setHandler(monthlyFilingsQuery, () => state);
  const deliveries: Promise<unknown>[] = [];
  const deliver = (keys: string[]) => {
    for (const key of keys) deliveries.push(notifier.deliverNotification(key).catch(() => undefined));
  };
  const progress = new Map<MonthlyFilingKind, { reminded: boolean; closed: boolean }>(MONTHLY_FILING_KINDS.map((k) => [k, { reminded: false, closed: false }]));

  const replan = async (): Promise<void> => {
    const plan: MonthlyFilingPlan = await local.planMonthlyFilings({ month });
    state.units = plan.units;
    state.filings = plan.filings.map((f) => ({ ...f, ...progress.get(f.kind)! }));
  };

  await replan();
  for (;;) {
    const now = Date.now();
    // The next step of each report: its reminder while before the due time, then its late mark.
    const steps = state.filings.flatMap((f): { kind: MonthlyFilingKind; step: 'remind' | 'close'; at: number }[] => {
      if (f.closed) return [];
      const dueAt = Date.parse(f.dueAt);
      if (!f.reminded && now < dueAt) return [{ kind: f.kind, step: 'remind', at: Date.parse(f.remindAt) }];
      return [{ kind: f.kind, step: 'close', at: dueAt }];
    });
    if (steps.length === 0) break;
    const next = steps.reduce((a, b) => (b.at < a.at ? b : a));
    // The due time is the end of a second (第十一条(四)): the late mark comes strictly after it.
    const wait = next.step === 'close' ? next.at - now + 1000 : next.at - now;
    if (wait > 0) {
      await sleep(Math.min(wait, REPLAN_EVERY_MS));
      await replan();
      continue;
    }
    const p = progress.get(next.kind)!;
    if (next.step === 'remind') {
      deliver(await local.remindMonthlyFilings({ month, kind: next.kind }));
      p.reminded = true;
    } else {
      deliver(await local.markMonthlyFilingsLate({ month, kind: next.kind }));
      p.closed = true;
    }
    state.filings = state.filings.map((f) => ({ ...f, ...progress.get(f.kind)! }));
  }
  await Promise.all(deliveries);
  return state;
}

/** The schedule's run: opens the month after the workflow's current month (Asia/Shanghai). */
async function openNextMonth(): Promise<MonthlyFilingsOpening> {
  const opened = nextMonth(shanghaiDate(new Date(Date.now())).slice(0, 7));
  const workflowId = monthlyFilingsWorkflowId(opened);
  try {
    await startChild(monthlyFilingsWorkflow, {
      workflowId,
      args: [{ month: opened }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // A month that ran is not opened again; one that failed or was terminated may be.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    });
    return { opened, started: true, workflowId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { opened, started: false, workflowId };
    throw err;
  }
}

export interface DeliverNotificationsInput {
  keys: string[];
}

/** Delivers outbox rows queued outside any workflow (at least once; a receiver's refusal is kept on the row). */
export async function deliverNotificationsWorkflow({ keys }: DeliverNotificationsInput): Promise<{ delivered: number }> {
  const results = await Promise.all(keys.map((key) => notifier.deliverNotification(key).then(() => true, () => false)));
  return { delivered: results.filter(Boolean).length };
}
