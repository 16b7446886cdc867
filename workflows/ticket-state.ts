/**
 * A ticket's state and its steps, as plain deterministic code: no workflow runtime, no I/O, no clock of its own.
 *
 * Each step checks a decision through the rule layer (`check`, run by the Update's validator and again under the
 * workflow's lock) and applies it (`apply`): it moves the state along the rule layer's transition table and returns the
 * audit events it produced, with the notifications each queues. The workflow (workflows/ticket.ts) persists those events
 * together with the read-model row derived from the state (workflows/ticket-derived.ts).
 */
import { acceptanceDueAt, isAcceptanceOverdue } from '../rules/acceptance';
import { isHandlingOverdue } from '../rules/deadlines';
import { checkExtension } from '../rules/extensions';
import * as lifecycle from '../rules/lifecycle';
import { nextStatus, OPEN_STATUSES, type LifecycleStep, type LifecycleTicket, type RecipientRole } from '../rules/lifecycle';
import { DEFAULT_PARAMETERS, type Parameters } from '../rules/parameters';
import { checkReply } from '../rules/reply';
import { checkReturn } from '../rules/returns';
import { supervisionTriggers } from '../rules/supervision';
import { DAY } from '../rules/time';
import { verdict, type Verdict } from '../rules/types';
import { extensionFactsOf, extensionRequestOf, platformDraftOf, replyContextOf, returnFactsOf, returnRequestOf, ticketFactsOf } from './facts';
import type * as m from './messages';
import type { PlatformNotice } from '../activities/platform';
import * as parts from '../rules/parts';
import type { PartTicket } from '../rules/parts';
import { reopenReasons } from '../rules/revisit';

/** A notification a step queues (第八条(二), 第十四条, 第二十二条 …); the outbox key is derived from the event. */
export interface Notify {
  kind: string;
  to: RecipientRole;
  payload?: Record<string, unknown>;
  /** The unit, when it is not the ticket's lead unit (a co-handling unit, 第九条). */
  unit?: string;
}

/** An audit event a step produced; the workflow numbers it and stamps it with the step's time. */
export interface Emitted {
  type: string;
  actor: string;
  payload?: Record<string, unknown>;
  notify?: Notify[];
  /** What the platform is told of the step (issue "the platform both ways"), after it is written. */
  platform?: PlatformNotice;
}

/** One step: its rule check and its state change. `now` is the workflow's time of the decision. */
export interface StepDef<C> {
  check(s: m.TicketState, c: C, now: Date): Verdict[];
  apply(s: m.TicketState, c: C, now: Date): Emitted[];
}

const iso = (d: Date) => d.toISOString();
const paramsOf = (s: m.TicketState): Parameters => s.params ?? DEFAULT_PARAMETERS;
export const currentRound = (s: m.TicketState): m.HandlingRound => s.rounds.at(-1)!;
/** The case not yet closed, if any (one at a time, 第二十二条). */
export const openCase = (s: m.TicketState): m.CaseRef | undefined => s.cases.find((c) => c.status !== 'closed');
export const isCaseOpen = (s: m.TicketState): boolean => openCase(s) !== undefined;
const to = (kind: string, recipient: RecipientRole, payload?: Record<string, unknown>): Notify => ({ kind, to: recipient, ...(payload ? { payload } : {}) });

/** Moves the status along the rule layer's transition table (the check has already admitted the step). */
function move(s: m.TicketState, step: LifecycleStep): void {
  const next = nextStatus(step, s.status);
  if (!next) throw new Error(`step ${step} is not possible in status ${s.status}`);
  // `previous`: a refused return goes back to the status the ticket was returned from (第八条(三)).
  s.status = next === 'previous' ? (s.returns.at(-1)?.statusBefore ?? 'accepted') : next;
}

/** The state as the lifecycle checks read it. */
export function lifecycleTicketOf(s: m.TicketState): LifecycleTicket {
  return {
    status: s.status,
    unitId: s.input.unitId,
    arrivedAtUnit: new Date(s.input.dispatchedToUnitAt),
    departments: s.departments,
    contacts: s.contacts,
    extension: currentRound(s).extension,
    reply: s.reply,
    reopens: s.reopens,
    reopenItems: s.reopens.length > 0 ? currentRound(s).items : [],
    supervision: isCaseOpen(s) ? { answer: null } : null,
    mediation: s.mediation,
    suggestion: suggestionOf(s),
    roundClosedAt: currentRound(s).closedAt ? new Date(currentRound(s).closedAt!) : null,
  };
}

/** 第十七条: the reopen proposed after the latest revisit, as the decision checks read it. */
function suggestionOf(s: m.TicketState): LifecycleTicket['suggestion'] {
  const latest = s.revisits.at(-1);
  return latest ? { reasons: latest.suggestion, decided: latest.suggestionDecision !== null, orderedBy: latest.orderedBy } : null;
}

/** The state at dispatch: the first handling round, its deadlines still to be planned (the acceptance limit is known). */
export function initialState(input: m.TicketInput): m.TicketState {
  return {
    input: { ...input },
    params: null,
    status: 'dispatched',
    // The API planned the deadlines with the same planner at intake; start-up plans them again on the worker.
    deadlines: input.deadlines ?? {
      acceptDueAt: iso(acceptanceDueAt(new Date(input.dispatchedToUnitAt))),
      returnWindowEndsAt: null,
      dueAt: null,
      remindAt: null,
      nearDeadlineAt: null,
      extensionLatestDueAt: null,
      provisional: false,
      sla: null,
    },
    plannedFor: null,
    calendarYears: null,
    acceptedAt: null,
    acceptedBy: null,
    acceptOverdue: false,
    returnWindowClosed: false,
    lateReturnApproval: null,
    departments: [],
    contacts: [],
    returns: [],
    // 第二十二条(五): what the API found in the complaint at dispatch starts the flag (people can raise it later too).
    flags: { sensitive: false, emergency: false, majorPublicOpinion: false, majorSafetyHazard: false, managementMisconduct: !!input.managementMisconductReported },
    mediation: null,
    reply: null,
    platformReceipt: null,
    closedWithoutContact: false,
    rounds: [newRound(input.dispatchedAt, 'platform', [])],
    revisits: [],
    reopens: [],
    revisitWindowEndsAt: null,
    revisitWindowClosed: false,
    cases: [],
    ratings: [],
    related: input.relatedReports ?? [],
    parts: (input.parts ?? []).map((p) => newPart(p.unitId, p.demands, 'platform', input.dispatchedToUnitAt, input.deadlines?.partDueAt ?? null)),
    helpRequests: [],
    problems: [],
    lastEventSequence: 0,
  };
}

