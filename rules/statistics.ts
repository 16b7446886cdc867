/**
 * 第二十四条–第二十六条: the monthly statistics of the hotline work (便民服务热线信息统计通报制度), the 三率 of the city's
 * hotline assessment, and the criteria that put a unit on the list of circular (通报批评) candidates.
 *
 * What is counted, and on which basis (spec decision "statistics basis"):
 * - **Ticket figures** are about the tickets received in the period — dispatched to the Commission (第十一条(四) 派单时间)
 *   on an Asia/Shanghai day from `from` to `to` — and what has become of them by the time of the query: acceptance,
 *   returns, closure, overdue rounds, extensions, reopens, revisits, the platform's ratings, the co-handling parts. Each
 *   ticket counts for its lead unit (the unit it is with now, 第九条); a return counts for the unit that made it; a
 *   co-handling part counts for the part's unit (第九条、第二十八条(六)).
 * - **Case figures** count by the case's own date: supervision cases opened in the period (第二十二条–第二十三条) and
 *   appeals filed in the period (第二十七条), each for the unit it is against or filed by.
 *
 * The rates are defined once, here, from the counts; the API's SQL computes the same counts in the database (its
 * tests check it against `tallyStatistics` over the same rows). Pure: no clock, no I/O.
 */
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { dateKeyOf, endOfShanghaiDay, isDateKey, isLate, parseMonthKey, startOfShanghaiDay, type DateKey, type MonthKey } from './time';
import { RETURN_GROUNDS, type Finding, type ReturnGround } from './types';

// ---------------------------------------------------------------------------------------------------------------
// The period
// ---------------------------------------------------------------------------------------------------------------

/** 第二十四条: a statistics period, Asia/Shanghai days `from`–`to` (both included) as the instants [start, end). */
export interface StatisticsPeriod {
  from: DateKey;
  to: DateKey;
  /** 00:00 Asia/Shanghai of `from`. */
  start: Date;
  /** 24:00 Asia/Shanghai of `to` (00:00 of the next day): not included. */
  end: Date;
}

/** 第二十四条: the period of the days `from` to `to` (Asia/Shanghai, both included); RangeError when not dates or reversed. */
export function statisticsPeriod(from: DateKey, to: DateKey): StatisticsPeriod {
  if (!isDateKey(from) || !isDateKey(to)) throw new RangeError(`not dates (YYYY-MM-DD): ${JSON.stringify(from)}, ${JSON.stringify(to)}`);
  if (to < from) throw new RangeError(`the period ends (${to}) before it starts (${from})`);
  return { from, to, start: startOfShanghaiDay(from), end: endOfShanghaiDay(to) };
}

/** 第二十四条 (每月通报): the period of a month `YYYY-MM`, its first to its last day. */
export function monthPeriod(month: MonthKey): StatisticsPeriod {
  const { year, month: m } = parseMonthKey(month);
  return statisticsPeriod(dateKeyOf(year, m, 1), dateKeyOf(year, m + 1, 0));
}

// ---------------------------------------------------------------------------------------------------------------
// What one ticket, case or appeal contributes
// ---------------------------------------------------------------------------------------------------------------

/** The platform's rating of a closed ticket (spec decision "satisfaction"): 满意 / 基本满意 / 不满意. */
export type StatisticsSatisfaction = 'satisfied' | 'basically-satisfied' | 'unsatisfied';

/** 第九条、第二十八条(六): a co-handling unit's part as the read model stores it (instants as ISO strings). */
export interface StatisticsPart {
  unitId: string;
  status: string;
  acceptedAt?: string | null;
  acceptDueAt?: string | null;
  acceptOverdue?: boolean;
  late?: boolean;
}

