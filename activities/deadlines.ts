/**
 * Deadline activities: the working-day clock needs the holiday calendar (a data package plus administrators' overrides in
 * PostgreSQL), which changes over time, so workflows never compute it themselves — the result of each computation is
 * recorded in history, and replay stays deterministic when the calendar or the data package changes.
 */
import { advanceWorkingClock, clockStartAt, workingTimeBetween } from '../rules/clock';
import { extensionLatestDueAt, supervisionAnswerDueAt, ticketDeadlines } from '../rules/deadlines';
import type { TransportCalendar } from '../rules/calendar';
import { partDeadlines } from '../rules/parts';
import type { Parameters } from '../rules/parameters';
import { DAY, SECOND } from '../rules/time';
import type { Category, Channel, Urgency } from '../rules/types';
import type { Db } from '../lib/db';
import { loadCalendar } from '../lib/calendar-store';
import type { TicketDeadlines } from '../workflows/messages';

export interface PlanDeadlinesInput {
  channel: Channel;
  category: Category;
  urgency: Urgency | null;
  /** 第十一条(四): the clock's start — the dispatch to the Commission, or the reopen (第十七条) for a re-handling round. */
  clockStartsAt: string;
  dispatchedToUnitAt: string;
  /** An approved extension's deadline (第十四条): the reminder and near-deadline points are placed before it. */
  fixedDueAt?: string;
}

const iso = (d: Date) => d.toISOString();

/**
 * 第八条(一)(三), 第十一条, 第十四条: every deadline of a ticket's current round, and whether any of it is provisional.
 * The one planner: the deadline activity and the API's intake (its 201 answer) both call it.
 */
export function planTicketDeadlines(calendar: TransportCalendar, params: Parameters, input: PlanDeadlinesInput): TicketDeadlines {
  const d = ticketDeadlines(
    {
      channel: input.channel,
      category: input.category,
      ...(input.urgency ? { urgency: input.urgency } : {}),
      dispatchedToCommissionAt: new Date(input.clockStartsAt),
      dispatchedToUnitAt: new Date(input.dispatchedToUnitAt),
    },
    calendar,
    params,
  );
  let dueAt = d.handlingDueAt;
  let remindAt = d.reminderAt;
  let nearDeadlineAt = d.nearDeadlineAt;
  let provisional = d.provisional;
  if (input.fixedDueAt) {
    // The extended deadline is a date the Commission approved; the reminder keeps its fraction of the clock.
    dueAt = new Date(input.fixedDueAt);
    const start = new Date(input.clockStartsAt);
    const span = workingTimeBetween(calendar, start, dueAt);
    const at = (fraction: number) => advanceWorkingClock(calendar, start, Math.floor((span * fraction) / SECOND) * SECOND);
    const reminder = at(params.reminderFraction.value);
    const near = at(params.supervisionNearDeadlineFraction.value);
    remindAt = reminder.at;
    nearDeadlineAt = near.at;
    provisional = reminder.provisional || near.provisional;
  }
  // spec decision (第九条, 第二十八条(六)): the co-handling units' parts fall due before the ticket.
  const part = partDeadlines(calendar, new Date(input.clockStartsAt), dueAt, d.sla.unit === 'hours', params);
  return {
    clockStartedAt: iso(clockStartAt(calendar, new Date(input.clockStartsAt))),
    acceptDueAt: iso(d.acceptanceDueAt),
    partDueAt: iso(part.partDueAt),
    partRemindAt: iso(part.partRemindAt),
    returnWindowEndsAt: iso(d.returnWindowEndsAt),
    dueAt: iso(dueAt),
    remindAt: iso(remindAt),
    nearDeadlineAt: iso(nearDeadlineAt),
    extensionLatestDueAt: iso(extensionLatestDueAt(dueAt, calendar, params)),
    provisional,
    sla: { description: d.sla.description, article: d.sla.article },
  };
}

export function createDeadlineActivities(db: Db, params: Parameters) {
  return {
    /** The regulation's parameters in force for a ticket that starts now (recorded in its history for replay). */
    async parametersInForce(): Promise<Parameters> {
      return params;
    },

    /** The deadlines of a ticket's current round (planTicketDeadlines) on the stored calendar. */
    async planDeadlines(input: PlanDeadlinesInput): Promise<TicketDeadlines> {
      return planTicketDeadlines(await loadCalendar(db), params, input);
    },

    /** spec decision (第十七条、第十八条): until when a closed ticket can be revisited and sent back for re-handling. */
    async planRevisitWindow(closedAt: string): Promise<{ endsAt: string }> {
      return { endsAt: iso(new Date(Date.parse(closedAt) + params.revisitWindowDays.value * DAY)) };
    },

    /** spec decision (第二十三条): when the unit's sealed report on a supervision is due, and its reminder before. */
    async planSupervisionAnswer(openedAt: string): Promise<{ dueAt: string; remindAt: string; provisional: boolean }> {
      const calendar = await loadCalendar(db);
      const opened = new Date(openedAt);
      const r = supervisionAnswerDueAt(opened, calendar, params);
      // The reminder goes out when the reminder fraction of the answer's working time has run (as for handling, 第十一条).
      const span = workingTimeBetween(calendar, opened, r.dueAt);
      const remind = advanceWorkingClock(calendar, opened, Math.floor((span * params.reminderFraction.value) / SECOND) * SECOND);
      return { dueAt: iso(r.dueAt), remindAt: iso(remind.at), provisional: r.provisional || remind.provisional };
    },
  };
}