/**
 * A state carried over by continue-as-new from an earlier shape of the core: the fields added since start empty, so
 * a long-running ticket continues on the current code.
 */
export function carriedState(carried: m.TicketState): m.TicketState {
  const fresh = initialState(carried.input);
  return { ...carried, cases: carried.cases ?? fresh.cases, ratings: carried.ratings ?? fresh.ratings, related: carried.related ?? fresh.related, parts: carried.parts ?? fresh.parts, helpRequests: carried.helpRequests ?? fresh.helpRequests };
}

/** A co-handling unit's part, dispatched to it at `at` (its own 3-hour acceptance, 第八条(一)). */
function newPart(unitId: string, demands: string[], source: m.Part['source'], at: string, partDueAt: string | null, params: Parameters = DEFAULT_PARAMETERS): m.Part {
  const acceptDueAt = iso(acceptanceDueAt(new Date(at), params, partDueAt ? new Date(partDueAt) : undefined));
  return { unitId, demands, source, status: 'dispatched', dispatchedAt: at, acceptDueAt, acceptedAt: null, acceptedBy: null, acceptOverdue: false, contacts: [], result: null, reminded: false, late: false, dispute: null };
}

/** The ticket as the part checks read it (rules/parts.ts). */
export function partTicketOf(s: m.TicketState): PartTicket {
  return {
    status: s.status,
    leadUnitId: s.input.unitId,
    parts: s.parts.map((p) => ({ unitId: p.unitId, status: p.status, dispatchedAt: new Date(p.dispatchedAt) })),
    helpRequests: s.helpRequests.map((h) => ({ unitId: h.unitId, decided: h.decision !== null })),
  };
}

function newRound(startedAt: string, orderedBy: m.HandlingRound['orderedBy'], items: string[]): m.HandlingRound {
  return { startedAt, orderedBy, items, dueAt: null, reminded: false, nearDeadlinePassed: false, overdue: false, extension: null, closedAt: null };
}

// ---- deadlines: what the planner is asked for follows from the state ----

/** What the deadline activity is asked to plan for the current round, or null when nothing runs (returned, closed …). */
export function planRequestOf(s: m.TicketState) {
  if (!OPEN_STATUSES.includes(s.status)) return null;
  const round = currentRound(s);
  const fixedDueAt = round.extension?.status === 'approved' ? round.extension.requestedDueAt : undefined;
  return {
    channel: s.input.channel,
    category: s.input.category,
    urgency: s.input.urgency,
    clockStartsAt: round.startedAt,
    dispatchedToUnitAt: s.input.dispatchedToUnitAt,
    ...(fixedDueAt ? { fixedDueAt } : {}),
  };
}
export type PlanRequest = NonNullable<ReturnType<typeof planRequestOf>>;

/** Whether the deadlines must be planned (again): first plan, a new round or unit, an extension, a calendar load. */
export function needsPlan(s: m.TicketState): PlanRequest | null {
  const request = planRequestOf(s);
  if (!request) return null;
  return JSON.stringify(request) !== s.plannedFor || s.calendarYears !== null ? request : null;
}

/** Applies a plan: the round's deadline, and after a calendar load the event that says what moved. */
export function applyPlan(s: m.TicketState, request: PlanRequest, planned: m.TicketDeadlines): Emitted[] {
  const before = s.deadlines.dueAt;
  // A reopened ticket keeps the dispatch's acceptance limit and return window; they belong to the dispatch (第八条).
  s.deadlines = s.reopens.length > 0 && s.status !== 'dispatched' ? { ...planned, acceptDueAt: s.deadlines.acceptDueAt, returnWindowEndsAt: s.deadlines.returnWindowEndsAt } : planned;
  s.plannedFor = JSON.stringify(request);
  currentRound(s).dueAt = planned.dueAt;
  const years = s.calendarYears;
  s.calendarYears = null;
  if (!years) return [];
  return [{ type: 'deadlines-recomputed', actor: 'system', payload: { years, dueAt: planned.dueAt, previousDueAt: before, provisional: planned.provisional } }];
}

/** The cases whose workflow is still to be started (the workflow starts them after the step is written). */
export function casesToStart(s: m.TicketState): m.SupervisionCaseInput[] {
  return s.cases
    .filter((c) => !c.started)
    .map((c) => ({ caseId: c.id, ticketNo: s.input.ticketNo, unitId: s.input.unitId, triggers: c.triggers, escalated: c.escalated, openedBy: c.openedBy, openedAt: c.openedAt }));
}

/** A case reported a change (its workflow is the source of its deadline, reminder, late mark, answer and approval). */
export function applyCaseEvent(s: m.TicketState, e: m.CaseEvent): Emitted[] {
  const c = s.cases.find((x) => x.id === e.caseId);
  if (!c) return [];
  Object.assign(c, { status: e.status, late: e.late, answerDueAt: e.answerDueAt, started: true });
  return [{ type: e.type, actor: e.actor, payload: e.payload, notify: e.notify }];
}

/** 第二十二条: opens a case when the triggers found call for one and none is open; (五) escalates it (提级办理). */
function openSupervision(s: m.TicketState, openedBy: string, triggers: m.SupervisionTrigger[], now: Date): void {
  if (triggers.length === 0 || isCaseOpen(s)) return;
  const escalated = triggers.some((t) => t.article === '第二十二条(五)');
  if (escalated) s.flags.managementMisconduct = true;
  s.cases.push({ id: `${s.input.ticketNo}:${s.cases.length + 1}`, openedAt: iso(now), openedBy, triggers, escalated, status: 'open', started: false, answerDueAt: null, late: false });
}

/**
 * 第二十二条(二)–(五): the triggers the record shows by itself (repeated unsatisfied reports, a false closure, a ticket
 * passed around, the management department's own misconduct) open a case when none is open. (一) has its own timers.
 */