/** 第二十四条: what the statistics read of a ticket of the period. */
export interface StatisticsTicket {
  ticketNo: string;
  /** The lead unit (牵头承办单位, 第九条): the unit the ticket is with now. */
  unitId: string;
  /** The unit the platform first dispatched it to (its intake); the lead unit when unknown. */
  firstUnitId?: string | null;
  status: string;
  acceptedAt: Date | null;
  acceptDueAt: Date;
  acceptOverdue: boolean;
  /** The current round's overdue mark (the read model's `handlingOverdue`). */
  handlingOverdue: boolean;
  reopenCount: number;
  satisfaction: string | null;
  /** Each handling round with its overdue mark (第十一条, 第十七条): a reopen erases none. */
  rounds: readonly { overdue?: boolean | null }[];
  parts: readonly StatisticsPart[];
  /** The ticket's audit trail (any order). */
  events: readonly { sequence: number; type: string; payload?: Record<string, unknown> | null }[];
  /** The hotline centre's decision on an appeal against the ticket's rating (第二十七条), if one was filed. */
  appealStatus?: string | null;
}

/** 第二十二条–第二十三条: what the statistics read of a supervision case. */
export interface StatisticsCase {
  id: string;
  ticketNo: string;
  unitId: string;
  triggers: readonly { article?: string }[];
  answeredAt: Date | null;
  answerDueAt: Date | null;
  /** The case workflow's late mark: the answer was not in by its due date. */
  late: boolean;
}

/** 第二十七条: what the statistics read of an appeal. */
export interface StatisticsAppeal {
  ticketNo: string;
  unitId: string;
  /** `filed`, `upheld` or `rejected`. */
  status: string;
}

/**
 * 第八条(一): accepted within the acceptance limit — accepted, not marked overdue by the workflow, and accepted at or
 * before the limit to the second (第十一条(四)). A ticket sent again to another unit counts that unit's acceptance.
 */
export function isAcceptedOnTime(t: Pick<StatisticsTicket, 'acceptedAt' | 'acceptDueAt' | 'acceptOverdue'>): boolean {
  return t.acceptedAt !== null && !t.acceptOverdue && !isLate(t.acceptDueAt, t.acceptedAt);
}

/**
 * 第十一条、第十七条 (spec decision "re-handling deadline"): the number of the ticket's handling rounds the workflow marked
 * overdue. Each round keeps its mark through a reopen, so a ticket late in its first round and on time after the
 * reopen still counts one overdue round. A ticket without rounds on record counts its `handlingOverdue` mark.
 */
export function overdueRoundsOf(t: Pick<StatisticsTicket, 'rounds' | 'handlingOverdue'>): number {
  const marked = t.rounds.filter((r) => r.overdue === true).length;
  return Math.max(marked, t.handlingOverdue ? 1 : 0);
}

/** 第十五条: the ticket is closed now (a reopened ticket is not, until it closes again). */
export function isClosed(t: Pick<StatisticsTicket, 'status'>): boolean {
  return t.status === 'closed';
}

/** 第十一条、第十五条: closed, and none of its handling rounds overdue (a reopen does not erase an earlier round's delay). */
export function isClosedOnTime(t: Pick<StatisticsTicket, 'status' | 'rounds' | 'handlingOverdue'>): boolean {
  return isClosed(t) && overdueRoundsOf(t) === 0;
}

/** 第八条(三): one return of a ticket, the unit that made it, and whether the platform refused it. */
export interface ReturnRecordOfTicket {
  sequence: number;
  ground: string;
  /** The unit the ticket was with when it was returned. */
  unitId: string;
  /** The platform sent it back to the unit (退单被退回). */
  refused: boolean;
}

/**
 * 第八条(三)、第二十四条(一): the ticket's returns from its audit trail. A return is the unit's that had the ticket then —
 * the unit of the latest redispatch before it, else the unit first dispatched to — and is refused when the platform's
 * `return-refused` follows it before the next return.
 */
export function returnsOf(t: Pick<StatisticsTicket, 'events' | 'firstUnitId' | 'unitId'>): ReturnRecordOfTicket[] {
  const events = [...t.events].sort((a, b) => a.sequence - b.sequence);
  const out: ReturnRecordOfTicket[] = [];
  let holder = t.firstUnitId ?? t.unitId;
  for (const e of events) {
    if (e.type === 'redispatched' && typeof e.payload?.unitId === 'string') holder = e.payload.unitId;
    else if (e.type === 'returned') out.push({ sequence: e.sequence, ground: String(e.payload?.ground ?? ''), unitId: holder, refused: false });
    else if (e.type === 'return-refused' && out.length > 0) out[out.length - 1]!.refused = true;
  }
  return out;
}

