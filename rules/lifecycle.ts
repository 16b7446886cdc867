/**
 * Who may take which step of a ticket, in which state (第六条–第二十三条). Pure: the workflow's update validators call
 * these with the ticket's current state, so a refused decision never enters history. The substantive rules of a step
 * (return grounds, extension, reply content) live in their own modules; these add the state and the actor.
 *
 * The statuses and the transition table (which step is allowed in which status, and which status it leads to) are the
 * rule layer's vocabulary: the workflow's steps move a ticket only along `TRANSITIONS`.
 *
 * A violation whose rule ends in `.state` means "not possible in the ticket's current state" (HTTP 409); any other
 * means "the regulation forbids it" (HTTP 422).
 */
import { checkReportedTime } from './reported-time';
import { verdict, type Verdict, type Violation } from './types';

/** The Commission's government-service division (委政务服务处, 第四条): the one identifier of it, as a unit id. */
export const SERVICE_DIVISION_UNIT = 'service-division';

/** The statuses of a ticket (第六条–第二十三条), in the order a ticket passes them. */
export const TICKET_STATUSES = [
  /** waiting for acceptance (第八条(一)) */
  'dispatched',
  /** accepted by the unit's acceptance department, not yet with a handling department (第八条) */
  'accepted',
  /** with one or more handling departments (第八条, 第九条) */
  'assigned',
  /** the reporter was contacted, or contact was attempted (第十一条) */
  'contacted',
  /** a reply waits for review (第十六条 谁办复、谁审核) */
  'reply-drafted',
  /** the reviewed reply is on its way to the platform */
  'reply-approved',
  /** the reviewed reply went to the platform (第十五条) */
  'closed',
  /** returned to the platform (退单, 第八条(三)); waits for the platform to send it again or take it away */
  'returned',
  /** the platform took the returned ticket away from the Commission */
  'withdrawn',
] as const;
/** A ticket's status (第六条–第二十三条): a union, so a typo does not compile. */
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Who a notification goes to: the handling unit, its principal leader (第八条(二)), or 委政务服务处 (第四条). */
export const RECIPIENT_ROLES = ['unit', 'unit-leader', 'service-division'] as const;
/** One of RECIPIENT_ROLES (第四条, 第八条(二)). */
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

/** Who ordered a revisit or a re-handling (第十七条, 第二十一条): 委政务服务处 or the unit's own acceptance department. */
export type OrderedBy = 'service-division' | 'unit';

const HANDLING = ['accepted', 'assigned', 'contacted', 'reply-drafted'] as const;
const keep = <S extends TicketStatus>(...statuses: S[]) => Object.fromEntries(statuses.map((s) => [s, s])) as { [K in S]: K };

/**
 * The transition table: for each step, the statuses it may be taken in and the status it leads to. A status missing
 * from a step's row means the step is not possible then (a `.state` violation).
 */