export function superviseIfTriggered(s: m.TicketState, now: Date, articles?: readonly string[]): void {
  const found = supervisionTriggers(ticketFactsOf(s), now, paramsOf(s)).triggers.filter((f) => f.article !== '第二十二条(一)' && (!articles || articles.includes(f.article)));
  openSupervision(s, 'system', found.map((f) => ({ ...f, evidence: evidenceOf(s, f.article) })), now);
}

/** What in the ticket's record shows a trigger of 第二十二条 (kept with the case; never the reporter's data). */
function evidenceOf(s: m.TicketState, article: string): Record<string, unknown> {
  switch (article) {
    case '第二十二条(二)':
      return { related: s.related.map((r) => ({ ticketNo: r.ticketNo, dispatchedAt: r.dispatchedAt, satisfaction: r.satisfaction })), ratings: s.ratings.map((r) => r.satisfaction) };
    case '第二十二条(三)':
      return { reply: s.reply?.text ?? null, ratings: s.ratings.map((r) => ({ satisfaction: r.satisfaction, words: r.words })), revisits: s.revisits.map((r) => ({ at: r.at, notContacted: r.reporterSaysNotContacted, notSolved: r.reporterSaysNotSolved })) };
    case '第二十二条(四)':
      return { returns: s.returns.map((r) => ({ unitId: r.unitId, ground: r.ground, at: r.at })) };
    case '第二十二条(五)':
      return { reportedInComplaint: !!s.input.managementMisconductReported, flagged: s.flags.managementMisconduct };
    default:
      return {};
  }
}

// ---- the steps ----

const step = <C>(def: StepDef<C>) => def;
const t = lifecycleTicketOf;

