/**
 * Tickets across units (第八条(四)1, 第九条, 第二十八条(六)): a lead unit (牵头承办单位) answers for every demand of a
 * ticket; co-handling units (协办单位) each handle the demands they own and submit their part's result to the lead.
 *
 * Spec decisions (named in the README): a part is due `partLeadWorkingDays` working days (default 1) before the
 * ticket's deadline, so the lead has that time to consolidate; when the ticket's whole limit is not longer than that, the
 * part is due halfway through it. Each part has its own 3-hour acceptance (第八条(一)). A co-handling unit that disputes
 * its part asks 委政务服务处 to reassign it; it never returns the ticket (第八条(四)1).
 */
import { advanceWorkingClock, workingTimeBetween, type DayOracle } from './clock';
import { SERVICE_DIVISION_UNIT } from './lifecycle';
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { checkReportedTime } from './reported-time';
import { DAY, SECOND } from './time';
import { verdict, type Verdict, type Violation } from './types';

/** The status of a part: dispatched to the co-handling unit, accepted, its result submitted, or disputed. */
export type PartStatus = 'dispatched' | 'accepted' | 'submitted' | 'disputed';

/** What the part checks read of a part. */
export interface PartFacts {
  unitId: string;
  status: PartStatus;
  dispatchedAt: Date;
}

/** What the part checks read of the ticket. */
export interface PartTicket {
  status: string;
  leadUnitId: string;
  parts: readonly PartFacts[];
  helpRequests: readonly { unitId: string; decided: boolean }[];
}

const OPEN = ['dispatched', 'accepted', 'assigned', 'contacted', 'reply-drafted'];

/**
 * Spec decision (第九条, 第二十八条(六)): when a part is due and when its reminder goes out, from the handling round's
 * start and the ticket's deadline. Working days on the working-day clock; a ticket whose limit is in natural hours (特急)
 * has its parts due halfway through, in natural time.
 */
export function partDeadlines(
  cal: DayOracle,
  clockStartsAt: Date,
  ticketDueAt: Date,
  naturalHours: boolean,
  params: Parameters = DEFAULT_PARAMETERS,
): { partDueAt: Date; partRemindAt: Date; provisional: boolean } {
  if (naturalHours) {
    const half = (ticketDueAt.getTime() - clockStartsAt.getTime()) / 2;
    return { partDueAt: new Date(clockStartsAt.getTime() + half), partRemindAt: new Date(clockStartsAt.getTime() + half * params.reminderFraction.value), provisional: false };
  }
  const span = workingTimeBetween(cal, clockStartsAt, ticketDueAt);
  const lead = params.partLeadWorkingDays.value * DAY;
  const partSpan = span > lead ? span - lead : Math.floor(span / 2);
  const due = advanceWorkingClock(cal, clockStartsAt, partSpan);
  const remind = advanceWorkingClock(cal, clockStartsAt, Math.floor((partSpan * params.reminderFraction.value) / SECOND) * SECOND);
  return { partDueAt: due.at, partRemindAt: remind.at, provisional: due.provisional || remind.provisional };
}

function required(value: string | undefined, field: string, rule: string, article: string, what: string): Violation[] {
  return value && value.trim() ? [] : [{ rule: `${rule}.${field}`, article, reason: `须写明${what}`, field }];
}

function open(t: PartTicket, rule: string, article: string, what: string): Violation[] {
  return OPEN.includes(t.status) ? [] : [{ rule: `${rule}.state`, article, reason: `工单当前状态为“${t.status}”，不能${what}` }];
}

function newUnit(t: PartTicket, unitId: string, rule: string, article: string): Violation[] {
  if (unitId === t.leadUnitId) return [{ rule: `${rule}.lead`, article, reason: '牵头承办单位不能作为本工单的协办单位', field: 'unitId' }];
  if (unitId === SERVICE_DIVISION_UNIT) return [{ rule: `${rule}.unit`, article, reason: '委政务服务处不承办工单诉求', field: 'unitId' }];
  if (t.parts.some((p) => p.unitId === unitId)) return [{ rule: `${rule}.duplicate`, article, reason: `“${unitId}”已是本工单的协办单位`, field: 'unitId' }];
  return [];
}

