/**
 * Policy service: the rule layer (rules/) for people and other systems — deadline previews, the reply check, the monthly
 * deadlines, the parameter table in force — and the administrators' working calendar, whose changes reach every open
 * ticket workflow. No rule is decided here: each answer is a rule-layer function applied to the stored calendar and the
 * deployment's parameters.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../lib/db';
import { loadCalendar } from '../lib/calendar-store';
import { DATA_PACKAGE_YEARS, type TransportCalendar } from '../rules/calendar';
import type { DayInfo } from '../rules/clock';
import { ticketDeadlines } from '../rules/deadlines';
import { monthlyDeadlines, type MonthlyDeadline } from '../rules/monthly';
import { DEFAULT_PARAMETERS, REGULATION, type ParameterName, type Parameters } from '../rules/parameters';
import { analyseReply, checkReply, type ReplyAnalysis } from '../rules/reply';
import { DAY, HOUR, isDayBoundary, shanghaiDate, addCalendarDays, type MonthKey } from '../rules/time';
import type { Category, Violation } from '../rules/types';
import { calendarChangedSignal } from '../workflows/messages';
import { DomainError } from './errors';
import type { CalendarPutBody, DeadlineQuery, ReplyCheckBody } from './schemas';

export interface PolicyServiceDeps {
  db: Db;
  client: Client;
  /** The regulation's parameters with the deployment's overrides (RULE_PARAMETERS). */
  params?: Parameters;
}

/** An instant for machines (`at`, ISO-8601 UTC) and for people (`local`, Asia/Shanghai wall time). */
export interface InstantView {
  at: string;
  /** `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai; an instant at midnight is written as 24:00:00 of the day it ends. */
  local: string;
}