export const steps = {
  accept: step<m.AcceptCommand>({
    check: (s, c) => [lifecycle.checkAccept(t(s), c)],
    apply(s, c, now) {
      // 第八条(一): on time when accepted at or before the limit; an overdue mark, once set, stays.
      s.acceptOverdue ||= isAcceptanceOverdue(new Date(s.deadlines.acceptDueAt), now);
      move(s, 'accept');
      s.acceptedAt = iso(now);
      s.acceptedBy = c.acceptedBy;
      return [{ type: 'accepted', actor: c.acceptedBy, payload: { unitId: c.unitId, onTime: !s.acceptOverdue }, platform: { kind: 'acceptance', unitId: c.unitId, acceptedBy: c.acceptedBy, acceptedAt: iso(now) } }];
    },
  }),

  assign: step<m.AssignCommand>({
    check: (s, c) => [lifecycle.checkAssign(t(s), c)],
    apply(s, c) {
      s.departments = c.departmentIds.map((departmentId) => s.departments.find((d) => d.departmentId === departmentId) ?? { departmentId, opinion: null, by: null, at: null });
      move(s, 'assign');
      return [{ type: 'assigned', actor: c.by, payload: { departmentIds: c.departmentIds, coHandled: c.departmentIds.length > 1 } }];
    },
  }),

  contact: step<m.ContactCommand>({
    check: (s, c, now) => [lifecycle.checkContact(t(s), { ...c, at: new Date(c.at) }, now)],
    apply(s, c) {
      const entry: m.ContactEntry = { at: c.at, by: c.by, staffName: c.staffName, method: c.method, reached: c.reached, outcome: c.outcome, recordingRef: c.recordingRef ?? null };
      s.contacts.push(entry);
      move(s, 'contact');
      return [{ type: 'contact-recorded', actor: c.by, payload: { ...entry } }];
    },
  }),

  opinion: step<m.OpinionCommand>({
    check: (s, c) => [lifecycle.checkOpinion(t(s), c)],
    apply(s, c, now) {
      Object.assign(s.departments.find((d) => d.departmentId === c.departmentId)!, { opinion: c.opinion, by: c.by, at: iso(now) });
      return [{ type: 'opinion-submitted', actor: c.by, payload: { departmentId: c.departmentId, opinion: c.opinion } }];
    },
  }),

  approveLateReturn: step<m.LateReturnApprovalCommand>({
    check: (s, c) => [lifecycle.checkLateReturnApproval(t(s), c)],
    apply(s, c, now) {
      s.lateReturnApproval = { by: c.by, at: iso(now), note: c.note };
      return [{ type: 'late-return-approved', actor: c.by, payload: { note: c.note }, notify: [to('late-return-approved', 'unit', { note: c.note })] }];
    },
  }),

  return: step<m.ReturnCommand>({
    // 第八条(四)1: a co-handling unit never returns the ticket; it asks 委政务服务处 to reassign its part.
    check: (s, c, now) => [verdict(parts.coHandlingReturn(partTicketOf(s), c.unitId)), lifecycle.checkReturnStep(t(s), c), checkReturn(returnRequestOf(c, now), returnFactsOf(s, c), paramsOf(s))],
    apply(s, c, now) {
      const reason = c.evidence.reasons ?? c.evidence.itemsToVerify?.join('；') ?? c.ground;
      s.returns.push({ ground: c.ground, at: iso(now), by: c.by, unitId: c.unitId, reason, statusBefore: s.status, refused: null });
      move(s, 'return');
      return [
        {
          type: 'returned',
          actor: c.by,
          payload: { ground: c.ground, evidence: c.evidence },
          notify: [to('returned', 'service-division', { ground: c.ground, unitId: c.unitId })],
          platform: { kind: 'return-request', unitId: c.unitId, ground: c.ground, reason, evidence: c.evidence, requestedAt: iso(now) },
        },
      ];
    },
  }),

  redispatch: step<m.RedispatchCommand>({
    check: (s, c, now) => [lifecycle.checkRedispatch(t(s), { unitId: c.unitId, dispatchedToUnitAt: new Date(c.dispatchedToUnitAt) }, now)],
    apply(s, c, now) {
      // A new acceptance round at the (possibly other) unit; returns stay on record (第八条(三)2, 第二十二条(四)). The
      // extension belonged to the unit that had it (第十四条, spec decision): the handling clock runs on from the dispatch.
      const round = currentRound(s);
      const otherUnit = c.unitId !== s.input.unitId;
      s.input.unitId = c.unitId;
      s.input.dispatchedToUnitAt = c.dispatchedToUnitAt;
      if (c.notReturnable !== undefined) s.input.notReturnable = c.notReturnable;
      move(s, 'redispatch');
      Object.assign(s, { acceptedAt: null, acceptedBy: null, acceptOverdue: false, returnWindowClosed: false, lateReturnApproval: null, departments: [] });
      if (otherUnit) round.extension = null;
      const events: Emitted[] = [{ type: 'redispatched', actor: c.by, payload: { unitId: c.unitId, note: c.note, notReturnable: s.input.notReturnable ?? false }, notify: [to('dispatched', 'unit')] }];
      superviseIfTriggered(s, now, ['第二十二条(四)']);
      return events;
    },
  }),

  withdraw: step<m.WithdrawCommand>({
    check: (s) => [lifecycle.checkWithdraw(t(s))],
    apply(s, c) {
      move(s, 'withdraw');
      return [{ type: 'withdrawn', actor: c.by, payload: { note: c.note } }];
    },
  }),

  requestExtension: step<m.ExtensionRequestCommand>({
    check: (s, c, now) => [lifecycle.checkExtensionStep(t(s), c), checkExtension(extensionRequestOf(c, now), extensionFactsOf(s), paramsOf(s))],
    apply(s, c, now) {
      currentRound(s).extension = {
        status: 'requested',
        requestedBy: c.by,
        requestedAt: iso(now),
        requestedDueAt: c.requestedDueAt,
        reason: c.reason,
        reporterContactedAt: c.reporterContactedAt,
        reporterOpinion: c.reporterOpinion,
        causedByUnit: !!c.causedByUnit,
        decidedBy: null,
        decidedAt: null,
        note: null,
      };
      return [
        {
          type: 'extension-requested',
          actor: c.by,
          payload: { requestedDueAt: c.requestedDueAt, reason: c.reason, reporterOpinion: c.reporterOpinion, reporterContactedAt: c.reporterContactedAt },
          notify: [to('extension-requested', 'service-division', { requestedDueAt: c.requestedDueAt, unitId: s.input.unitId })],
          platform: { kind: 'extension-request', unitId: s.input.unitId, requestedDueAt: c.requestedDueAt, reason: c.reason, reporterOpinion: c.reporterOpinion, requestedAt: iso(now) },
        },
      ];
    },
  }),

  decideExtension: step<m.ExtensionDecisionCommand>({
    check(s, c) {
      const checks = [lifecycle.checkExtensionDecision(t(s), c)];
      const ext = currentRound(s).extension;
      // spec decision (第十四条): an approval checks the conditions again, as they are at the decision.
      if (c.approved && ext?.status === 'requested')
        checks.push(checkExtension(extensionRequestOf({ ...ext, reporterConsent: true }, new Date(ext.requestedAt)), extensionFactsOf(s), paramsOf(s)));
      return checks;
    },
    apply(s, c, now) {
      const round = currentRound(s);
      const ext = round.extension!;
      Object.assign(ext, { status: c.approved ? 'approved' : 'refused', decidedBy: c.by, decidedAt: iso(now), note: c.note });
      // 第十四条: the deadline moves to the approved date (planned next), and the reminder with it.
      if (c.approved) Object.assign(round, { reminded: false, nearDeadlinePassed: false });
      const kind = c.approved ? 'extension-approved' : 'extension-refused';
      return [{ type: kind, actor: c.by, payload: { note: c.note, requestedDueAt: ext.requestedDueAt }, notify: [to(kind, 'unit', { note: c.note })], platform: { kind: 'extension-decision', approved: c.approved, note: c.note, dueAt: c.approved ? ext.requestedDueAt : s.deadlines.dueAt, decidedAt: iso(now) } }];
    },
  }),

  flag: step<m.FlagCommand>({
    check: (s, c) => [lifecycle.checkFlag(t(s), c)],
    apply(s, c) {
      const raised = (['sensitive', 'emergency', 'majorPublicOpinion', 'majorSafetyHazard', 'managementMisconduct'] as const).filter((k) => c[k] && !s.flags[k]);
      for (const k of raised) s.flags[k] = true;
      // 第八条(二): reported to the unit's principal leader at once, and put on record with 委政务服务处.
      return [{ type: 'flagged', actor: c.by, payload: { flags: raised, note: c.note }, notify: [to('sensitive-flagged', 'unit-leader', { flags: raised }), to('sensitive-flagged', 'service-division', { flags: raised, unitId: s.input.unitId })] }];
    },
  }),

  mediation: step<m.MediationCommand>({
    check: (s, c) => [lifecycle.checkMediation(t(s), c)],
    apply(s, c, now) {
      if (c.outcome === undefined) {
        s.mediation = { markedBy: c.by, markedAt: iso(now), outcome: null };
        return [{ type: 'mediation-marked', actor: c.by }];
      }
      s.mediation!.outcome = c.outcome;
      return [{ type: 'mediation-outcome', actor: c.by, payload: { outcome: c.outcome } }];
    },
  }),

  draftReply: step<m.ReplyDraftCommand>({
    check: (s, c, now) => [lifecycle.checkDraftStep(t(s), c), verdict(parts.partsMissingResults(partTicketOf(s))), checkReplyAgainstRecord(s, c, now)],
    apply(s, c, now) {
      s.reply = {
        text: c.text,
        contactedAt: c.contactedAt ?? null,
        staffName: c.staffName ?? null,
        staffPhone: c.staffPhone ?? null,
        process: c.process ?? null,
        result: c.result ?? null,
        reporterFeedback: c.reporterFeedback ?? null,
        draftedBy: c.by,
        draftedAt: iso(now),
        reviewedBy: null,
        reviewedAt: null,
        sealedReport: c.sealedReport ?? null,
        itemAnswers: c.itemAnswers ?? [],
        assessment: c.assessment ?? null,
      };
      move(s, 'draftReply');
      return [{ type: 'reply-drafted', actor: c.by, payload: { sealedReport: c.sealedReport ?? null, itemAnswers: c.itemAnswers ?? [] } }];
    },
  }),

  reviewReply: step<m.ReplyReviewCommand>({
    // 第十六条: the reply is checked again at approval; a rejection needs no check of its content.
    // 第二十八条(六): a part added after the draft must have its result in before the reply is approved.
    check: (s, c, now) => [lifecycle.checkReviewStep(t(s), c), c.approved && s.reply ? checkReplyAgainstRecord(s, s.reply, now) : verdict([]), c.approved ? verdict(parts.partsMissingResults(partTicketOf(s))) : verdict([])],
    apply(s, c, now) {
      if (!c.approved) {
        move(s, 'rejectReply');
        return [{ type: 'reply-rejected', actor: c.by, payload: { note: c.note ?? '' } }];
      }
      Object.assign(s.reply!, { reviewedBy: c.by, reviewedAt: iso(now) });
      move(s, 'approveReply');
      return [{ type: 'reply-approved', actor: c.by }];
    },
  }),

  revisit: step<m.RevisitCommand>({
    check: (s, c) => [lifecycle.checkRevisit(t(s), c)],
    apply(s, c, now) {
      const entry: m.RevisitEntry = {
        at: iso(now),
        by: c.by,
        orderedBy: c.orderedBy,
        satisfaction: c.satisfaction,
        reporterSaysNotContacted: !!c.reporterSaysNotContacted,
        reporterSaysNotSolved: !!c.reporterSaysNotSolved,
        newQuestions: !!c.newQuestions,
        note: c.note,
        verifiedReason: c.verifiedReason ?? null,
        otherQuestions: c.otherQuestions ?? [],
        answeredDirectly: c.answeredDirectly ?? [],
        dispatchedToUnit: c.dispatchedToUnit ?? [],
        assessment: c.assessment ?? {},
        suggestion: [],
        suggestionDecision: null,
      };
      s.revisits.push(entry);
      // 第十七条、第十八条: the system proposes a reopen with its reasons; the revisitor confirms or dismisses it.
      entry.suggestion = reopenReasons(ticketFactsOf(s));
      // 第二十二条(二)–(五): what the revisit reveals may put the ticket under supervision by itself.
      superviseIfTriggered(s, now);
      // 第二十条: the questions dispatched to the unit go to it.
      const notify = entry.dispatchedToUnit.length > 0 ? [to('revisit-questions', 'unit', { questions: entry.dispatchedToUnit })] : [];
      return [{ type: 'revisited', actor: c.by, payload: { ...entry }, notify }];
    },
  }),

  reopen: step<m.ReopenCommand>({
    check: (s, c) => [lifecycle.checkReopen(t(s), c)],
    apply: (s, c, now) => reopen(s, c, now),
  }),

  decideReopenSuggestion: step<m.ReopenSuggestionDecisionCommand>({
    check: (s, c) => [lifecycle.checkReopenSuggestionDecision(t(s), c)],
    apply(s, c, now) {
      const latest = s.revisits.at(-1)!;
      latest.suggestionDecision = { confirmed: c.confirmed, by: c.by, at: iso(now), note: c.note };
      const decided: Emitted = { type: c.confirmed ? 'reopen-suggestion-confirmed' : 'reopen-suggestion-dismissed', actor: c.by, payload: { reasons: latest.suggestion, note: c.note } };
      if (!c.confirmed) return [decided];
      // 第十七条、第十八条: the reopen goes ahead with the proposed reasons; under 第十八条 it goes to the unit's
      // acceptance department, which assigns the management department itself instead of a company.
      const toManagement = latest.suggestion.some((f) => f.article === '第十八条');
      return [decided, ...reopen(s, { by: c.by, unitId: c.unitId, orderedBy: latest.orderedBy, reasons: latest.suggestion.map((f) => f.reason) }, now, toManagement)];
    },
  }),

  supervise: step<m.SuperviseCommand>({
    check: (s, c) => [lifecycle.checkSupervise(t(s), c)],
    apply(s, c, now) {
      const trigger =
        c.trigger === 'management-misconduct'
          ? { rule: 'supervision.management-misconduct', article: '第二十二条(五)', reason: c.note }
          : { rule: 'supervision.other', article: '第二十二条(六)', reason: c.note };
      openSupervision(s, c.by, [trigger], now);
      return [];
    },
  }),

  rate: step<m.RatingCommand>({
    // Idempotent on the platform's rating id: the same rating again changes nothing (the check lets it through).
    check: (s, c, now) => (s.ratings.some((r) => r.ratingId === c.ratingId) ? [] : [lifecycle.checkRating(t(s), { ratedAt: new Date(c.ratedAt), words: c.words }, now)]),
    apply(s, c, now) {
      if (s.ratings.some((r) => r.ratingId === c.ratingId)) return [];
      s.ratings.push({ ratingId: c.ratingId, satisfaction: c.satisfaction, words: c.words, ratedAt: c.ratedAt, recordedAt: iso(now) });
      // 第二十二条(二)(三): an unsatisfied rating after repeated reports, or words saying "not contacted / not solved"
      // against a reply that claims it, put the ticket under supervision by itself.
      superviseIfTriggered(s, now);
      return [{ type: 'rated', actor: c.by, payload: { ratingId: c.ratingId, satisfaction: c.satisfaction, words: c.words, ratedAt: c.ratedAt } }];
    },
  }),

  refuseReturn: step<m.ReturnRefusedCommand>({
    check: (s, c) => [lifecycle.checkReturnRefusal(t(s), c)],
    apply(s, c, now) {
      // 第八条(三): back to the unit with the platform's reason; the deadline is unchanged (the clock never stopped).
      s.returns.at(-1)!.refused = { at: iso(now), reason: c.reason };
      move(s, 'refuseReturn');
      return [{ type: 'return-refused', actor: c.by, payload: { reason: c.reason }, notify: [to('return-refused', 'unit', { reason: c.reason }), to('return-refused', 'service-division', { reason: c.reason, unitId: s.input.unitId })] }];
    },
  }),

  urge: step<m.UrgeCommand>({
    check: (s, c) => [lifecycle.checkUrge(t(s), c)],
    apply(s, c, now) {
      // spec decision (第二十二条(一)): a manual urge counts as the reminder; past the near-deadline point the ticket is
      // already "still slow after a reminder".
      const round = currentRound(s);
      round.reminded = true;
      if (round.nearDeadlinePassed) openSupervision(s, 'system', [{ rule: 'supervision.slow-after-reminder', article: '第二十二条(一)', reason: '办理事项临近超时，经催办仍办理缓慢' }], now);
      return [{ type: 'urged', actor: c.by, payload: { note: c.note }, notify: [to('urged', 'unit', { note: c.note })] }];
    },
  }),

  updateRelated: step<m.RelatedUpdateCommand>({
    check: () => [],
    apply(s, c, now) {
      s.related = c.related;
      // 第二十二条(二): a newly related report may make this one a repeated, unsatisfied problem.
      superviseIfTriggered(s, now, ['第二十二条(二)']);
      return [{ type: 'related-updated', actor: c.by, payload: { related: c.related.map((r) => r.ticketNo) } }];
    },
  }),

  addPart: step<m.AddPartCommand>({
    check: (s, c) => [parts.checkAddPart(partTicketOf(s), { actorUnit: c.unitId, unitId: c.partUnitId, demands: c.demands })],
    apply: (s, c, now) => addPart(s, c.partUnitId, c.demands, 'service-division', c.by, now),
  }),

  requestHelp: step<m.HelpRequestCommand>({
    check: (s, c) => [parts.checkHelpRequest(partTicketOf(s), { actorUnit: c.unitId, unitId: c.partUnitId, demands: c.demands, reason: c.reason })],
    apply(s, c, now) {
      s.helpRequests.push({ unitId: c.partUnitId, demands: c.demands, reason: c.reason, by: c.by, at: iso(now), decision: null });
      return [{ type: 'help-requested', actor: c.by, payload: { unitId: c.partUnitId, demands: c.demands, reason: c.reason }, notify: [to('help-requested', 'service-division', { leadUnitId: s.input.unitId, unitId: c.partUnitId, demands: c.demands })] }];
    },
  }),

  decideHelp: step<m.HelpDecisionCommand>({
    check: (s, c) => [parts.checkHelpDecision(partTicketOf(s), { actorUnit: c.unitId, note: c.note })],
    apply(s, c, now) {
      const h = s.helpRequests.find((x) => x.decision === null)!;
      h.decision = { approved: c.approved, by: c.by, at: iso(now), note: c.note };
      const decided: Emitted = { type: c.approved ? 'help-approved' : 'help-refused', actor: c.by, payload: { unitId: h.unitId, note: c.note }, notify: [to(c.approved ? 'help-approved' : 'help-refused', 'unit', { unitId: h.unitId, note: c.note })] };
      return c.approved ? [decided, ...addPart(s, h.unitId, h.demands, 'help-request', c.by, now)] : [decided];
    },
  }),

  acceptPart: step<m.PartAcceptCommand>({
    check: (s, c) => [parts.checkPartAccept(partTicketOf(s), c)],
    apply(s, c, now) {
      const p = partOf(s, c.unitId);
      p.acceptOverdue ||= isAcceptanceOverdue(new Date(p.acceptDueAt), now);
      Object.assign(p, { status: 'accepted', acceptedAt: iso(now), acceptedBy: c.acceptedBy });
      return [{ type: 'part-accepted', actor: c.acceptedBy, payload: { unitId: c.unitId, onTime: !p.acceptOverdue } }];
    },
  }),

  partContact: step<m.ContactCommand>({
    check: (s, c, now) => [parts.checkPartContact(partTicketOf(s), { ...c, at: new Date(c.at) }, now)],
    apply(s, c) {
      const entry: m.ContactEntry = { at: c.at, by: c.by, staffName: c.staffName, method: c.method, reached: c.reached, outcome: c.outcome, recordingRef: c.recordingRef ?? null };
      partOf(s, c.unitId).contacts.push(entry);
      return [{ type: 'part-contact-recorded', actor: c.by, payload: { unitId: c.unitId, ...entry } }];
    },
  }),

  submitPart: step<m.PartResultCommand>({
    check: (s, c) => [parts.checkPartResult(partTicketOf(s), c)],
    apply(s, c, now) {
      const p = partOf(s, c.unitId);
      Object.assign(p, { status: 'submitted', result: { text: c.result, by: c.by, at: iso(now) } });
      return [{ type: 'part-submitted', actor: c.by, payload: { unitId: c.unitId, result: c.result, late: p.late }, notify: [to('part-submitted', 'unit', { unitId: c.unitId })] }];
    },
  }),

  disputePart: step<m.PartDisputeCommand>({
    check: (s, c) => [parts.checkPartDispute(partTicketOf(s), c)],
    apply(s, c, now) {
      const p = partOf(s, c.unitId);
      Object.assign(p, { status: 'disputed', dispute: { reason: c.reason, by: c.by, at: iso(now) } });
      return [{ type: 'part-disputed', actor: c.by, payload: { unitId: c.unitId, reason: c.reason }, notify: [to('part-disputed', 'service-division', { unitId: c.unitId, reason: c.reason }), to('part-disputed', 'unit', { unitId: c.unitId })] }];
    },
  }),

  reassignPart: step<m.PartReassignCommand>({
    check: (s, c) => [parts.checkPartReassign(partTicketOf(s), { actorUnit: c.unitId, fromUnitId: c.fromUnitId, ...(c.toUnitId ? { toUnitId: c.toUnitId } : {}), note: c.note })],
    apply(s, c, now) {
      const i = s.parts.findIndex((p) => p.unitId === c.fromUnitId);
      const p = s.parts[i]!;
      if (!c.toUnitId) {
        // Kept where it is: the unit goes on with it.
        Object.assign(p, { status: p.acceptedAt ? 'accepted' : 'dispatched', dispute: null });
        return [{ type: 'part-kept', actor: c.by, payload: { unitId: p.unitId, note: c.note }, notify: [{ kind: 'part-kept', to: 'unit', unit: p.unitId, payload: { note: c.note } }] }];
      }
      s.parts.splice(i, 1);
      return [{ type: 'part-reassigned', actor: c.by, payload: { fromUnitId: c.fromUnitId, toUnitId: c.toUnitId, note: c.note } }, ...addPart(s, c.toUnitId, p.demands, p.source, c.by, now)];
    },
  }),
};