function demands(list: readonly string[], rule: string, article: string): Violation[] {
  return list.filter((d) => d.trim()).length > 0 ? [] : [{ rule: `${rule}.demands`, article, reason: '须列明该单位负责的诉求', field: 'demands' }];
}

/** 第九条、第二十八条(六): 委政务服务处 adds a co-handling unit with the demands it owns, at any time before closure. */
export function checkAddPart(t: PartTicket, c: { actorUnit: string; unitId: string; demands: readonly string[] }): Verdict {
  const rule = 'part';
  const article = '第二十八条(六)';
  const v = [...open(t, rule, article, '增加协办单位'), ...newUnit(t, c.unitId, rule, article), ...demands(c.demands, rule, article)];
  if (c.actorUnit !== SERVICE_DIVISION_UNIT) v.push({ rule: 'part.service-division', article, reason: '只有委政务服务处可以指定协办单位', field: 'unitId' });
  return verdict(v);
}

/** 第八条(四)1: a lead unit that needs another unit's help asks for it (委政务服务处 approves) instead of returning. */
export function checkHelpRequest(t: PartTicket, c: { actorUnit: string; unitId: string; demands: readonly string[]; reason: string }): Verdict {
  const rule = 'help-request';
  const article = '第八条(四)1';
  const v = [...open(t, rule, article, '申请协办'), ...newUnit(t, c.unitId, rule, article), ...demands(c.demands, rule, article), ...required(c.reason, 'reason', rule, article, '需要协办的理由')];
  if (c.actorUnit !== t.leadUnitId) v.push({ rule: 'help-request.lead', article, reason: '只有牵头承办单位可以申请其他单位协办', field: 'unitId' });
  if (t.helpRequests.some((h) => !h.decided)) v.push({ rule: 'help-request.pending.state', article, reason: '已有待审批的协办申请' });
  return verdict(v);
}

/** 第八条(四)1: 委政务服务处 decides the lead unit's request for help. */
export function checkHelpDecision(t: PartTicket, c: { actorUnit: string; note: string }): Verdict {
  const rule = 'help-decision';
  const article = '第八条(四)1';
  const v = [...required(c.note, 'note', rule, article, '审批意见')];
  if (c.actorUnit !== SERVICE_DIVISION_UNIT) v.push({ rule: 'help-decision.service-division', article, reason: '只有委政务服务处可以审批协办申请', field: 'unitId' });
  if (!t.helpRequests.some((h) => !h.decided)) v.push({ rule: 'help-decision.state', article, reason: '没有待审批的协办申请' });
  return verdict(v);
}

function partOf(t: PartTicket, unitId: string, rule: string, article: string, statuses: readonly PartStatus[], what: string): Violation[] {
  const p = t.parts.find((x) => x.unitId === unitId);
  if (!p) return [{ rule: `${rule}.not-a-part`, article, reason: `“${unitId}”不是本工单的协办单位，不能${what}`, field: 'unitId' }];
  return statuses.includes(p.status) ? [] : [{ rule: `${rule}.state`, article, reason: `协办事项当前状态为“${p.status}”，不能${what}` }];
}

/** 第八条(一): the co-handling unit accepts its part (the 3-hour limit applies to each part). */
export function checkPartAccept(t: PartTicket, c: { unitId: string; acceptedBy: string }): Verdict {
  return verdict([...open(t, 'part-accept', '第八条(一)', '接收协办事项'), ...partOf(t, c.unitId, 'part-accept', '第八条(一)', ['dispatched'], '接收协办事项'), ...required(c.acceptedBy, 'acceptedBy', 'part-accept', '第八条(一)', '接收人员')]);
}