/** 第二十三条: how a supervision case was answered: on time, late, not at all (past due), or not yet (not due). */
export type SupervisionAnswer = 'on-time' | 'late' | 'unanswered' | 'pending';

/**
 * 第二十三条: a case answered by its due date (to the second) and not marked late is on time; answered after it, or
 * marked late, is late; unanswered and marked late is "not answered" (第二十四条(二) 拒不办理); otherwise pending.
 */
export function supervisionAnswerOf(c: Pick<StatisticsCase, 'answeredAt' | 'answerDueAt' | 'late'>): SupervisionAnswer {
  if (c.answeredAt === null) return c.late ? 'unanswered' : 'pending';
  return !c.late && (c.answerDueAt === null || !isLate(c.answerDueAt, c.answeredAt)) ? 'on-time' : 'late';
}

/**
 * 第八条(一)、第九条: a co-handling part's timeliness, counted for the part's unit: accepted within its own acceptance
 * limit, its result submitted, submitted without the late mark.
 */
export function partTimelinessOf(p: StatisticsPart): { acceptedOnTime: boolean; submitted: boolean; submittedOnTime: boolean; late: boolean } {
  const acceptedOnTime = !!p.acceptedAt && !!p.acceptDueAt && !p.acceptOverdue && !isLate(new Date(p.acceptDueAt), new Date(p.acceptedAt));
  const submitted = p.status === 'submitted';
  const late = p.late === true;
  return { acceptedOnTime, submitted, submittedOnTime: submitted && !late, late };
}

// ---------------------------------------------------------------------------------------------------------------
// The counts of a unit
// ---------------------------------------------------------------------------------------------------------------

/** 第二十二条(一)–(六): the trigger articles of supervision, each always listed in the figures. */
export const SUPERVISION_TRIGGER_ARTICLES = ['第二十二条(一)', '第二十二条(二)', '第二十二条(三)', '第二十二条(四)', '第二十二条(五)', '第二十二条(六)'] as const;

/** 第二十四条: the counts of one unit (or of the whole Commission) for a period; the rates follow from them. */
export interface StatisticsCounts {
  /** Tickets received (dispatched to the Commission in the period), by their lead unit. */
  received: number;
  /** 第八条(一). */
  acceptance: { accepted: number; onTime: number };
  /** 第八条(三): the returns the unit made, by ground, and those the platform refused. */
  returns: { total: number; refused: number; byGround: Record<ReturnGround, { total: number; refused: number }> };
  /** 第八条(三): returned and taken away by the platform (withdrawn): no longer the Commission's to close. */
  withdrawn: number;
  /** 第十五条. */
  closure: { closed: number; onTime: number };
  /** 第十一条: overdue handling rounds, and the tickets with at least one. */
  overdue: { rounds: number; tickets: number };
  /** 第十四条. */
  extensions: { requested: number; approved: number };
  /** 第十七条、第十八条. */
  reopens: { reopens: number; tickets: number };
  /** 第二十二条–第二十三条: cases opened in the period; a case with several triggers counts under each. */
  supervision: { cases: number; byTrigger: Record<string, number>; answeredOnTime: number; answeredLate: number; unanswered: number; pending: number };
  /** 第十七条–第二十条: revisits of the period's tickets, by the revisitor's finding. */
  revisits: { total: number; satisfied: number; basicallySatisfied: number; unsatisfied: number };
  /** spec decision "satisfaction": the platform's latest rating of each ticket; unsatisfied ones with an upheld appeal. */
  ratings: { rated: number; satisfied: number; basicallySatisfied: number; unsatisfied: number; unsatisfiedUpheld: number };
  /** 第二十七条: appeals filed in the period, by the hotline centre's decision. */
  appeals: { filed: number; upheld: number; rejected: number; pending: number };
  /** 第九条、第二十八条(六): the unit's co-handling parts of the period's tickets. */
  coHandling: { parts: number; acceptedOnTime: number; submitted: number; submittedOnTime: number; late: number };
}

