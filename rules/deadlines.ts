/**
 * Handling deadlines of 第十一条, with the acceptance (第八条(一)) and return-window (第八条(三)1) deadlines of the same
 * ticket, to the second (第十一条(四)).
 *
 * Takes the working calendar as an argument and imports no holiday data (only the clock of `./clock`).
 */
import { acceptanceDueAt } from './acceptance';
import { addWorkingDays, advanceWorkingClock, type WorkingCalendar } from './clock';
import { DEFAULT_PARAMETERS, type Parameters, type SlaLimit } from './parameters';
import { returnWindowEndsAt } from './returns';
import { DAY, HOUR, isLate, SECOND } from './time';
import {
  CATEGORY_NAMES,
  CHANNEL_NAMES,
  isCategoryOfChannel,
  URGENCY_NAMES,
  type Category,
  type Channel,
  type Urgency,
} from './types';

/** The handling time limit that applies to a ticket (第十一条(一)–(三)). */
export interface SlaEntry extends SlaLimit {
  channel: Channel;
  category: Category;
  /** Set when the urgency label's limit replaced the category's (第十一条(一)). */
  urgency?: Urgency;
  /** `第十一条(一)`, `第十一条(二)` or `第十一条(三)`. */
  article: string;
  /** e.g. `12345热线（含12328电话）投诉类：5个工作日`. */
  description: string;
}

/** What the deadlines of a ticket depend on. */
export interface DeadlineInput {
  channel: Channel;
  category: Category;
  /** 特急 / 紧急 / 急 (第十一条(一)). */
  urgency?: Urgency;
  /** 第十一条(四): when the platform dispatched the ticket to the Commission — the handling clock starts here. */
  dispatchedToCommissionAt: Date;
  /** 第八条(一)(三)1: when the ticket reached the handling unit — acceptance and the return window count from here. */
  dispatchedToUnitAt: Date;
}

/** Every deadline of a ticket as the rule layer computes them (Dates); the workflow keeps them as `TicketDeadlines`
 * (workflows/messages.ts, ISO strings), planned by activities/deadlines.ts planTicketDeadlines. */
export interface ComputedDeadlines {
  /** 第八条(一): accept within 3 natural hours of reaching the unit, and not after `handlingDueAt` (spec decision 特急). */
  acceptanceDueAt: Date;
  /**
   * 第八条(三)1: a not-our-duty return is due within 24 natural hours of reaching the unit, and not after `handlingDueAt`
   * (spec decision 特急).
   */
  returnWindowEndsAt: Date;
  /** 第十一条: the handling deadline; a reply at this instant is on time. */
  handlingDueAt: Date;
  /** spec decision (第十一条): when `reminderFraction` of the handling clock has run. */
  reminderAt: Date;
  /** spec decision (第二十二条(一)): "临近超时", when `supervisionNearDeadlineFraction` of the handling clock has run. */
  nearDeadlineAt: Date;
  /** Some day the handling clock ran over has no published holiday arrangement yet (spec decision "calendar years"). */
  provisional: boolean;
  sla: SlaEntry;
}

const ARTICLE_BY_CHANNEL: Record<Channel, string> = { '12345': '第十一条(一)', '12328-wechat': '第十一条(二)', zmlj: '第十一条(三)' };

function describeLimit(limit: SlaLimit): string {
  return limit.unit === 'hours' ? `${limit.amount}小时` : `${limit.amount}个工作日`;
}

/**
 * 第十一条(一)–(三): the handling time limit of a ticket. An urgency label (特急 1 h, 紧急 1 working day, 急 2 working
 * days) replaces the category's limit. The labels exist on 12345 tickets (`carriesUrgencyLabels`, and the dispatch refuses
 * them elsewhere); given one, the limit applies whatever the channel. Throws `RangeError` when `category` is not a category of `channel`.
 */
