/**
 * Who may take which step of a ticket, in which state (第六条–第二十三条). Pure: the workflow's update validators call
 * these with the ticket's current state, so a refused decision never enters history. The substantive rules of a step
 * (return grounds, extension, reply content) live in their own modules; these add the state and the actor.
 *
 * A violation whose rule ends in `.state` means "not possible in the ticket's current state" (HTTP 409); any other
 * means "the regulation forbids it" (HTTP 422).
 */
import { verdict, type Verdict, type Violation } from './types';

/** The Commission's government-service division (委政务服务处, 第四条). */
export const SERVICE_DIVISION_UNIT = 'service-division';

/** What the lifecycle checks read about a ticket (a structural subset of the workflow's state). */
export interface LifecycleTicket {
  status: string;
  /** The unit the platform dispatched the ticket to. */
  unitId: string;
  departments?: readonly { departmentId: string; opinion: string | null }[];
  contacts?: readonly { reached: boolean }[];
  extension?: { status: 'requested' | 'approved' | 'refused' } | null;
  reply?: { draftedBy: string } | null;
  reopens?: readonly unknown[];
  supervision?: { answer: unknown | null } | null;
  mediation?: { outcome: string | null } | null;
}

type Step = { rule: string; article: string };

const OPEN_FOR_HANDLING = ['accepted', 'assigned', 'contacted', 'reply-drafted'];

function inState(t: LifecycleTicket, allowed: readonly string[], step: Step, what: string): Violation[] {
  if (allowed.includes(t.status)) return [];
  return [{ rule: `${step.rule}.state`, article: step.article, reason: `工单当前状态为“${t.status}”，不能${what}` }];
}

function ownUnit(t: LifecycleTicket, actorUnit: string, step: Step, what: string): Violation[] {
  if (actorUnit === t.unitId) return [];
  return [{ rule: `${step.rule}.own-unit`, article: step.article, reason: `工单由“${t.unitId}”承办，其他单位（“${actorUnit}”）不能${what}`, field: 'unitId' }];
}

function serviceDivision(actorUnit: string, step: Step, what: string): Violation[] {
  if (actorUnit === SERVICE_DIVISION_UNIT) return [];
  return [{ rule: `${step.rule}.service-division`, article: step.article, reason: `只有委政务服务处可以${what}`, field: 'unitId' }];
}

function required(value: string | undefined | null, field: string, step: Step, what: string): Violation[] {
  return value && value.trim() !== '' ? [] : [{ rule: `${step.rule}.${field}`, article: step.article, reason: `须写明${what}`, field }];
}

/**
 * 第六条、第八条(一): the acceptance department of the unit the ticket was dispatched to accepts it (接单), once, while
 * the ticket waits for acceptance. Another unit cannot accept it: a ticket that is not its duty is returned (第八条(三)),
 * not accepted elsewhere.
 */
export function checkAccept(ticket: LifecycleTicket, command: { unitId: string; acceptedBy: string }): Verdict {
  const violations: Violation[] = [];
  if (ticket.status !== 'dispatched') {
    violations.push({ rule: 'accept.state', article: '第八条(一)', reason: `工单当前状态为“${ticket.status}”，只有待接单的工单可以接单` });
  }
  if (command.unitId !== ticket.unitId) {
    violations.push({ rule: 'accept.own-unit', article: '第六条', reason: `工单派至承办单位“${ticket.unitId}”，其他单位（“${command.unitId}”）不能接单`, field: 'unitId' });
  }
  violations.push(...required(command.acceptedBy, 'acceptedBy', { rule: 'accept', article: '第六条' }, '接单人员'));
  return verdict(violations);
}

/**
 * 第八条: the acceptance department dispatches the accepted ticket to the handling department(s) by duty; several
 * departments make one co-handled ticket with a consolidated reply (第九条). Re-assignment is allowed until a reply is
 * drafted.
 */