function partOf(s: m.TicketState, unitId: string): m.Part {
  return s.parts.find((p) => p.unitId === unitId)!;
}

/** 第九条、第二十八条(六): a co-handling unit gets its part; it, the lead unit and 委政务服务处 are told. */
function addPart(s: m.TicketState, unitId: string, demands: string[], source: m.Part['source'], by: string, now: Date): Emitted[] {
  const p = newPart(unitId, demands, source, iso(now), s.deadlines.partDueAt ?? null, paramsOf(s));
  s.parts.push(p);
  return [
    {
      type: 'part-dispatched',
      actor: by,
      payload: { unitId, demands, source, acceptDueAt: p.acceptDueAt, dueAt: s.deadlines.partDueAt ?? null },
      notify: [{ kind: 'part-dispatched', to: 'unit', unit: unitId, payload: { demands, acceptDueAt: p.acceptDueAt, dueAt: s.deadlines.partDueAt ?? null } }, to('part-dispatched', 'unit', { unitId, demands })],
    },
  ];
}

/** 第十七条、第二十一条: a new handling round, with its own deadline counted from the reopen, and the items to re-handle. */
function reopen(s: m.TicketState, c: m.ReopenCommand, now: Date, toManagementDepartment = false): Emitted[] {
  const at = iso(now);
  s.reopens.push({ at, by: c.by, orderedBy: c.orderedBy, reasons: c.reasons });
  // The last round's outcome stays on record in s.rounds; the reply, its review and receipt belong to that round.
  s.rounds.push({ ...newRound(at, c.orderedBy, c.reasons), ...(toManagementDepartment ? { toManagementDepartment } : {}) });
  move(s, toManagementDepartment ? 'reopenToManagement' : 'reopen');
  Object.assign(s, { reply: null, platformReceipt: null, closedWithoutContact: false, revisitWindowEndsAt: null, revisitWindowClosed: false });
  return [{ type: 'reopened', actor: c.by, payload: { orderedBy: c.orderedBy, reasons: c.reasons, toManagementDepartment }, notify: [to('reopened', 'unit', { reasons: c.reasons, reportTo: c.orderedBy, toManagementDepartment })] }];
}