export const TRANSITIONS = {
  /** 第八条(一) 接单. */
  accept: { dispatched: 'accepted' },
  /** 第八条 派发至办理部门; re-assignment until a reply is drafted. */
  assign: { accepted: 'assigned', assigned: 'assigned', contacted: 'contacted' },
  /** 第十一条 联系反映人. */
  contact: { assigned: 'contacted', contacted: 'contacted', 'reply-drafted': 'reply-drafted' },
  /** 第九条 部门意见. */
  opinion: keep('assigned', 'contacted'),
  /** 第八条(三) 退单. */
  return: { dispatched: 'returned', accepted: 'returned', assigned: 'returned', contacted: 'returned' },
  /** spec decision (第八条(三)1): 委政务服务处 approves a late not-our-duty return before the unit makes it. */
  approveLateReturn: keep('dispatched', 'accepted', 'assigned', 'contacted'),
  /** 第八条(三): the platform sends a returned ticket again. */
  redispatch: { returned: 'dispatched' },
  /** 第八条(三): the platform takes a returned ticket away. */
  withdraw: { returned: 'withdrawn' },
  /** 第十四条 延期申请. */
  requestExtension: keep(...HANDLING),
  /** spec decision (第十四条): 委政务服务处 decides the request. */
  decideExtension: keep(...HANDLING, 'reply-approved'),
  /** 第八条(二) 舆情. */
  flag: keep('dispatched', ...HANDLING),
  /** 第十二条 行政调解. */
  mediation: keep(...HANDLING),
  /** 第十六条 起草答复. */
  draftReply: { assigned: 'reply-drafted', contacted: 'reply-drafted', 'reply-drafted': 'reply-drafted' },
  /** 第十六条 审核通过: the reply goes to the platform. */
  approveReply: { 'reply-drafted': 'reply-approved' },
  /** 第十六条 审核退回: the handler drafts again. */
  rejectReply: { 'reply-drafted': 'contacted' },
  /** 第十五条: the platform took the reply; the ticket is closed. */
  replyDelivered: { 'reply-approved': 'closed' },
  /** 第十五条、第十六条: the platform refused the reply for good; the handler drafts again. */
  replyRefused: { 'reply-approved': 'contacted' },
  /** 第十七条–第二十条 回访. */
  revisit: keep('closed'),
  /** 第十七条 重新办理: back to the unit's handling department. */
  reopen: { closed: 'assigned' },
  /**
   * 第十八条: the reporter asked the management department to investigate and a company answered: back to the unit's
   * acceptance department, which assigns the management department itself.
   */
  reopenToManagement: { closed: 'accepted' },
  /** 第二十二条 督办: open while the ticket is handled or after closure. */
  supervise: keep('dispatched', ...HANDLING, 'reply-approved', 'closed'),
  /** 第二十三条: a supervision case is answered whatever the ticket's own state. */
  answerSupervision: keep(...TICKET_STATUSES),
  /** spec decision "satisfaction": the platform rates a closed ticket. */
  rate: keep('closed'),
  /** 第八条(三): the platform refuses a return; the ticket goes back to the status it was returned from. */
  refuseReturn: { returned: 'previous' },
  /** 第二十二条(一) 催办 by 委政务服务处: counts as the reminder. */
  urge: keep('dispatched', ...HANDLING),
  /** 第二十二条(二): the related tickets change (platform, rule, 委政务服务处), whatever the ticket's state. */
  updateRelated: keep(...TICKET_STATUSES),
  /** 第十七条、第十八条: the revisitor confirms (the ticket is reopened) or dismisses the proposed reopen. */
  decideReopenSuggestion: keep('closed'),
} as const satisfies Record<string, Partial<Record<TicketStatus, TicketStatus | 'previous'>>>;
/** A step of the lifecycle (第六条–第二十三条): a row of TRANSITIONS. */
export type LifecycleStep = keyof typeof TRANSITIONS;

/**
 * The status `step` leads to from `status` (第六条–第二十三条, TRANSITIONS), or null when it is not possible then;
 * `previous` (a refused return, 第八条(三)) means the status the ticket was in before.
 */
export function nextStatus(step: LifecycleStep, status: TicketStatus): TicketStatus | 'previous' | null {
  return (TRANSITIONS[step] as Partial<Record<TicketStatus, TicketStatus | 'previous'>>)[status] ?? null;
}

/** The statuses of a supervision case (第二十二条–第二十三条): open, answered (an escalated case waits for approval), closed. */
export type SupervisionCaseStatus = 'open' | 'answered' | 'closed';

/**
 * A supervision case's transitions (第二十三条, spec decision (五)): the unit answers; an ordinary case closes with its
 * answer, an escalated one waits for 委政务服务处, who approves (closed) or sends it back (open).
 */
export const SUPERVISION_TRANSITIONS = {
  answer: { open: 'answered' },
  close: { answered: 'closed' },
  approve: { answered: 'closed' },
  sendBack: { answered: 'open' },
} as const satisfies Record<string, Partial<Record<SupervisionCaseStatus, SupervisionCaseStatus>>>;

/** The statuses in which the ticket is still being handled (its handling clock runs, 第十一条). */
export const OPEN_STATUSES: readonly TicketStatus[] = ['dispatched', ...HANDLING, 'reply-approved'];

/** What the lifecycle checks read about a ticket (a structural subset of the workflow's state). */
export interface LifecycleTicket {
  status: TicketStatus;
  /** The unit the platform dispatched the ticket to. */
  unitId: string;
  /** 第八条(一): when the ticket reached that unit; times the unit reports lie between this and now. */
  arrivedAtUnit?: Date;
  departments?: readonly { departmentId: string; opinion: string | null }[];
  contacts?: readonly { reached: boolean; at?: string }[];
  extension?: { status: 'requested' | 'approved' | 'refused' } | null;
  reply?: { draftedBy: string } | null;
  reopens?: readonly { orderedBy: OrderedBy }[];
  /** 第二十一条: the items of the current re-handling round. */
  reopenItems?: readonly string[];
  /** 第十七条: the reopen proposed after the latest revisit, and whether it was decided. */
  suggestion?: { reasons: readonly unknown[]; decided: boolean; orderedBy: OrderedBy } | null;
  /** spec decision "satisfaction": when the current round was closed. */
  roundClosedAt?: Date | null;
  supervision?: { answer: unknown | null } | null;
  mediation?: { outcome: string | null } | null;
}