export function handlingSla(
  channel: Channel,
  category: Category,
  urgency?: Urgency,
  params: Parameters = DEFAULT_PARAMETERS,
): SlaEntry {
  if (!isCategoryOfChannel(channel, category)) throw new RangeError(`category ${category} is not a category of channel ${channel}`);
  const categoryName = (CATEGORY_NAMES[channel] as Record<string, string>)[category];
  const byCategory = (params.handlingLimits.value[channel] as Record<string, SlaLimit>)[category]!;
  if (urgency !== undefined) {
    const limit = params.urgencyLimits.value[urgency];
    return {
      channel,
      category,
      urgency,
      amount: limit.amount,
      unit: limit.unit,
      article: '第十一条(一)',
      description: `标注“${URGENCY_NAMES[urgency]}”的工单：${describeLimit(limit)}`,
    };
  }
  return {
    channel,
    category,
    amount: byCategory.amount,
    unit: byCategory.unit,
    article: ARTICLE_BY_CHANNEL[channel],
    description: `${CHANNEL_NAMES[channel]}${categoryName}：${describeLimit(byCategory)}`,
  };
}

/** The instant a fraction of a limit has run, whole seconds (第十一条(四) "精确到秒"). */
function clockPoint(calendar: WorkingCalendar, start: Date, limit: SlaLimit, fraction: number) {
  if (limit.unit === 'hours') {
    const ms = Math.floor((limit.amount * HOUR * fraction) / SECOND) * SECOND;
    return { at: new Date(start.getTime() + ms), provisional: false };
  }
  const ms = Math.floor((limit.amount * DAY * fraction) / SECOND) * SECOND;
  return advanceWorkingClock(calendar, start, ms);
}

/**
 * All deadlines of a ticket: acceptance (第八条(一), 3 natural hours from dispatch to the unit), return window
 * (第八条(三)1, 24 natural hours from dispatch to the unit), handling (第十一条, from dispatch to the Commission, on the
 * working-day clock; 特急 in natural hours), reminder and near-deadline points (spec decisions), and whether any of it is
 * provisional. Spec decision "特急 acceptance": neither the acceptance limit nor the return window passes the handling
 * deadline — a 特急 ticket (due in one hour) is accepted, or returned, within that hour.
 */
export function ticketDeadlines(
  input: DeadlineInput,
  calendar: WorkingCalendar,
  params: Parameters = DEFAULT_PARAMETERS,
): ComputedDeadlines {
  const sla = handlingSla(input.channel, input.category, input.urgency, params);
  const start = input.dispatchedToCommissionAt;
  const due = clockPoint(calendar, start, sla, 1);
  const reminder = clockPoint(calendar, start, sla, params.reminderFraction.value);
  const near = clockPoint(calendar, start, sla, params.supervisionNearDeadlineFraction.value);
  return {
    acceptanceDueAt: acceptanceDueAt(input.dispatchedToUnitAt, params, due.at),
    returnWindowEndsAt: returnWindowEndsAt(input.dispatchedToUnitAt, params, due.at),
    handlingDueAt: due.at,
    reminderAt: reminder.at,
    nearDeadlineAt: near.at,
    provisional: due.provisional,
    sla,
  };
}

/**
 * spec decision (第十四条): the latest new deadline an extension may ask for — `extensionMaxWorkingDays` working days
 * after the deadline now in force, on the working-day clock of 第十一条 (to the second). Pass the result to
 * `checkExtension` as `ExtensionTicketFacts.latestAllowedDueAt`.
 */
export function extensionLatestDueAt(currentDueAt: Date, calendar: WorkingCalendar, params: Parameters = DEFAULT_PARAMETERS): Date {
  return addWorkingDays(calendar, currentDueAt, params.extensionMaxWorkingDays.value);
}

/**
 * 第十一条(四): the handling is overdue when the platform reply time is after the deadline, to the second — a reply
 * exactly at the deadline is on time, one second later is overdue.
 */
export function isHandlingOverdue(handlingDueAt: Date, repliedAt: Date): boolean {
  return isLate(handlingDueAt, repliedAt);
}

/**
 * spec decision (第二十三条): the unit's sealed report on a supervised item (督办) is due `supervisionAnswerWorkingDays`
 * working days after the supervision was issued, on the working-day clock.
 */
export function supervisionAnswerDueAt(
  supervisedAt: Date,
  calendar: WorkingCalendar,
  params: Parameters = DEFAULT_PARAMETERS,
): { dueAt: Date; provisional: boolean } {
  const { at, provisional } = advanceWorkingClock(calendar, supervisedAt, params.supervisionAnswerWorkingDays.value * DAY);
  return { dueAt: at, provisional };
}