export function checkAssign(ticket: LifecycleTicket, command: { unitId: string; departmentIds: readonly string[] }): Verdict {
  const step = { rule: 'assign', article: '第八条' };
  const v = [...inState(ticket, ['accepted', 'assigned', 'contacted'], step, '派发办理部门'), ...ownUnit(ticket, command.unitId, step, '派发')];
  if (command.departmentIds.length === 0) v.push({ rule: 'assign.departments', article: '第八条', reason: '须至少派发至一个办理部门', field: 'departmentIds' });
  if (new Set(command.departmentIds).size !== command.departmentIds.length)
    v.push({ rule: 'assign.departments', article: '第八条', reason: '办理部门不得重复', field: 'departmentIds' });
  return verdict(v);
}

/** 第十一条: contacts with the reporter are recorded by the handling unit, at a time that has already happened. */
export function checkContact(ticket: LifecycleTicket, command: { unitId: string; at: Date; staffName: string; outcome: string }, now: Date, dispatchedAt: Date): Verdict {
  const step = { rule: 'contact', article: '第十一条' };
  const v = [
    ...inState(ticket, ['assigned', 'contacted', 'reply-drafted'], step, '记录联系情况'),
    ...ownUnit(ticket, command.unitId, step, '记录联系情况'),
    ...required(command.staffName, 'staffName', step, '联系群众的工作人员'),
    ...required(command.outcome, 'outcome', step, '联系结果'),
  ];
  if (command.at.getTime() > now.getTime()) v.push({ rule: 'contact.time', article: '第十一条', reason: '联系时间不能晚于当前时间', field: 'at' });
  if (command.at.getTime() < dispatchedAt.getTime()) v.push({ rule: 'contact.time', article: '第十一条', reason: '联系时间不能早于工单派至我委的时间', field: 'at' });
  return verdict(v);
}

/** 第九条: each department of a co-handled ticket gives its opinion; the unit then answers once for all. */
export function checkOpinion(ticket: LifecycleTicket, command: { unitId: string; departmentId: string; opinion: string }): Verdict {
  const step = { rule: 'opinion', article: '第九条' };
  const v = [...inState(ticket, ['assigned', 'contacted'], step, '提交部门意见'), ...ownUnit(ticket, command.unitId, step, '提交部门意见'), ...required(command.opinion, 'opinion', step, '部门意见')];
  if (!ticket.departments?.some((d) => d.departmentId === command.departmentId))
    v.push({ rule: 'opinion.department', article: '第九条', reason: `“${command.departmentId}”不是本工单的办理部门`, field: 'departmentId' });
  return verdict(v);
}

/** 第八条(三): a return is made by the unit holding the ticket, before a reply is drafted. */
export function checkReturnStep(ticket: LifecycleTicket, command: { unitId: string }): Verdict {
  const step = { rule: 'return', article: '第八条(三)' };
  return verdict([...inState(ticket, ['dispatched', 'accepted', 'assigned', 'contacted'], step, '退单'), ...ownUnit(ticket, command.unitId, step, '退单')]);
}

/**
 * 第十四条: the unit handling the ticket requests an extension while it is open; one request at a time, and — 原则上不得延期
 * — one approved extension per handling round.
 */
export function checkExtensionStep(ticket: LifecycleTicket, command: { unitId: string }): Verdict {
  const step = { rule: 'extension', article: '第十四条' };
  const v = [...inState(ticket, OPEN_FOR_HANDLING, step, '申请延期'), ...ownUnit(ticket, command.unitId, step, '申请延期')];
  if (ticket.extension?.status === 'requested') v.push({ rule: 'extension.pending.state', article: '第十四条', reason: '已有待审批的延期申请' });
  if (ticket.extension?.status === 'approved') v.push({ rule: 'extension.once', article: '第十四条', reason: '本工单已延期一次，原则上不得再次延期' });
  return verdict(v);
}

/** spec decision (第十四条): 委政务服务处 decides a pending extension request. */
export function checkExtensionDecision(ticket: LifecycleTicket, command: { unitId: string; note: string }): Verdict {
  const step = { rule: 'extension-decision', article: '第十四条' };
  const v = [...serviceDivision(command.unitId, step, '审批延期申请'), ...required(command.note, 'note', step, '审批意见')];
  if (ticket.extension?.status !== 'requested') v.push({ rule: 'extension-decision.state', article: '第十四条', reason: '没有待审批的延期申请' });
  return verdict(v);
}