/** 第二十四条: counts of nothing (every ground and trigger article listed with 0). */
export function emptyCounts(): StatisticsCounts {
  return {
    received: 0,
    acceptance: { accepted: 0, onTime: 0 },
    returns: { total: 0, refused: 0, byGround: Object.fromEntries(RETURN_GROUNDS.map((g) => [g, { total: 0, refused: 0 }])) as Record<ReturnGround, { total: number; refused: number }> },
    withdrawn: 0,
    closure: { closed: 0, onTime: 0 },
    overdue: { rounds: 0, tickets: 0 },
    extensions: { requested: 0, approved: 0 },
    reopens: { reopens: 0, tickets: 0 },
    supervision: { cases: 0, byTrigger: Object.fromEntries(SUPERVISION_TRIGGER_ARTICLES.map((a) => [a, 0])), answeredOnTime: 0, answeredLate: 0, unanswered: 0, pending: 0 },
    revisits: { total: 0, satisfied: 0, basicallySatisfied: 0, unsatisfied: 0 },
    ratings: { rated: 0, satisfied: 0, basicallySatisfied: 0, unsatisfied: 0, unsatisfiedUpheld: 0 },
    appeals: { filed: 0, upheld: 0, rejected: 0, pending: 0 },
    coHandling: { parts: 0, acceptedOnTime: 0, submitted: 0, submittedOnTime: 0, late: 0 },
  };
}

function addInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(source)) {
    if (typeof v === 'number') target[k] = ((target[k] as number | undefined) ?? 0) + v;
    else if (v && typeof v === 'object') {
      if (!target[k] || typeof target[k] !== 'object') target[k] = {};
      addInto(target[k] as Record<string, unknown>, v as Record<string, unknown>);
    }
  }
}

/** 第二十四条 (全委合计): the sum of several units' counts, field by field. */
export function sumCounts(all: readonly StatisticsCounts[]): StatisticsCounts {
  const total = emptyCounts();
  for (const c of all) addInto(total as unknown as Record<string, unknown>, c as unknown as Record<string, unknown>);
  return total;
}

/**
 * 第二十四条: the counts per unit from the rows themselves, with the predicates above — the definition the API's SQL
 * implements. `unitOf` maps a unit id to the unit it is counted for (a department to its unit); identity by default.
 */
export function tallyStatistics(
  input: { tickets: readonly StatisticsTicket[]; cases: readonly StatisticsCase[]; appeals: readonly StatisticsAppeal[] },
  unitOf: (unitId: string) => string = (u) => u,
): Map<string, StatisticsCounts> {
  const out = new Map<string, StatisticsCounts>();
  const of = (unitId: string): StatisticsCounts => {
    const u = unitOf(unitId);
    if (!out.has(u)) out.set(u, emptyCounts());
    return out.get(u)!;
  };
  for (const t of input.tickets) {
    const c = of(t.unitId);
    c.received++;
    if (t.acceptedAt !== null) c.acceptance.accepted++;
    if (isAcceptedOnTime(t)) c.acceptance.onTime++;
    if (t.status === 'withdrawn') c.withdrawn++;
    if (isClosed(t)) c.closure.closed++;
    if (isClosedOnTime(t)) c.closure.onTime++;
    const overdue = overdueRoundsOf(t);
    c.overdue.rounds += overdue;
    if (overdue > 0) c.overdue.tickets++;
    c.reopens.reopens += t.reopenCount;
    if (t.reopenCount > 0) c.reopens.tickets++;
    for (const e of t.events) {
      if (e.type === 'extension-requested') c.extensions.requested++;
      else if (e.type === 'extension-approved') c.extensions.approved++;
      else if (e.type === 'revisited') {
        c.revisits.total++;
        const s = e.payload?.satisfaction;
        if (s === 'satisfied') c.revisits.satisfied++;
        else if (s === 'basically-satisfied') c.revisits.basicallySatisfied++;
        else if (s === 'unsatisfied') c.revisits.unsatisfied++;
      }
    }
    if (t.satisfaction !== null) {
      c.ratings.rated++;
      if (t.satisfaction === 'satisfied') c.ratings.satisfied++;
      else if (t.satisfaction === 'basically-satisfied') c.ratings.basicallySatisfied++;
      else if (t.satisfaction === 'unsatisfied') {
        c.ratings.unsatisfied++;
        if (t.appealStatus === 'upheld') c.ratings.unsatisfiedUpheld++;
      }
    }
    for (const r of returnsOf(t)) {
      const u = of(r.unitId);
      u.returns.total++;
      if (r.refused) u.returns.refused++;
      const g = u.returns.byGround[r.ground as ReturnGround];
      if (g) {
        g.total++;
        if (r.refused) g.refused++;
      }
    }
    for (const p of t.parts) {
      const u = of(p.unitId);
      const pt = partTimelinessOf(p);
      u.coHandling.parts++;
      if (pt.acceptedOnTime) u.coHandling.acceptedOnTime++;
      if (pt.submitted) u.coHandling.submitted++;
      if (pt.submittedOnTime) u.coHandling.submittedOnTime++;
      if (pt.late) u.coHandling.late++;
    }
  }
  for (const k of input.cases) {
    const c = of(k.unitId);
    c.supervision.cases++;
    for (const article of new Set(k.triggers.map((t) => t.article).filter((a): a is string => typeof a === 'string')))
      c.supervision.byTrigger[article] = (c.supervision.byTrigger[article] ?? 0) + 1;
    const answer = supervisionAnswerOf(k);
    if (answer === 'on-time') c.supervision.answeredOnTime++;
    else if (answer === 'late') c.supervision.answeredLate++;
    else if (answer === 'unanswered') c.supervision.unanswered++;
    else c.supervision.pending++;
  }
  for (const a of input.appeals) {
    const c = of(a.unitId);
    c.appeals.filed++;
    if (a.status === 'upheld') c.appeals.upheld++;
    else if (a.status === 'rejected') c.appeals.rejected++;
    else c.appeals.pending++;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The rates
// ---------------------------------------------------------------------------------------------------------------

/** 第二十四条: a rate with its numerator and denominator; `value` to four decimals, null when nothing to divide by. */
export interface Rate {
  numerator: number;
  denominator: number;
  value: number | null;
}

/** 第二十四条: `numerator / denominator` as a `Rate` (four decimals; null for a zero denominator). */
export function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, value: denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null };
}