type Step = { rule: string; article: string };

function inState(t: LifecycleTicket, step: LifecycleStep, rule: Step, what: string): Violation[] {
  if (nextStatus(step, t.status)) return [];
  return [{ rule: `${rule.rule}.state`, article: rule.article, reason: `工单当前状态为“${t.status}”，不能${what}` }];
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
  const step = { rule: 'accept', article: '第八条(一)' };
  const violations = inState(ticket, 'accept', step, '接单（只有待接单的工单可以接单）');
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
  const v = [...inState(ticket, 'assign', step, '派发办理部门'), ...ownUnit(ticket, command.unitId, step, '派发')];
  if (command.departmentIds.length === 0) v.push({ rule: 'assign.departments', article: '第八条', reason: '须至少派发至一个办理部门', field: 'departmentIds' });
  if (new Set(command.departmentIds).size !== command.departmentIds.length)
    v.push({ rule: 'assign.departments', article: '第八条', reason: '办理部门不得重复', field: 'departmentIds' });
  return verdict(v);
}

/** 第十一条: contacts with the reporter are recorded by the handling unit, at a time between the ticket's arrival and now. */
export function checkContact(ticket: LifecycleTicket, command: { unitId: string; at: Date; staffName: string; outcome: string }, now: Date): Verdict {
  const step = { rule: 'contact', article: '第十一条' };
  return verdict([
    ...inState(ticket, 'contact', step, '记录联系情况'),
    ...ownUnit(ticket, command.unitId, step, '记录联系情况'),
    ...required(command.staffName, 'staffName', step, '联系群众的工作人员'),
    ...required(command.outcome, 'outcome', step, '联系结果'),
    ...checkReportedTime(command.at, { ...(ticket.arrivedAtUnit ? { from: ticket.arrivedAtUnit } : {}), to: now }, 'at', '第十一条', '联系反映人的时间'),
  ]);
}

/** 第九条: each department of a co-handled ticket gives its opinion; the unit then answers once for all. */
export function checkOpinion(ticket: LifecycleTicket, command: { unitId: string; departmentId: string; opinion: string }): Verdict {
  const step = { rule: 'opinion', article: '第九条' };
  const v = [...inState(ticket, 'opinion', step, '提交部门意见'), ...ownUnit(ticket, command.unitId, step, '提交部门意见'), ...required(command.opinion, 'opinion', step, '部门意见')];
  if (!ticket.departments?.some((d) => d.departmentId === command.departmentId))
    v.push({ rule: 'opinion.department', article: '第九条', reason: `“${command.departmentId}”不是本工单的办理部门`, field: 'departmentId' });
  return verdict(v);
}

/** 第八条(三): a return is made by the unit holding the ticket, before a reply is drafted. */
export function checkReturnStep(ticket: LifecycleTicket, command: { unitId: string }): Verdict {
  const step = { rule: 'return', article: '第八条(三)' };
  return verdict([...inState(ticket, 'return', step, '退单'), ...ownUnit(ticket, command.unitId, step, '退单')]);
}

/**
 * spec decision (第八条(三)1): a not-our-duty return later than the window needs a written justification approved by
 * 委政务服务处 — a decision it takes in the system, before the unit returns the ticket.
 */
export function checkLateReturnApproval(ticket: LifecycleTicket, command: { unitId: string; note: string }): Verdict {
  const step = { rule: 'late-return-approval', article: '第八条(三)1' };
  return verdict([...inState(ticket, 'approveLateReturn', step, '批准逾期退单'), ...serviceDivision(command.unitId, step, '批准逾期退单'), ...required(command.note, 'note', step, '审批意见')]);
}

/**
 * 第十四条: the unit handling the ticket requests an extension while it is open; one request at a time, and — 原则上不得延期
 * — one approved extension per handling round.
 */
export function checkExtensionStep(ticket: LifecycleTicket, command: { unitId: string }): Verdict {
  const step = { rule: 'extension', article: '第十四条' };
  const v = [...inState(ticket, 'requestExtension', step, '申请延期'), ...ownUnit(ticket, command.unitId, step, '申请延期')];
  if (ticket.extension?.status === 'requested') v.push({ rule: 'extension.pending.state', article: '第十四条', reason: '已有待审批的延期申请' });
  if (ticket.extension?.status === 'approved') v.push({ rule: 'extension.once', article: '第十四条', reason: '本工单已延期一次，原则上不得再次延期' });
  return verdict(v);
}

