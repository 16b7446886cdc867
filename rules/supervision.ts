/**
 * Supervision (督办) triggers of 第二十二条 (一)–(六), as predicates over a ticket's facts and history at a given instant.
 * (一)–(四) are detected from the history, (五) from the complaint's wording, the platform's tags or a manual flag
 * (and means escalation, 提级办理), (六) is a manual flag.
 *
 * Pure; imports no calendar (the near-deadline instant comes precomputed in `facts.deadlines`).
 */
import type { TicketFacts } from './facts';
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { replyClaims } from './reply';
import { letters } from './text';
import type { Finding } from './types';

/** The triggers that apply, and whether the ticket must be escalated (第二十二条(五) 提级办理). */
export interface SupervisionAssessment {
  triggers: Finding[];
  escalate: boolean;
}

const before = (t: Date, at: Date) => t.getTime() <= at.getTime();

/**
 * 第二十二条(一) "办事拖沓，办理事项临近超时，经提醒，仍办理缓慢": the unit was reminded, the ticket is still not closed,
 * and `at` is at or past the near-deadline point (spec decision: `supervisionNearDeadlineFraction` of the handling clock,
 * computed by `ticketDeadlines`) — which includes being overdue.
 */
export function isSlowAfterReminder(facts: Pick<TicketFacts, 'events' | 'closedAt' | 'deadlines'>, at: Date): boolean {
  if (facts.deadlines === undefined) return false;
  const reminded = facts.events.some((e) => e.type === 'reminded' && before(e.at, at));
  const open = facts.closedAt === undefined || !before(facts.closedAt, at);
  return reminded && open && before(facts.deadlines.nearDeadlineAt, at);
}

/**
 * 第二十二条(二) "群众多次反映同一问题，对办理结果不满意": at least `supervisionRepeatedReports` reports of the same problem
 * (this ticket included) up to `at`, and the reporter was unsatisfied with a result — this ticket's rating or revisit, or an
 * earlier ticket's rating.
 */
export function isRepeatedUnsatisfied(
  facts: Pick<TicketFacts, 'relatedReports' | 'satisfaction' | 'revisits'>,
  at: Date,
  params: Parameters = DEFAULT_PARAMETERS,
): boolean {
  const earlier = facts.relatedReports.filter((r) => r.sameProblem && before(r.at, at));
  // spec decision (第二十二条(二)): the problem was reported this many times before this report.
  if (earlier.length < params.supervisionRepeatedReports.value) return false;
  return (
    facts.satisfaction === 'unsatisfied' ||
    facts.revisits.some((r) => r.satisfaction === 'unsatisfied' && before(r.at, at)) ||
    earlier.some((r) => r.satisfaction === 'unsatisfied')
  );
}

/**
 * 第二十二条(三) "群众反映未联系、问题未解决，而承办单位答复已联系、已解决等虚假办结": at a revisit the reporter says they
 * were not contacted while the reply says they were, or says the problem is not solved while the reply says it is.
 */
export function isFalseClosure(facts: Pick<TicketFacts, 'reply' | 'revisits' | 'ratings'>, at: Date): boolean {
  if (facts.reply === undefined) return false;
  const claims = replyClaims(facts.reply);
  const contradicts = (saysNotContacted: boolean, saysNotSolved: boolean) => (saysNotContacted && claims.contacted) || (saysNotSolved && claims.solved);
  return (
    facts.revisits.some((r) => before(r.at, at) && contradicts(!!r.reporterSaysNotContacted, !!r.reporterSaysNotSolved)) ||
    (facts.ratings ?? []).some((r) => {
      if (!before(r.at, at) || r.satisfaction !== 'unsatisfied') return false;
      const said = ratingComplaints(r.words);
      return contradicts(said.notContacted, said.notSolved);
    })
  );
}

const NOT_CONTACTED = /(没有?|未|从未|并未|无)(人|任何人)?(跟我|和我|与我|给我)?(联系|打过?电话|来电|回电|回访|沟通)|(没有?|未)接到(任何)?(人的)?(电话|联系|回访)/;
const NOT_SOLVED = /(没有?|未|并未|仍未|尚未|根本没)(有)?(解决|处理|落实|整改|改善)|问题(依旧|依然|仍然|还在|照旧)/;

/**
 * 第二十二条(三): what a reporter's words in the platform's rating say against a closure: nobody contacted them, or the
 * problem is not solved. The rating reaches the system through the API (spec decision "satisfaction").
 */
export function ratingComplaints(words: string): { notContacted: boolean; notSolved: boolean } {
  const text = letters(words);
  return { notContacted: NOT_CONTACTED.test(text), notSolved: NOT_SOLVED.test(text) };
}