/**
 * 响应率 of the city's hotline assessment (三率), 第八条(一) "应在工单派至承办单位3小时内接单，不得超时接单":
 * tickets accepted within the acceptance limit ÷ tickets received. The same figure is the unit's acceptance rate.
 *
 * Source: 津交发〔2023〕118号 第八条(一) for what "on time" is; the formula is the (issue 10, 响应率 = accepted on
 * time / received) — spec decision, pending the hotline centre's published assessment rules, which this repository
 * does not hold.
 */
export function responseRate(c: Pick<StatisticsCounts, 'received' | 'acceptance'>): Rate {
  return rate(c.acceptance.onTime, c.received);
}

/**
 * 办结率 of the 三率, 第十五条 (办结: the duty done, the reporter told, the reviewed reply on the platform): tickets closed
 * ÷ tickets to close, i.e. received less those returned and taken away by the platform (第八条(三): a lawful return
 * leaves the Commission). A reopened ticket counts closed only once it closes again.
 *
 * Source: 第十五条 and 第八条(三); spec decision on the denominator (the "closed / received" less the
 * withdrawn), pending the hotline centre's published assessment rules.
 */
export function completionRate(c: Pick<StatisticsCounts, 'received' | 'withdrawn' | 'closure'>): Rate {
  return rate(c.closure.closed, c.received - c.withdrawn);
}

/**
 * 第十一条: closed on time ÷ closed — a ticket is on time when none of its handling rounds was overdue.
 */
export function onTimeClosureRate(c: Pick<StatisticsCounts, 'closure'>): Rate {
  return rate(c.closure.onTime, c.closure.closed);
}

/**
 * 满意率 of the 三率, as the 12345 centre computes it (第二十八条 refers to its 《天津12345政务服务便民热线群众评价满意度
 * 测评办法（试行）》): (满意 + 基本满意) ÷ rated tickets, over the platform's latest rating of each ticket. An unsatisfied
 * rating whose appeal the centre upheld (第二十七条) is taken out of the rated tickets — spec decision (issue 10: "an
 * upheld appeal changes the satisfaction figures as the centre counts them").
 */