/** 第十六条 on the reply as the platform will receive it, and its contact time against the ticket's record. */
function checkReplyAgainstRecord(s: m.TicketState, r: m.ReplyDraftCommand | m.ReplyEntry, now: Date): Verdict {
  const violations = [];
  const result = checkReply(platformDraftOf(s, r), replyContextOf(s));
  if (!result.ok) violations.push(...result.violations);
  // spec decision "times that cannot be true": the reply's contact time is one of the ticket's recorded contacts.
  if (r.contactedAt && !s.contacts.some((c) => Date.parse(c.at) === Date.parse(r.contactedAt!)))
    violations.push({ rule: 'reply.contact-time-recorded', article: '第十六条(一)', reason: '答复中的联系时间须为本工单已记录的一次联系', field: 'contactedAt' });
  if (r.contactedAt && Date.parse(r.contactedAt) > now.getTime())
    violations.push({ rule: 'reply.contact-time-future', article: '第十六条(一)', reason: '答复中的联系时间不能晚于当前时间', field: 'contactedAt' });
  return verdict(violations);
}

// ---- what the platform and the clock do ----

/** 第十五条、第十一条(四): the platform took the reply; its reply time closes the round, to the second. */
export function replyDelivered(s: m.TicketState, receipt: { receiptId: string; closedAt: string; delivered: string }, now: Date): Emitted[] {
  const round = currentRound(s);
  move(s, 'replyDelivered');
  round.closedAt = receipt.closedAt;
  s.platformReceipt = receipt.receiptId;
  s.closedWithoutContact = !s.contacts.some((c) => c.reached);
  if (round.dueAt && isHandlingOverdue(new Date(round.dueAt), new Date(receipt.closedAt))) round.overdue = true;
  s.revisitWindowEndsAt = iso(new Date(now.getTime() + paramsOf(s).revisitWindowDays.value * DAY));
  const reopen = s.reopens.at(-1);
  const reply = s.reply!;
  return [
    {
      type: 'closed',
      actor: 'system',
      payload: { receiptId: receipt.receiptId, delivered: receipt.delivered, closedWithoutContact: s.closedWithoutContact, onTime: !round.overdue, sealedReport: reply.sealedReport },
      // 第二十一条: the re-handling report goes to whoever ordered it.
      notify: reopen ? [to('reclosed', reopen.orderedBy === 'service-division' ? 'service-division' : 'unit', { sealedReport: reply.sealedReport, items: round.items })] : [],
    },
  ];
}