/** spec decision (第十四条): 委政务服务处 decides a pending extension request. */
export function checkExtensionDecision(ticket: LifecycleTicket, command: { unitId: string; note: string }): Verdict {
  const step = { rule: 'extension-decision', article: '第十四条' };
  const v = [...inState(ticket, 'decideExtension', step, '审批延期申请'), ...serviceDivision(command.unitId, step, '审批延期申请'), ...required(command.note, 'note', step, '审批意见')];
  if (ticket.extension?.status !== 'requested') v.push({ rule: 'extension-decision.state', article: '第十四条', reason: '没有待审批的延期申请' });
  return verdict(v);
}

/** 第八条(二): the unit (or 委政务服务处) flags a ticket that may cause negative public opinion, while it is open. */
export function checkFlag(ticket: LifecycleTicket, command: { unitId: string; note: string }): Verdict {
  const step = { rule: 'flag', article: '第八条(二)' };
  const v = [...inState(ticket, 'flag', step, '标记舆情'), ...required(command.note, 'note', step, '情况说明')];
  if (command.unitId !== ticket.unitId && command.unitId !== SERVICE_DIVISION_UNIT) v.push(...ownUnit(ticket, command.unitId, step, '标记舆情'));
  return verdict(v);
}

/** 第十二条: a ticket within the Commission's duty is marked as a mediation case, and its outcome recorded. */
export function checkMediation(ticket: LifecycleTicket, command: { unitId: string; outcome?: string }): Verdict {
  const step = { rule: 'mediation', article: '第十二条' };
  const v = [...inState(ticket, 'mediation', step, '行政调解'), ...ownUnit(ticket, command.unitId, step, '行政调解')];
  if (command.outcome !== undefined) {
    if (!ticket.mediation) v.push({ rule: 'mediation.not-marked.state', article: '第十二条', reason: '工单尚未标记为行政调解事项' });
    v.push(...required(command.outcome, 'outcome', step, '调解结果'));
  } else if (ticket.mediation) {
    v.push({ rule: 'mediation.marked.state', article: '第十二条', reason: '工单已标记为行政调解事项' });
  }
  return verdict(v);
}

/** 第二十一条: whether the re-closure's report must bear the unit's seal — only when 委政务服务处 ordered the re-handling. */
export function reHandlingReportNeedsSeal(ticket: Pick<LifecycleTicket, 'reopens'>): boolean {
  return ticket.reopens?.at(-1)?.orderedBy === 'service-division';
}

/**
 * 第九条、第十一条、第十二条、第十六条、第二十一条: a handler of the unit drafts the reply once every department's opinion is
 * in, after at least one recorded contact or contact attempt, with a mediation case's outcome recorded; a re-closure
 * after a reopen carries the report to whoever ordered it, sealed when that was 委政务服务处.
 */
export function checkDraftStep(ticket: LifecycleTicket, command: { unitId: string; sealedReport?: { sealed: boolean; documentRef: string }; itemAnswers?: readonly string[] }): Verdict {
  const step = { rule: 'reply', article: '第十六条' };
  const v = [...inState(ticket, 'draftReply', step, '起草答复'), ...ownUnit(ticket, command.unitId, step, '起草答复')];
  // 第九条: only a ticket with several departments needs their opinions consolidated; a single department answers itself.
  const departments = ticket.departments ?? [];
  const missing = departments.length > 1 ? departments.filter((d) => !d.opinion).map((d) => d.departmentId) : [];
  if (missing.length > 0)
    v.push({ rule: 'reply.consolidated', article: '第九条', reason: `须综合所有办理部门意见形成统一答复，尚缺：${missing.join('、')}` });
  if ((ticket.contacts ?? []).length === 0)
    v.push({ rule: 'reply.no-contact', article: '第十一条', reason: '尚无与反映人联系或尝试联系的记录，不得先办结' });
  if (ticket.mediation && !ticket.mediation.outcome)
    v.push({ rule: 'reply.mediation-outcome', article: '第十二条', reason: '行政调解事项须先记录调解结果，方可答复办结' });
  if ((ticket.reopens ?? []).length > 0) {
    const report = command.sealedReport;
    if (!report?.documentRef.trim())
      v.push({ rule: 'reply.re-handling-report', article: '第二十一条', reason: '重新办结须附逐项办理情况报告', field: 'sealedReport' });
    else if (reHandlingReportNeedsSeal(ticket) && !report.sealed)
      v.push({ rule: 'reply.sealed-report', article: '第二十一条', reason: '委政务服务处派回重办的，办理情况报告须加盖单位公章', field: 'sealedReport' });
    // 第二十一条 逐项办理: the new reply answers each item of the reopen.
    const items = ticket.reopenItems ?? [];
    const answers = command.itemAnswers ?? [];
    if (items.length > 0 && (answers.length !== items.length || answers.some((a) => !a.trim())))
      v.push({ rule: 'reply.item-answers', article: '第二十一条', reason: `须逐项答复重新办理的${items.length}个事项：${items.join('；')}`, field: 'itemAnswers' });
  }
  return verdict(v);
}