/** 第八条(二): the unit (or 委政务服务处) flags a ticket that may cause negative public opinion, while it is open. */
export function checkFlag(ticket: LifecycleTicket, command: { unitId: string; note: string }): Verdict {
  const step = { rule: 'flag', article: '第八条(二)' };
  const v = [...inState(ticket, ['dispatched', ...OPEN_FOR_HANDLING], step, '标记舆情'), ...required(command.note, 'note', step, '情况说明')];
  if (command.unitId !== ticket.unitId && command.unitId !== SERVICE_DIVISION_UNIT) v.push(...ownUnit(ticket, command.unitId, step, '标记舆情'));
  return verdict(v);
}

/** 第十二条: a ticket within the Commission's duty is marked as a mediation case, and its outcome recorded. */
export function checkMediation(ticket: LifecycleTicket, command: { unitId: string; outcome?: string }): Verdict {
  const step = { rule: 'mediation', article: '第十二条' };
  const v = [...inState(ticket, OPEN_FOR_HANDLING, step, '行政调解'), ...ownUnit(ticket, command.unitId, step, '行政调解')];
  if (command.outcome !== undefined) {
    if (!ticket.mediation) v.push({ rule: 'mediation.not-marked.state', article: '第十二条', reason: '工单尚未标记为行政调解事项' });
    v.push(...required(command.outcome, 'outcome', step, '调解结果'));
  } else if (ticket.mediation) {
    v.push({ rule: 'mediation.marked.state', article: '第十二条', reason: '工单已标记为行政调解事项' });
  }
  return verdict(v);
}

/**
 * 第九条、第十一条、第十六条、第二十一条: a handler of the unit drafts the reply once every department's opinion is in, after
 * at least one recorded contact or contact attempt; a re-closure after a reopen carries the report with the unit's seal.
 */
export function checkDraftStep(ticket: LifecycleTicket, command: { unitId: string; sealedReport?: { sealed: boolean; documentRef: string } }): Verdict {
  const step = { rule: 'reply', article: '第十六条' };
  const v = [...inState(ticket, ['assigned', 'contacted', 'reply-drafted'], step, '起草答复'), ...ownUnit(ticket, command.unitId, step, '起草答复')];
  // 第九条: only a ticket with several departments needs their opinions consolidated; a single department answers itself.
  const departments = ticket.departments ?? [];
  const missing = departments.length > 1 ? departments.filter((d) => !d.opinion).map((d) => d.departmentId) : [];
  if (missing.length > 0)
    v.push({ rule: 'reply.consolidated', article: '第九条', reason: `须综合所有办理部门意见形成统一答复，尚缺：${missing.join('、')}` });
  if ((ticket.contacts ?? []).length === 0)
    v.push({ rule: 'reply.no-contact', article: '第十一条', reason: '尚无与反映人联系或尝试联系的记录，不得先办结' });
  if ((ticket.reopens ?? []).length > 0 && !(command.sealedReport?.sealed && command.sealedReport.documentRef.trim()))
    v.push({ rule: 'reply.sealed-report', article: '第二十一条', reason: '重新办结须附加盖单位公章的办理情况报告', field: 'sealedReport' });
  return verdict(v);
}

/** 第十六条 谁办复、谁审核、谁负责: a reviewer of the same unit, who is not the reply's author, reviews it. */
export function checkReviewStep(ticket: LifecycleTicket, command: { unitId: string; by: string }): Verdict {
  const step = { rule: 'review', article: '第十六条' };
  const v = [...inState(ticket, ['reply-drafted'], step, '审核答复'), ...ownUnit(ticket, command.unitId, step, '审核答复')];
  if (ticket.reply && ticket.reply.draftedBy === command.by)
    v.push({ rule: 'review.not-author', article: '第十六条', reason: '答复须由起草人以外的审核人员审核（谁办复、谁审核、谁负责）', field: 'by' });
  return verdict(v);
}