/** The platform refused a notice for good (4xx): the unit is told why (issue "the platform both ways"). */
export function platformRefusedNotice(kind: string, reason: string): Emitted[] {
  return [{ type: 'platform-refused', actor: 'system', payload: { kind, reason }, notify: [to('platform-refused', 'unit', { kind, reason })] }];
}

/** The platform refused the reply for good (4xx): the unit is told why and drafts again (第十五条, 第十六条). */
export function replyRefused(s: m.TicketState, reason: string): Emitted[] {
  move(s, 'replyRefused');
  if (s.reply) Object.assign(s.reply, { reviewedBy: null, reviewedAt: null });
  return [{ type: 'reply-refused-by-platform', actor: 'system', payload: { reason }, notify: [to('reply-refused-by-platform', 'unit', { reason })] }];
}

export type TimerKind = 'acceptance' | 'return-window' | 'reminder' | 'near-deadline' | 'deadline' | 'revisit-window' | 'part-acceptance' | 'part-reminder' | 'part-late';

/** A timer the state asks for; `unitId` names the co-handling unit of a part's timer. */
export interface DueTimer {
  at: string;
  kind: TimerKind;
  unitId?: string;
}

/** The timers the state asks for, each at its instant: a moved deadline moves its timer. */
export function dueTimers(s: m.TicketState): DueTimer[] {
  const list: DueTimer[] = [];
  const d = s.deadlines;
  const round = currentRound(s);
  const open = OPEN_STATUSES.includes(s.status);
  const handling = open && s.status !== 'reply-approved';
  if (s.status === 'dispatched' && !s.acceptOverdue) list.push({ at: d.acceptDueAt, kind: 'acceptance' });
  if (open && d.returnWindowEndsAt && !s.returnWindowClosed && s.reopens.length === 0) list.push({ at: d.returnWindowEndsAt, kind: 'return-window' });
  if (handling && s.plannedFor && d.remindAt && !round.reminded) list.push({ at: d.remindAt, kind: 'reminder' });
  if (handling && s.plannedFor && d.nearDeadlineAt && !round.nearDeadlinePassed) list.push({ at: d.nearDeadlineAt, kind: 'near-deadline' });
  if (handling && s.plannedFor && d.dueAt && !round.overdue) list.push({ at: d.dueAt, kind: 'deadline' });
  if (s.status === 'closed' && s.revisitWindowEndsAt && !s.revisitWindowClosed) list.push({ at: s.revisitWindowEndsAt, kind: 'revisit-window' });
  // 第八条(一), spec decision (第九条): each part's acceptance limit, its reminder before the part is due, and its late mark.
  for (const p of handling ? s.parts : []) {
    if (p.status === 'dispatched' && !p.acceptOverdue) list.push({ at: p.acceptDueAt, kind: 'part-acceptance', unitId: p.unitId });
    if (p.status !== 'submitted' && d.partRemindAt && !p.reminded) list.push({ at: d.partRemindAt, kind: 'part-reminder', unitId: p.unitId });
    if (p.status !== 'submitted' && d.partDueAt && !p.late) list.push({ at: d.partDueAt, kind: 'part-late', unitId: p.unitId });
  }
  return list.sort((a, b) => a.at.localeCompare(b.at));
}