/** 第十一条: the co-handling unit records its contact with the reporter, at a time between its part's dispatch and now. */
export function checkPartContact(t: PartTicket, c: { unitId: string; at: Date; staffName: string; outcome: string }, now: Date): Verdict {
  const p = t.parts.find((x) => x.unitId === c.unitId);
  return verdict([
    ...open(t, 'part-contact', '第十一条', '记录协办联系情况'),
    ...partOf(t, c.unitId, 'part-contact', '第十一条', ['accepted'], '记录联系情况'),
    ...required(c.staffName, 'staffName', 'part-contact', '第十一条', '联系群众的工作人员'),
    ...required(c.outcome, 'outcome', 'part-contact', '第十一条', '联系结果'),
    ...checkReportedTime(c.at, { ...(p ? { from: p.dispatchedAt } : {}), to: now }, 'at', '第十一条', '联系反映人的时间'),
  ]);
}

/** 第二十八条(六): the co-handling unit submits its part's result to the lead unit. */
export function checkPartResult(t: PartTicket, c: { unitId: string; result: string }): Verdict {
  return verdict([...open(t, 'part-result', '第二十八条(六)', '提交协办结果'), ...partOf(t, c.unitId, 'part-result', '第二十八条(六)', ['accepted'], '提交协办结果'), ...required(c.result, 'result', 'part-result', '第二十八条(六)', '协办事项的办理结果')]);
}

/** 第八条(四)1: a co-handling unit that disputes its part asks 委政务服务处 to reassign it (it cannot return the ticket). */
export function checkPartDispute(t: PartTicket, c: { unitId: string; reason: string }): Verdict {
  return verdict([...open(t, 'part-dispute', '第八条(四)1', '对协办事项提出异议'), ...partOf(t, c.unitId, 'part-dispute', '第八条(四)1', ['dispatched', 'accepted'], '提出异议'), ...required(c.reason, 'reason', 'part-dispute', '第八条(四)1', '异议理由')]);
}

/** 第八条(四)1: 委政务服务处 reassigns a disputed part to another unit, or keeps it where it is. */
export function checkPartReassign(t: PartTicket, c: { actorUnit: string; fromUnitId: string; toUnitId?: string; note: string }): Verdict {
  const rule = 'part-reassign';
  const article = '第八条(四)1';
  const v = [...open(t, rule, article, '调整协办单位'), ...partOf(t, c.fromUnitId, rule, article, ['disputed'], '调整'), ...required(c.note, 'note', rule, article, '调整意见')];
  if (c.toUnitId !== undefined) v.push(...newUnit(t, c.toUnitId, rule, article));
  if (c.actorUnit !== SERVICE_DIVISION_UNIT) v.push({ rule: 'part-reassign.service-division', article, reason: '只有委政务服务处可以调整协办单位', field: 'unitId' });
  return verdict(v);
}

/**
 * 第二十八条(六): the lead unit's consolidated reply answers every demand — each co-handling unit's part must have its
 * result in before the reply is drafted, and the ticket cannot close while a part is open.
 */
export function partsMissingResults(t: Pick<PartTicket, 'parts'>): Violation[] {
  const open = t.parts.filter((p) => p.status !== 'submitted').map((p) => p.unitId);
  return open.length === 0 ? [] : [{ rule: 'reply.part-results', article: '第二十八条(六)', reason: `牵头承办单位须汇总所有协办单位的办理结果后统一答复，尚缺：${open.join('、')}` }];
}

/** 第八条(四)1: a co-handling unit may not return the ticket; it asks 委政务服务处 to reassign its part. */
export function coHandlingReturn(t: Pick<PartTicket, 'parts' | 'leadUnitId'>, actorUnit: string): Violation[] {
  return actorUnit !== t.leadUnitId && t.parts.some((p) => p.unitId === actorUnit)
    ? [{ rule: 'return.co-handling-unit', article: '第八条(四)1', reason: '协办单位不得退单；对分工有异议的，应请委政务服务处调整', field: 'unitId' }]
    : [];
}