export function satisfactionRate(c: Pick<StatisticsCounts, 'ratings'>): Rate {
  const r = c.ratings;
  return rate(r.satisfied + r.basicallySatisfied, r.rated - r.unsatisfiedUpheld);
}

/** The 三率 of the city's hotline assessment (第二十四条 统计): 响应率, 办结率, 满意率. */
export interface ThreeRates {
  /** 响应率 (第八条(一)). */
  response: Rate;
  /** 办结率 (第十五条). */
  completion: Rate;
  /** 满意率 (第二十七条–第二十八条, the 12345 centre's rule). */
  satisfaction: Rate;
}

/** 第二十四条: the 三率 of a unit's (or the Commission's) counts. */
export function threeRates(c: StatisticsCounts): ThreeRates {
  return { response: responseRate(c), completion: completionRate(c), satisfaction: satisfactionRate(c) };
}

/** 第二十四条: the counts with the rates that follow from them. */
export type StatisticsFigures = Omit<StatisticsCounts, 'acceptance' | 'closure' | 'ratings'> & {
  acceptance: StatisticsCounts['acceptance'] & { rate: Rate };
  closure: StatisticsCounts['closure'] & { toClose: number; onTimeRate: Rate; rate: Rate };
  ratings: StatisticsCounts['ratings'] & { satisfactionRate: Rate };
  threeRates: ThreeRates;
};