/** 第十六条 谁办复、谁审核、谁负责: a reviewer of the same unit, who is not the reply's author, reviews it. */
export function checkReviewStep(ticket: LifecycleTicket, command: { unitId: string; by: string }): Verdict {
  const step = { rule: 'review', article: '第十六条' };
  const v = [...inState(ticket, 'approveReply', step, '审核答复'), ...ownUnit(ticket, command.unitId, step, '审核答复')];
  if (ticket.reply && ticket.reply.draftedBy === command.by)
    v.push({ rule: 'review.not-author', article: '第十六条', reason: '答复须由起草人以外的审核人员审核（谁办复、谁审核、谁负责）', field: 'by' });
  return verdict(v);
}

/** 第十七条: 委政务服务处 revisits any unit's closed tickets; a unit's acceptance department revisits its own. */
export function checkRevisit(ticket: LifecycleTicket, command: { unitId: string; orderedBy: OrderedBy; satisfaction?: string; verifiedReason?: string }): Verdict {
  const step = { rule: 'revisit', article: '第十七条' };
  const v = inState(ticket, 'revisit', step, '回访');
  // 第二十条: revisiting an unsatisfied ticket first verifies the reason.
  if (command.satisfaction === 'unsatisfied') v.push(...required(command.verifiedReason, 'verifiedReason', { rule: 'revisit', article: '第二十条' }, '核实的不满意原因'));
  if (command.orderedBy === 'service-division') v.push(...serviceDivision(command.unitId, step, '以委政务服务处名义回访'));
  else v.push(...ownUnit(ticket, command.unitId, step, '回访本单位工单'));
  return verdict(v);
}

/** 第十七条、第十八条、第二十条: whoever revisited sends the closed ticket back to the unit for re-handling, with reasons. */
export function checkReopen(ticket: LifecycleTicket, command: { unitId: string; orderedBy: OrderedBy; reasons: readonly string[] }): Verdict {
  const step = { rule: 'reopen', article: '第十七条' };
  const v = inState(ticket, 'reopen', step, '派回重新办理');
  if (command.orderedBy === 'service-division') v.push(...serviceDivision(command.unitId, step, '以委政务服务处名义派回重办'));
  else v.push(...ownUnit(ticket, command.unitId, step, '派回重办'));
  if (command.reasons.filter((r) => r.trim()).length === 0) v.push({ rule: 'reopen.reasons', article: '第二十一条', reason: '须逐条列明需要重新办理的事项', field: 'reasons' });
  return verdict(v);
}

/** 第二十二条: 委政务服务处 opens a supervision case; one open case at a time. */
export function checkSupervise(ticket: LifecycleTicket, command: { unitId: string; note: string }): Verdict {
  const step = { rule: 'supervise', article: '第二十二条' };
  const v = [...inState(ticket, 'supervise', step, '督办'), ...serviceDivision(command.unitId, step, '督办'), ...required(command.note, 'note', step, '督办事由')];
  if (ticket.supervision && !ticket.supervision.answer) v.push({ rule: 'supervise.open.state', article: '第二十二条', reason: '本工单已在督办中' });
  return verdict(v);
}

/** 第二十三条: the unit the case is against answers an open supervision case with its report bearing the official seal. */
export function checkCaseAnswer(c: { status: SupervisionCaseStatus; unitId: string }, command: { unitId: string; report: { sealed: boolean; documentRef: string }; text: string }): Verdict {
  const step = { rule: 'supervision-answer', article: '第二十三条' };
  const v = [...ownUnit({ status: 'closed', unitId: c.unitId }, command.unitId, step, '答复督办'), ...required(command.text, 'text', step, '办理情况')];
  if (c.status !== 'open') v.push({ rule: 'supervision-answer.state', article: '第二十三条', reason: '没有待答复的督办事项' });
  if (!command.report.sealed || !command.report.documentRef.trim())
    v.push({ rule: 'supervision-answer.sealed', article: '第二十三条', reason: '办理情况报告须加盖单位公章后报委政务服务处', field: 'report' });
  return verdict(v);
}