/** 第十七条: 委政务服务处 revisits any unit's closed tickets; a unit's acceptance department revisits its own. */
export function checkRevisit(ticket: LifecycleTicket, command: { unitId: string; orderedBy: 'service-division' | 'unit' }): Verdict {
  const step = { rule: 'revisit', article: '第十七条' };
  const v = inState(ticket, ['closed'], step, '回访');
  if (command.orderedBy === 'service-division') v.push(...serviceDivision(command.unitId, step, '以委政务服务处名义回访'));
  else v.push(...ownUnit(ticket, command.unitId, step, '回访本单位工单'));
  return verdict(v);
}

/** 第十七条、第十八条、第二十条: whoever revisited sends the closed ticket back to the unit for re-handling, with reasons. */
export function checkReopen(ticket: LifecycleTicket, command: { unitId: string; orderedBy: 'service-division' | 'unit'; reasons: readonly string[] }): Verdict {
  const step = { rule: 'reopen', article: '第十七条' };
  const v = inState(ticket, ['closed'], step, '派回重新办理');
  if (command.orderedBy === 'service-division') v.push(...serviceDivision(command.unitId, step, '以委政务服务处名义派回重办'));
  else v.push(...ownUnit(ticket, command.unitId, step, '派回重办'));
  if (command.reasons.filter((r) => r.trim()).length === 0) v.push({ rule: 'reopen.reasons', article: '第二十一条', reason: '须逐条列明需要重新办理的事项', field: 'reasons' });
  return verdict(v);
}

/** 第二十二条: 委政务服务处 opens a supervision case; one open case at a time. */
export function checkSupervise(ticket: LifecycleTicket, command: { unitId: string; note: string }): Verdict {
  const step = { rule: 'supervise', article: '第二十二条' };
  const v = [...inState(ticket, ['dispatched', ...OPEN_FOR_HANDLING, 'closed'], step, '督办'), ...serviceDivision(command.unitId, step, '督办'), ...required(command.note, 'note', step, '督办事由')];
  if (ticket.supervision && !ticket.supervision.answer) v.push({ rule: 'supervise.open.state', article: '第二十二条', reason: '本工单已在督办中' });
  return verdict(v);
}

/** 第二十三条: the unit answers a supervision with its report bearing the official seal. */
export function checkSupervisionAnswer(ticket: LifecycleTicket, command: { unitId: string; report: { sealed: boolean; documentRef: string }; text: string }): Verdict {
  const step = { rule: 'supervision-answer', article: '第二十三条' };
  const v = [...ownUnit(ticket, command.unitId, step, '答复督办'), ...required(command.text, 'text', step, '办理情况')];
  if (!ticket.supervision || ticket.supervision.answer) v.push({ rule: 'supervision-answer.state', article: '第二十三条', reason: '没有待答复的督办事项' });
  if (!command.report.sealed || !command.report.documentRef.trim())
    v.push({ rule: 'supervision-answer.sealed', article: '第二十三条', reason: '办理情况报告须加盖单位公章后报委政务服务处', field: 'report' });
  return verdict(v);
}

/** 第八条(三): only a returned ticket is sent again by the platform (after re-verification, or to the right unit). */
export function checkRedispatch(ticket: LifecycleTicket, command: { unitId: string; dispatchedToUnitAt: Date }, now: Date): Verdict {
  const step = { rule: 'redispatch', article: '第八条(三)' };
  const v = inState(ticket, ['returned'], step, '重新派单');
  if (command.dispatchedToUnitAt.getTime() > now.getTime())
    v.push({ rule: 'redispatch.time', article: '第八条(一)', reason: '派至承办单位的时间不能晚于当前时间', field: 'dispatchedToUnitAt' });
  return verdict(v);
}

/** 第八条(三): the platform takes a returned ticket away from the Commission. */
export function checkWithdraw(ticket: LifecycleTicket): Verdict {
  return verdict(inState(ticket, ['returned'], { rule: 'withdraw', article: '第八条(三)' }, '撤回'));
}