/** 第二十四条: the figures of a unit (or the Commission) from its counts: each rate defined once, above. */
export function figuresOf(c: StatisticsCounts): StatisticsFigures {
  const three = threeRates(c);
  return {
    ...c,
    acceptance: { ...c.acceptance, rate: three.response },
    closure: { ...c.closure, toClose: c.received - c.withdrawn, onTimeRate: onTimeClosureRate(c), rate: three.completion },
    ratings: { ...c.ratings, satisfactionRate: three.satisfaction },
    threeRates: three,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Circulars (第二十四条–第二十六条)
// ---------------------------------------------------------------------------------------------------------------

/** 第二十四条–第二十六条: the kinds of CircularRecord. */
export const CIRCULAR_RECORD_KINDS = ['circular', 'referral', 'good-practice', 'media-exposure', 'city-circular'] as const;
/** One of CIRCULAR_RECORD_KINDS (第二十四条–第二十六条). */
export type CircularRecordKind = (typeof CIRCULAR_RECORD_KINDS)[number];

/** 第二十四条–第二十六条: the article each kind of record implements. */
export const CIRCULAR_RECORD_ARTICLES: Record<CircularRecordKind, string> = {
  circular: '第二十四条',
  referral: '第二十五条',
  'good-practice': '第二十六条',
  'media-exposure': '第二十四条(三)',
  'city-circular': '第二十四条(三)',
};

/** 第二十四条–第二十六条: the kinds' names in Chinese. */
export const CIRCULAR_RECORD_KIND_NAMES: Record<CircularRecordKind, string> = {
  circular: '通报批评',
  referral: '问题线索移交',
  'good-practice': '优秀做法和典型案例',
  'media-exposure': '媒体曝光',
  'city-circular': '市级相关部门通报',
};

/** 第二十五条(一)(二): the grounds of a referral (问题线索移交). */
export const REFERRAL_GROUNDS = ['concealment', 'falsification'] as const;
/** One of REFERRAL_GROUNDS (第二十五条). */
export type ReferralGround = (typeof REFERRAL_GROUNDS)[number];

/** 第二十五条: each referral ground's article and wording. */
export const REFERRAL_GROUND_TEXT: Record<ReferralGround, { article: string; name: string }> = {
  concealment: { article: '第二十五条(一)', name: '对可能造成社会负面影响的重大、紧急事项，隐瞒、谎报、缓报' },
  falsification: { article: '第二十五条(二)', name: '事项办理过程中弄虚作假、不作为慢作为，经研判属实' },
};

/** 第二十四条: what the criteria read of one unit's month. */
export interface CircularUnitFacts {
  unitId: string;
  /** 第二十四条(一): one ticket number per return of the unit the platform refused (a ticket may repeat). */
  refusedReturns: readonly string[];
  /** 第二十四条(一), 第八条(三)2 不得反复退单: tickets of the month the unit returned more than once. */
  repeatedReturnTickets: readonly string[];
  /** 第二十四条(一): tickets of the month with an overdue handling round, the unit being their lead. */
  overdueTickets: readonly string[];
  /** 第二十四条(二): the unit's supervision cases of the month marked late and still unanswered. */
  unansweredCases: readonly { caseId: string; ticketNo: string }[];
  /** 第二十四条(三): media exposures and city circulars of the month recorded by hand against the unit. */
  records: readonly { id: string; kind: 'media-exposure' | 'city-circular'; title: string; tickets: readonly string[] }[];
}

/** 第二十四条: one criterion a unit meets, with the tickets behind it. */
export interface CircularFinding extends Finding {
  count: number;
  /** The parameter's value the count reached; null for the criteria without a threshold. */
  threshold: number | null;
  tickets: string[];
  /** 第二十四条(二): the cases behind it. */
  cases?: string[];
  /** 第二十四条(三): the record behind it. */
  recordId?: string;
}

const distinct = (xs: readonly string[]) => [...new Set(xs)].sort();

/**
 * 第二十四条: the criticism criteria a unit meets in a month, each with the tickets behind it:
 * (一) 推诿扯皮、敷衍拖延 — refused returns, repeatedly returned tickets and overdue tickets, each from its parameter on;
 * (二) 对督办事项无正当理由拒不办理 — a supervision case past its due date without an answer (whether the reason was
 *     proper is 委政务服务处's judgement when it reviews the candidates);
 * (三) 受到媒体曝光或市级相关部门通报 — each such record of the month.
 */
export function circularCriteria(f: CircularUnitFacts, params: Parameters = DEFAULT_PARAMETERS): CircularFinding[] {
  const out: CircularFinding[] = [];
  const refusedThreshold = params.circularRefusedReturns.value;
  if (f.refusedReturns.length >= refusedThreshold)
    out.push({
      rule: 'circular.refused-returns',
      article: '第二十四条(一)',
      reason: `本月退单被平台退回${f.refusedReturns.length}次（达到${refusedThreshold}次），存在推诿扯皮情形`,
      count: f.refusedReturns.length,
      threshold: refusedThreshold,
      tickets: distinct(f.refusedReturns),
    });
  const repeatedThreshold = params.circularRepeatedReturns.value;
  if (f.repeatedReturnTickets.length >= repeatedThreshold)
    out.push({
      rule: 'circular.repeated-returns',
      article: '第二十四条(一)',
      reason: `本月${f.repeatedReturnTickets.length}件工单被本单位反复退单（达到${repeatedThreshold}件），存在推诿扯皮情形`,
      count: f.repeatedReturnTickets.length,
      threshold: repeatedThreshold,
      tickets: distinct(f.repeatedReturnTickets),
    });
  const overdueThreshold = params.circularOverdueTickets.value;
  if (f.overdueTickets.length >= overdueThreshold)
    out.push({
      rule: 'circular.overdue-tickets',
      article: '第二十四条(一)',
      reason: `本月${f.overdueTickets.length}件工单超时办理（达到${overdueThreshold}件），存在敷衍拖延情形`,
      count: f.overdueTickets.length,
      threshold: overdueThreshold,
      tickets: distinct(f.overdueTickets),
    });
  if (f.unansweredCases.length > 0)
    out.push({
      rule: 'circular.supervision-unanswered',
      article: '第二十四条(二)',
      reason: `本月${f.unansweredCases.length}件督办事项逾期未报送办理情况，请核实是否有正当理由`,
      count: f.unansweredCases.length,
      threshold: null,
      tickets: distinct(f.unansweredCases.map((c) => c.ticketNo)),
      cases: [...f.unansweredCases.map((c) => c.caseId)].sort(),
    });
  for (const r of f.records)
    out.push({
      rule: `circular.${r.kind}`,
      article: '第二十四条(三)',
      reason: `${r.kind === 'media-exposure' ? '受到媒体曝光' : '被市级相关部门通报'}：${r.title}`,
      count: 1,
      threshold: null,
      tickets: distinct(r.tickets),
      recordId: r.id,
    });
  return out;
}