/** 第八条(三): only a returned ticket is sent again by the platform (after re-verification, or to the right unit). */
export function checkRedispatch(ticket: LifecycleTicket, command: { unitId: string; dispatchedToUnitAt: Date }, now: Date): Verdict {
  const step = { rule: 'redispatch', article: '第八条(三)' };
  const v = inState(ticket, 'redispatch', step, '重新派单');
  if (command.dispatchedToUnitAt.getTime() > now.getTime())
    v.push({ rule: 'redispatch.time', article: '第八条(一)', reason: '派至承办单位的时间不能晚于当前时间', field: 'dispatchedToUnitAt' });
  return verdict(v);
}

/** 第八条(三): the platform takes a returned ticket away from the Commission. */
export function checkWithdraw(ticket: LifecycleTicket): Verdict {
  return verdict(inState(ticket, 'withdraw', { rule: 'withdraw', article: '第八条(三)' }, '撤回'));
}

/** spec decision "satisfaction" (第二十二条(二)(三)): the platform rates a closed ticket, at a time between its closure and now. */
export function checkRating(ticket: LifecycleTicket, command: { ratedAt: Date; words: string }, now: Date): Verdict {
  const step = { rule: 'rating', article: '第二十二条(二)' };
  return verdict([
    ...inState(ticket, 'rate', step, '评价（只有已办结的工单可以评价）'),
    ...checkReportedTime(command.ratedAt, { ...(ticket.roundClosedAt ? { from: ticket.roundClosedAt } : {}), to: now }, 'ratedAt', '第二十二条(二)', '评价时间'),
  ]);
}

/** 第八条(三): the platform refuses a return; its reason goes to the unit. */
export function checkReturnRefusal(ticket: LifecycleTicket, command: { reason: string }): Verdict {
  const step = { rule: 'return-refusal', article: '第八条(三)' };
  return verdict([...inState(ticket, 'refuseReturn', step, '不予退单'), ...required(command.reason, 'reason', step, '不予退单的理由')]);
}

/** 第二十二条(一) 催办: 委政务服务处 urges a ticket still being handled. */
export function checkUrge(ticket: LifecycleTicket, command: { unitId: string; note: string }): Verdict {
  const step = { rule: 'urge', article: '第二十二条(一)' };
  return verdict([...inState(ticket, 'urge', step, '催办'), ...serviceDivision(command.unitId, step, '催办'), ...required(command.note, 'note', step, '催办事由')]);
}

/** 第十七条、第十八条: whoever revisited decides the reopen the system proposed, once. */
export function checkReopenSuggestionDecision(ticket: LifecycleTicket, command: { unitId: string; note: string }): Verdict {
  const step = { rule: 'reopen-suggestion', article: '第十七条' };
  const v = [...inState(ticket, 'decideReopenSuggestion', step, '决定是否派回重办'), ...required(command.note, 'note', step, '决定理由')];
  const s = ticket.suggestion;
  if (!s || s.reasons.length === 0 || s.decided) v.push({ rule: 'reopen-suggestion.none.state', article: '第十七条', reason: '没有待决定的重办建议' });
  else if (s.orderedBy === 'service-division') v.push(...serviceDivision(command.unitId, step, '决定委政务服务处回访提出的重办建议'));
  else v.push(...ownUnit(ticket, command.unitId, step, '决定本单位回访提出的重办建议'));
  return verdict(v);
}

/** spec decision (第二十二条(五)): 委政务服务处 approves an escalated case's answer, or sends it back, before it closes. */
export function checkSupervisionApproval(c: { status: SupervisionCaseStatus; escalated: boolean }, command: { unitId: string; note: string }): Verdict {
  const step = { rule: 'supervision-approval', article: '第二十二条(五)' };
  const v = [...serviceDivision(command.unitId, step, '审核提级办理的督办答复'), ...required(command.note, 'note', step, '审核意见')];
  if (!c.escalated || c.status !== 'answered') v.push({ rule: 'supervision-approval.state', article: '第二十二条(五)', reason: '没有待审核的提级办理答复' });
  return verdict(v);
}