/** A deadline: when, and the article it comes from. */
export interface DeadlineView extends InstantView {
  article: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Asia/Shanghai wall time of an instant. A deadline "by the end of 2026-10-10" is the instant 2026-10-11 00:00, which
 * people read as 2026-10-10 24:00:00 (当日24时), so day boundaries are written that way.
 */
export function shanghaiLocal(instant: Date): string {
  if (isDayBoundary(instant)) return `${addCalendarDays(shanghaiDate(instant), -1)} 24:00:00`;
  const msOfDay = (((instant.getTime() + 8 * HOUR) % DAY) + DAY) % DAY;
  const s = Math.floor(msOfDay / 1000);
  return `${shanghaiDate(instant)} ${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

export function instantView(instant: Date): InstantView {
  return { at: instant.toISOString(), local: shanghaiLocal(instant) };
}

const deadlineView = (instant: Date, article: string): DeadlineView => ({ ...instantView(instant), article });

export interface CalendarView {
  year: number;
  /** The State Council arrangement of the year is known: from the data package or loaded by an administrator. */
  published: boolean;
  /** Not published: rest days are the statutory holidays only, and deadlines touching the year are provisional. */
  provisional: boolean;
  /** The `chinese-days` data package holds the year's arrangement. */
  inDataPackage: boolean;
  /** Who loaded the year's arrangement, when the administrator did. */
  loaded: { by: string; at: string; note: string | null } | null;
  /** Holidays, make-up working days and overridden days (`source: "override"`), in date order. */
  days: DayInfo[];
}

export interface CalendarUpdateResult {
  calendar: CalendarView;
  /** Open ticket workflows told to recompute their deadlines. */
  signalled: number;
  /** Workflows listed as open that had finished before the signal reached them. */
  finishedMeanwhile: number;
}

/** Visibility query of the ticket workflows that may still have deadlines to move. */
export const OPEN_TICKETS_QUERY = 'ExecutionStatus="Running" AND WorkflowType="ticketWorkflow"';
/** How many signals are in flight at once. */
const SIGNAL_CONCURRENCY = 16;
/** First key of the advisory lock that serialises replacing a year's calendar (the second is the year). */
const CALENDAR_LOCK = 0x43414c; // "CAL"

export class PolicyService {
  private readonly params: Parameters;

  constructor(private readonly deps: PolicyServiceDeps) {
    this.params = deps.params ?? DEFAULT_PARAMETERS;
  }

  /** 第八条(一)(三)1, 第十一条: every deadline of a ticket with these attributes, on the stored calendar. */
  async deadlines(q: DeadlineQuery) {
    const calendar = await loadCalendar(this.deps.db);
    const dispatchedAt = new Date(q.dispatchedAt);
    const dispatchedToUnitAt = new Date(q.dispatchedToUnitAt ?? q.dispatchedAt);
    const d = ticketDeadlines(
      {
        channel: q.channel,
        // The schema checked that the category belongs to the channel.
        category: q.category as Category,
        ...(q.urgency ? { urgency: q.urgency } : {}),
        dispatchedToCommissionAt: dispatchedAt,
        dispatchedToUnitAt,
      },
      calendar,
      this.params,
    );
    const p = this.params;
    return {
      ticket: {
        channel: q.channel,
        category: q.category,
        urgency: q.urgency ?? null,
        dispatchedAt: instantView(dispatchedAt),
        dispatchedToUnitAt: instantView(dispatchedToUnitAt),
      },
      sla: d.sla,
      deadlines: {
        acceptanceDueAt: deadlineView(d.acceptanceDueAt, p.acceptanceHours.article),
        returnWindowEndsAt: deadlineView(d.returnWindowEndsAt, p.returnWindowHours.article),
        handlingDueAt: deadlineView(d.handlingDueAt, d.sla.article),
        reminderAt: deadlineView(d.reminderAt, p.reminderFraction.article),
        nearDeadlineAt: deadlineView(d.nearDeadlineAt, p.supervisionNearDeadlineFraction.article),
      },
      /** Some day of the handling clock lies in a year without a published arrangement. */
      provisional: d.provisional,
      unpublishedYears: unpublishedYears(calendar, dispatchedAt, d.handlingDueAt),
      timeZone: 'Asia/Shanghai',
    };
  }

  /** 第十六条: a preview of the reply check — every violation at once, and what was recognised in the draft. */
  replyCheck(body: ReplyCheckBody): { ok: boolean; violations: Violation[]; analysis: ReplyAnalysis } {
    const { returnReasons, complaintText, contactedAt, ...fields } = body;
    const draft = { ...fields, ...(contactedAt ? { contactedAt: new Date(contactedAt) } : {}) };
    const verdict = checkReply(draft, { ...(returnReasons ? { returnReasons } : {}), ...(complaintText !== undefined ? { complaintText } : {}) });
    return { ok: verdict.ok, violations: verdict.ok ? [] : verdict.violations, analysis: analyseReply(draft) };
  }

  /** 第二十八条, 第三十一条: the monthly deadlines of `month`, and the units that file the reports themselves. */
  async monthly(month: MonthKey) {
    const m = monthlyDeadlines(month, await loadCalendar(this.deps.db), this.params);
    const view = (x: MonthlyDeadline) => ({ ...x, dueAt: instantView(x.dueAt) });
    return {
      month,
      knowledgeBaseReport: view(m.knowledgeBaseReport),
      trainingReport: view(m.trainingReport),
      appealPackage: view(m.appealPackage),
      // 第三十一条: the owing units from the one unit table (the same the filings and the statistics use).
      reportingUnits: (await this.deps.db.unit.findMany({ where: { owesMonthlyReports: true, active: true }, orderBy: { createdAt: 'asc' }, select: { id: true, name: true } })).map((u) => ({ id: u.id, name: u.name })),
      timeZone: 'Asia/Shanghai',
    };
  }

  /** The parameter table in force: the regulation's defaults with the deployment's overrides (marked `overridden`). */
  parameters() {
    const names = Object.keys(this.params) as ParameterName[];
    return {
      regulation: REGULATION,
      parameters: names.map((name) => {
        const p = this.params[name];
        return {
          name,
          value: p.value,
          unit: p.unit,
          article: p.article,
          effectiveFrom: p.effectiveFrom,
          description: p.description,
          overridden: JSON.stringify(p.value) !== JSON.stringify(DEFAULT_PARAMETERS[name].value),
        };
      }),
    };
  }

  /** 第十一条: a year of the working calendar as the system uses it. */
  async calendar(year: number): Promise<CalendarView> {
    const [calendar, loaded] = await Promise.all([loadCalendar(this.deps.db), this.deps.db.calendarYear.findUnique({ where: { year } })]);
    const arrangement = calendar.yearArrangement(year);
    return {
      year,
      published: arrangement.published,
      provisional: arrangement.provisional,
      inDataPackage: DATA_PACKAGE_YEARS.includes(year),
      loaded: loaded ? { by: loaded.loadedBy, at: loaded.loadedAt.toISOString(), note: loaded.note } : null,
      days: arrangement.days,
    };
  }

  /**
   * An administrator loads or corrects a year (spec decision "calendar years"): the year's overrides are replaced in one
   * transaction — and the year is marked published, or no longer — then every open ticket workflow is told to recompute
   * its deadlines. Replacing is idempotent, so when Temporal cannot be reached after the calendar was saved, repeating
   * the request signals the tickets.
   */
  async replaceYear(year: number, body: CalendarPutBody, admin: string): Promise<CalendarUpdateResult> {
    const { db } = this.deps;
    await db.$transaction([
      db.$executeRaw`SELECT pg_advisory_xact_lock(${CALENDAR_LOCK}::int, ${year}::int)`,
      db.calendarOverride.deleteMany({ where: { date: { startsWith: `${year}-` } } }),
      db.calendarOverride.createMany({
        data: body.days.map((d) => ({ date: d.date, working: d.working, name: d.name ?? null, updatedBy: admin })),
      }),
      body.published
        ? db.calendarYear.upsert({
            where: { year },
            create: { year, loadedBy: admin, note: body.note ?? null },
            update: { loadedBy: admin, loadedAt: new Date(), note: body.note ?? null },
          })
        : db.calendarYear.deleteMany({ where: { year } }),
    ]);
    const calendar = await this.calendar(year);
    let signals: { signalled: number; finishedMeanwhile: number };
    try {
      signals = await signalOpenTickets(this.deps.client, [year]);
    } catch (err) {
      throw new DomainError(
        503,
        'Service Unavailable',
        `the calendar of ${year} was saved, but open tickets could not be told to recompute their deadlines (${(err as Error).message}); repeat the request`,
        { calendarSaved: true },
      );
    }
    return { calendar, ...signals };
  }
}

/** Years from the start of the clock to the deadline that have no published arrangement. */
function unpublishedYears(calendar: TransportCalendar, from: Date, to: Date): number[] {
  const years: number[] = [];
  for (let y = Number(shanghaiDate(from).slice(0, 4)); y <= Number(shanghaiDate(to).slice(0, 4)); y++) if (!calendar.isPublishedYear(y)) years.push(y);
  return years;
}

/**
 * Sends `calendarChangedSignal` to every open ticket workflow (visibility: `OPEN_TICKETS_QUERY`). A workflow that
 * finished between the listing and its signal is counted, not an error.
 */
export async function signalOpenTickets(client: Client, years: number[]): Promise<{ signalled: number; finishedMeanwhile: number }> {
  let signalled = 0;
  let finishedMeanwhile = 0;
  const failures: Error[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = async (workflowId: string) => {
    try {
      await client.workflow.getHandle(workflowId).signal(calendarChangedSignal, { years });
      signalled++;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) finishedMeanwhile++;
      else failures.push(err as Error);
    }
  };
  for await (const wf of client.workflow.list({ query: OPEN_TICKETS_QUERY })) {
    const p: Promise<void> = send(wf.workflowId).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= SIGNAL_CONCURRENCY) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failures.length > 0) throw new Error(`${failures.length} signal(s) failed, e.g. ${failures[0]!.message}`);
  return { signalled, finishedMeanwhile };
}