/**
 * 第二十二条(四) "多次退回或相互推诿，未予受理": the ticket was returned, or moved from one unit to another, at least
 * `supervisionRepeatedReturns` times, and no unit has accepted it since it was last dispatched.
 */
export function isPassedAround(facts: Pick<TicketFacts, 'events' | 'returns'>, at: Date, params: Parameters = DEFAULT_PARAMETERS): boolean {
  const history = facts.events.filter((e) => before(e.at, at));
  const returns = Math.max(
    facts.returns.filter((r) => before(r.at, at)).length,
    history.filter((e) => e.type === 'returned').length,
  );
  let moves = 0;
  let unit: string | undefined;
  let accepted = false;
  for (const e of history) {
    if (e.type === 'dispatched-to-unit') {
      if (unit !== undefined && e.unit !== unit) moves++;
      unit = e.unit;
      accepted = false;
    } else if (e.type === 'accepted') accepted = true;
  }
  return !accepted && Math.max(returns, moves) >= params.supervisionRepeatedReturns.value;
}

/** 第二十二条(五): wording of arbitrary fees, fines or unlawful enforcement. */
const MISCONDUCT = /乱收费|乱罚款|乱处罚|乱扣|违规执法|违法执法|粗暴执法|野蛮执法|执法不公|选择性执法|钓鱼执法|以罚代管|违规收费|违规罚款|多收费|重复收费|重复罚款|吃拿卡要|索贿|滥用职权/;
/** 第二十二条(五): the misconduct concerns the management department (not a company). */
const AUTHORITY = /执法|运管|路政|稽查|交通局|交通委|运输局|港航|公路中心|管理部门|管理处|管理所|管理站|监管部门|主管部门|交通运输委/;
/** Wording that names enforcement itself, so no further mention of the authority is needed. */
const ENFORCEMENT_MISCONDUCT = /乱罚款|乱处罚|违规执法|违法执法|粗暴执法|野蛮执法|执法不公|选择性执法|钓鱼执法|以罚代管|违规罚款|重复罚款/;

/**
 * 第二十二条(五) "群众举报管理部门的乱收费、乱罚款、违规执法等行为": the manual flag, or the complaint / platform tags
 * speak of arbitrary fees, fines or unlawful enforcement by the management department.
 */
export function isManagementMisconduct(facts: Pick<TicketFacts, 'content' | 'platformTags' | 'flags'>): boolean {
  if (facts.flags.managementMisconduct) return true;
  const text = letters([facts.content, ...(facts.platformTags ?? [])].join('。'));
  return ENFORCEMENT_MISCONDUCT.test(text) || (MISCONDUCT.test(text) && AUTHORITY.test(text));
}

/**
 * 第二十二条 (一)–(六): the supervision triggers that apply to a ticket at `at`, and whether it must be escalated
 * (第二十二条(五) 应当提级办理).
 */
export function supervisionTriggers(facts: TicketFacts, at: Date, params: Parameters = DEFAULT_PARAMETERS): SupervisionAssessment {
  const triggers: Finding[] = [];
  if (isSlowAfterReminder(facts, at))
    triggers.push({ rule: 'supervision.slow-after-reminder', article: '第二十二条(一)', reason: '办理事项临近超时，经提醒仍办理缓慢。' });
  if (isRepeatedUnsatisfied(facts, at, params))
    triggers.push({ rule: 'supervision.repeated-unsatisfied', article: '第二十二条(二)', reason: '群众多次反映同一问题，对办理结果不满意。' });
  if (isFalseClosure(facts, at))
    triggers.push({
      rule: 'supervision.false-closure',
      article: '第二十二条(三)',
      reason: '群众反映未联系、问题未解决，而承办单位答复已联系、已解决，涉嫌虚假办结。',
    });
  if (isPassedAround(facts, at, params))
    triggers.push({
      rule: 'supervision.passed-around',
      article: '第二十二条(四)',
      reason: '职责界定不清，承办单位多次退回或相互推诿，工单未予受理。',
    });
  const escalate = isManagementMisconduct(facts);
  if (escalate)
    triggers.push({
      rule: 'supervision.management-misconduct',
      article: '第二十二条(五)',
      reason: '群众举报管理部门乱收费、乱罚款、违规执法等行为，应当提级办理。',
    });
  if (facts.flags.manualSupervision)
    triggers.push({ rule: 'supervision.other', article: '第二十二条(六)', reason: '委政务服务处认定需要督办的其它情况。' });
  return { triggers, escalate };
}