/** What happens when a timer of `dueTimers` fires. */
export function fireTimer(s: m.TicketState, kind: TimerKind, now: Date, partUnit?: string): Emitted[] {
  const d = s.deadlines;
  const round = currentRound(s);
  const unitId = s.input.unitId;
  switch (kind) {
    case 'acceptance':
      // 第八条(一): the limit passed without acceptance; the ticket still waits for it.
      s.acceptOverdue = true;
      return [{ type: 'acceptance-overdue', actor: 'system', payload: { acceptDueAt: d.acceptDueAt }, notify: [to('acceptance-overdue', 'unit'), to('acceptance-overdue', 'service-division', { unitId })] }];
    case 'return-window':
      // 第八条(三)1: a not-our-duty return now needs a justification approved by 委政务服务处.
      s.returnWindowClosed = true;
      return [{ type: 'return-window-closed', actor: 'system', payload: { returnWindowEndsAt: d.returnWindowEndsAt } }];
    case 'reminder':
      round.reminded = true;
      return [{ type: 'reminded', actor: 'system', payload: { dueAt: d.dueAt }, notify: [to('reminder', 'unit'), to('reminder', 'service-division', { unitId })] }];
    case 'near-deadline': {
      // spec decision (第二十二条(一)): near the deadline, after the reminder, and no reply approved: supervision.
      round.nearDeadlinePassed = true;
      const slow = round.reminded && !['reply-approved', 'closed'].includes(s.status);
      if (slow) openSupervision(s, 'system', [{ rule: 'supervision.slow-after-reminder', article: '第二十二条(一)', reason: '办理事项临近超时，经提醒仍办理缓慢', evidence: { remindAt: d.remindAt, nearDeadlineAt: d.nearDeadlineAt, dueAt: d.dueAt, status: s.status } }], now);
      return [{ type: 'near-deadline', actor: 'system', payload: { dueAt: d.dueAt, supervised: slow } }];
    }
    case 'deadline':
      // 第十一条: overdue; spec decision (第二十二条(一)): it goes under supervision if it is not already.
      round.overdue = true;
      openSupervision(s, 'system', [{ rule: 'supervision.overdue', article: '第二十二条(一)', reason: '办理超时，经提醒仍未办结', evidence: { dueAt: d.dueAt, status: s.status } }], now);
      return [{ type: 'handling-overdue', actor: 'system', payload: { dueAt: d.dueAt }, notify: [to('handling-overdue', 'unit'), to('handling-overdue', 'service-division', { unitId })] }];
    case 'revisit-window':
      s.revisitWindowClosed = true;
      return [{ type: 'revisit-window-closed', actor: 'system' }];
    case 'part-acceptance': {
      const p = partOf(s, partUnit!);
      p.acceptOverdue = true;
      return [{ type: 'part-acceptance-overdue', actor: 'system', payload: { unitId: p.unitId, acceptDueAt: p.acceptDueAt }, notify: [{ kind: 'part-acceptance-overdue', to: 'unit', unit: p.unitId }, to('part-acceptance-overdue', 'service-division', { unitId: p.unitId })] }];
    }
    case 'part-reminder': {
      const p = partOf(s, partUnit!);
      p.reminded = true;
      return [{ type: 'part-reminded', actor: 'system', payload: { unitId: p.unitId, dueAt: d.partDueAt }, notify: [{ kind: 'part-reminder', to: 'unit', unit: p.unitId, payload: { dueAt: d.partDueAt } }] }];
    }
    case 'part-late': {
      // spec decision (第九条): a late part notifies the lead unit and 委政务服务处.
      const p = partOf(s, partUnit!);
      p.late = true;
      return [{ type: 'part-late', actor: 'system', payload: { unitId: p.unitId, dueAt: d.partDueAt }, notify: [to('part-late', 'unit', { unitId: p.unitId }), to('part-late', 'service-division', { unitId: p.unitId, leadUnitId: unitId })] }];
    }
  }
}

/** A ticket's process ends only when nothing is open on it: closed and past its revisit window, or withdrawn, and no
 * supervision case waiting for its answer (spec, 第二十三条). */
export function isComplete(s: m.TicketState): boolean {
  if (isCaseOpen(s)) return false;
  return s.status === 'withdrawn' || (s.status === 'closed' && s.revisitWindowClosed);
}

/** 第十一条: the current round is overdue (the read model's and search attributes' `Overdue`). */
export const isOverdue = (s: m.TicketState) => currentRound(s).overdue;

/** What an Update answers. */
export function decisionResult(s: m.TicketState): m.DecisionResult {
  return { status: s.status, deadlines: s.deadlines, sequence: s.lastEventSequence };
}

/** A calendar year was loaded: an open ticket's deadlines are planned again (spec decision "calendar years"). */
export function calendarChanged(s: m.TicketState, years: number[]): boolean {
  if (!planRequestOf(s)) return false;
  s.calendarYears = years;
  return true;
}

