/**
 * The first full version of ticketWorkflow (patch `full-lifecycle`), frozen: histories recorded on it replay here, and
 * tickets started on it run to their end. New tickets run workflows/ticket.ts. Do not change what this code schedules.
 *
 * Workflow id = the platform's ticket number. Handlers are registered first; every human decision is an Update whose
 * validator applies the rule layer, so a refused decision returns its rule and article and never enters history.
 * Deadlines come from an activity (the holiday calendar changes; history keeps each result); timers are recomputed
 * from the state after every change, so a moved deadline moves its timer. Persistence happens in activities, one audit
 * event per step, numbered here so retries cannot duplicate them.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Activities, QueuedNotification, RecipientRole, StepEvent, TicketPatch } from '../../activities';
import { acceptanceDueAt, isAcceptanceOverdue } from '../../rules/acceptance';
import { isHandlingOverdue } from '../../rules/deadlines';
import { checkExtension } from '../../rules/extensions';
import * as lifecycle from '../../rules/lifecycle';
import { checkReply, replyClaims } from '../../rules/reply';
import { checkReturn } from '../../rules/returns';
import { supervisionTriggers } from '../../rules/supervision';
import { verdict, type Verdict } from '../../rules/types';
import { extensionFactsOf, extensionRequestOf, replyDraftOf, returnFactsOf, returnRequestOf, ticketFactsOf } from './v1-facts';
import { NOTIFICATION_OPTIONS, PERSISTENCE_OPTIONS, PLATFORM_OPTIONS } from '../activity-options';
import * as m from './v1-messages';
import { calendarChangedSignal, noteSignal, RULE_VIOLATION, SERVICE_DIVISION_UNIT, STATE_CONFLICT, type TicketInput, type TicketStatus } from '../messages';
import * as sa from '../search-attributes';

const db = proxyActivities<Activities>(PERSISTENCE_OPTIONS);
const notifier = proxyActivities<Activities>(NOTIFICATION_OPTIONS);
const platform = proxyActivities<Activities>(PLATFORM_OPTIONS);

/** Refuses a decision the rule layer does not allow: state rules map to StateConflict, the rest to RuleViolation. */
function assertAllowed(...results: Verdict[]): void {
  const violations = results.flatMap((r) => (r.ok ? [] : r.violations));
  if (violations.length === 0) return;
  const stateOnly = violations.every((v) => v.rule.endsWith('.state'));
  throw ApplicationFailure.create({
    type: stateOnly ? STATE_CONFLICT : RULE_VIOLATION,
    message: violations.map((v) => `${v.reason}（${v.article}）`).join('；'),
    details: [{ violations }],
    nonRetryable: true,
  });
}

const OPEN: readonly TicketStatus[] = ['dispatched', 'accepted', 'assigned', 'contacted', 'reply-drafted', 'reply-approved'];
const SD = SERVICE_DIVISION_UNIT;

export async function fullLifecycleV1(dispatch: TicketInput): Promise<m.TicketStateV1> {
  /** The unit and the time it reached the unit change when the platform sends a returned ticket again. */
  const input: TicketInput = { ...dispatch };
  const state: m.TicketStateV1 = {
    input,
    status: 'dispatched',
    // Until the deadline activity answers, the acceptance limit (natural hours, no calendar) is already known.
    deadlines: { acceptDueAt: acceptanceDueAt(new Date(input.dispatchedToUnitAt)).toISOString(), returnWindowEndsAt: null, dueAt: null, remindAt: null, nearDeadlineAt: null, provisional: false, sla: null },
    acceptedAt: null,
    acceptedBy: null,
    acceptOverdue: false,
    handlingOverdue: false,
    reminded: false,
    departments: [],
    contacts: [],
    returns: [],
    extension: null,
    flags: { sensitive: false, emergency: false, majorPublicOpinion: false, majorSafetyHazard: false, managementMisconduct: false },
    mediation: null,
    reply: null,
    closedAt: null,
    platformReceipt: null,
    closedWithoutContact: false,
    revisits: [],
    reopens: [],
    supervision: null,
    notes: [],
    lastEventSequence: 0,
  };
  const now = () => new Date(Date.now());
  const nowIso = () => now().toISOString();
  const isOpen = () => OPEN.includes(state.status);
  /** Bumped by every change; the main loop re-plans its timers when it moves. */
  let version = 0;
  let returnWindowNoted = false;
  let supervisionAnswerLate = false;
  let revisitWindowEndsAt: string | null = null;
  let sendingReply = false;
  /** The clock of the current handling round: the dispatch, or the latest reopen (第十七条). */
  let clockStartsAt = input.dispatchedAt;
  let fixedDueAt: string | undefined;
  /** Years of a calendar load waiting to be applied to the open deadlines. */
  const recompute: { years: number[] | null } = { years: null };
  /** The revisit window ended: the ticket's process is complete. */
  let finished = false;

  // ---- recording: steps are written in the order they happened; notifications are delivered in the background ----
  let written: Promise<void> = Promise.resolve();
  const deliveries: Promise<unknown>[] = [];
  type Note = { kind: string; to: RecipientRole; unit: string; payload?: Record<string, unknown> };
  function record(type: string, actor: string, patch: TicketPatch, payload: Record<string, unknown> = {}, notify: Note[] = []): Promise<void> {
    const event: StepEvent = { sequence: ++state.lastEventSequence, type, actor, at: nowIso(), payload };
    const notifications: QueuedNotification[] = notify.map((n) => ({
      key: `${input.ticketNo}:${event.sequence}:${n.to}:${n.unit}`,
      kind: n.kind,
      recipientRole: n.to,
      recipientUnit: n.unit,
      payload: { ticketNo: input.ticketNo, status: state.status, ...n.payload },
    }));
    const step = written.then(() => db.recordStep({ ticketNo: input.ticketNo, patch, event, notifications }));
    written = step;
    // A notification the receiver refuses (4xx) is marked failed in the outbox by the activity; the ticket goes on.
    for (const n of notifications) deliveries.push(step.then(() => notifier.deliverNotification(n.key)).catch(() => undefined));
    version++;
    publish();
    return step;
  }
  const toUnit = (kind: string, payload?: Record<string, unknown>): Note => ({ kind, to: 'unit', unit: input.unitId, ...(payload ? { payload } : {}) });
  const toDivision = (kind: string, payload?: Record<string, unknown>): Note => ({ kind, to: 'service-division', unit: SD, ...(payload ? { payload } : {}) });

  function publish() {
    upsertSearchAttributes([
      { key: sa.TicketStatus, value: state.status },
      { key: sa.HandlingUnit, value: input.unitId },
      { key: sa.Channel, value: input.channel },
      { key: sa.Category, value: input.category },
      { key: sa.Urgency, value: input.urgency ?? 'none' },
      { key: sa.Labels, value: input.labels },
      { key: sa.AcceptDueAt, value: new Date(state.deadlines.acceptDueAt) },
      ...(state.deadlines.dueAt ? [{ key: sa.DueAt, value: new Date(state.deadlines.dueAt) }] : []),
      { key: sa.Overdue, value: state.handlingOverdue },
      { key: sa.Supervised, value: !!state.supervision && !state.supervision.answer },
    ]);
  }

  function deadlinePatch(): TicketPatch {
    const d = state.deadlines;
    return { dueAt: d.dueAt, remindAt: d.remindAt, nearDeadlineAt: d.nearDeadlineAt, returnWindowEndsAt: d.returnWindowEndsAt, deadlinesProvisional: d.provisional, slaDescription: d.sla?.description ?? null };
  }

  async function planDeadlines(): Promise<void> {
    const planned = await db.planDeadlines({
      channel: input.channel,
      category: input.category,
      urgency: input.urgency,
      clockStartsAt,
      dispatchedToUnitAt: input.dispatchedToUnitAt,
      ...(fixedDueAt ? { fixedDueAt } : {}),
    });
    // A reopen keeps the original acceptance and return window; they belong to the dispatch.
    state.deadlines = state.reopens.length > 0 ? { ...planned, acceptDueAt: state.deadlines.acceptDueAt, returnWindowEndsAt: state.deadlines.returnWindowEndsAt } : planned;
    version++;
  }

  async function openSupervision(openedBy: string, triggers: m.SupervisionCase['triggers'], escalated: boolean): Promise<void> {
    const openedAt = nowIso();
    state.supervision = { openedAt, openedBy, triggers, escalated, answerDueAt: null, answer: null };
    supervisionAnswerLate = false;
    const due = await db.planSupervisionAnswer(openedAt);
    state.supervision.answerDueAt = due.dueAt;
    await record('supervision-opened', openedBy, { supervised: true }, { triggers, escalated, answerDueAt: due.dueAt }, [
      toUnit('supervision-opened', { triggers: triggers.map((t) => t.article), answerDueAt: due.dueAt }),
      toDivision('supervision-opened', { unitId: input.unitId, triggers: triggers.map((t) => t.article) }),
    ]);
  }

  /** A decision: validated synchronously by the rule layer, then applied; returns the new state. */
  function decide<C>(def: UpdateDefinition<m.TicketStateV1, [C]>, validate: (c: C) => Verdict[], apply: (c: C) => Promise<void>) {
    setHandler(
      def,
      async (c: C) => {
        await apply(c);
        return state;
      },
      { validator: (c: C) => assertAllowed(...validate(c)) },
    );
  }
  const t = () => ({ ...state, unitId: input.unitId });

  // ---- queries, signals, decisions ----
  setHandler(m.getStateQuery, () => state);
  setHandler(noteSignal, ({ by, text }) => {
    const at = nowIso();
    state.notes.push({ at, by, text });
    void record('note', by, {}, { text });
  });
  setHandler(calendarChangedSignal, ({ years }) => {
    // Only a clock that runs on the calendar moves: an approved extension's date stays as approved.
    if (!isOpen() || fixedDueAt) return;
    recompute.years = years;
    version++;
  });
  decide(m.acceptUpdate, (c) => [lifecycle.checkAccept(t(), c)], async (c) => {
    const at = nowIso();
    // 第八条(一): on time when accepted at or before the limit; an overdue mark, once set, stays.
    state.acceptOverdue ||= isAcceptanceOverdue(new Date(state.deadlines.acceptDueAt), new Date(at));
    state.status = 'accepted';
    state.acceptedAt = at;
    state.acceptedBy = c.acceptedBy;
    await record('accepted', c.acceptedBy, { status: 'accepted', acceptedAt: at, acceptedBy: c.acceptedBy, acceptOverdue: state.acceptOverdue }, { unitId: c.unitId, onTime: !state.acceptOverdue });
  });

  decide(m.assignUpdate, (c) => [lifecycle.checkAssign(t(), c)], async (c) => {
    state.departments = c.departmentIds.map((departmentId) => state.departments.find((d) => d.departmentId === departmentId) ?? { departmentId, opinion: null, by: null, at: null });
    if (state.status === 'accepted') state.status = 'assigned';
    await record('assigned', c.by, { status: state.status, departments: c.departmentIds }, { departmentIds: c.departmentIds, coHandled: c.departmentIds.length > 1 });
  });

  decide(m.contactUpdate, (c) => [lifecycle.checkContact(t(), { ...c, at: new Date(c.at) }, now())], async (c) => {
    const entry: m.ContactEntry = { at: c.at, by: c.by, staffName: c.staffName, method: c.method, reached: c.reached, outcome: c.outcome, recordingRef: c.recordingRef ?? null };
    state.contacts.push(entry);
    if (state.status === 'assigned') state.status = 'contacted';
    await record('contact-recorded', c.by, { status: state.status }, { ...entry });
  });

  decide(m.opinionUpdate, (c) => [lifecycle.checkOpinion(t(), c)], async (c) => {
    const d = state.departments.find((x) => x.departmentId === c.departmentId)!;
    Object.assign(d, { opinion: c.opinion, by: c.by, at: nowIso() });
    await record('opinion-submitted', c.by, {}, { departmentId: c.departmentId, opinion: c.opinion });
  });

  decide(
    m.returnUpdate,
    (c) => [lifecycle.checkReturnStep(t(), c), checkReturn(returnRequestOf(c, now()), returnFactsOf(state, c))],
    async (c) => {
      const at = nowIso();
      const reason = c.evidence.reasons ?? c.evidence.itemsToVerify?.join('；') ?? c.ground;
      state.returns.push({ ground: c.ground, at, by: c.by, unitId: c.unitId, reason });
      state.status = 'returned';
      await record('returned', c.by, { status: 'returned' }, { ground: c.ground, evidence: c.evidence }, [toDivision('returned', { ground: c.ground, unitId: c.unitId })]);
    },
  );

  decide(m.redispatchUpdate, (c) => [lifecycle.checkRedispatch(t(), { unitId: c.unitId, dispatchedToUnitAt: new Date(c.dispatchedToUnitAt) }, now())], async (c) => {
    // A new acceptance round at the (possibly other) unit; returns stay on record (第八条(三)2, 第二十二条(四)).
    input.unitId = c.unitId;
    input.dispatchedToUnitAt = c.dispatchedToUnitAt;
    Object.assign(state, { status: 'dispatched', acceptedAt: null, acceptedBy: null, acceptOverdue: false, departments: [], extension: null });
    returnWindowNoted = false;
    await planDeadlines();
    await record(
      'redispatched',
      c.by,
      { status: 'dispatched', unitId: c.unitId, dispatchedToUnitAt: c.dispatchedToUnitAt, acceptDueAt: state.deadlines.acceptDueAt, acceptedAt: null, acceptedBy: null, acceptOverdue: false, departments: [], extensionStatus: null, ...deadlinePatch() },
      { unitId: c.unitId, note: c.note },
      [toUnit('dispatched', { acceptDueAt: state.deadlines.acceptDueAt })],
    );
    const found = supervisionTriggers(ticketFactsOf(state), now()).triggers.filter((f) => f.article === '第二十二条(四)');
    if (found.length > 0 && !(state.supervision && !state.supervision.answer)) await openSupervision('system', found, false);
  });

  decide(m.withdrawUpdate, () => [lifecycle.checkWithdraw(t())], async (c) => {
    state.status = 'withdrawn';
    await record('withdrawn', c.by, { status: 'withdrawn' }, { note: c.note });
  });

  decide(
    m.requestExtensionUpdate,
    (c) => [lifecycle.checkExtensionStep(t(), c), checkExtension(extensionRequestOf(c, now()), extensionFactsOf(state))],
    async (c) => {
      state.extension = { status: 'requested', requestedBy: c.by, requestedAt: nowIso(), requestedDueAt: c.requestedDueAt, reason: c.reason, decidedBy: null, decidedAt: null, note: null };
      await record('extension-requested', c.by, { extensionStatus: 'requested' }, { requestedDueAt: c.requestedDueAt, reason: c.reason, reporterOpinion: c.reporterOpinion, reporterContactedAt: c.reporterContactedAt }, [
        toDivision('extension-requested', { requestedDueAt: c.requestedDueAt, unitId: input.unitId }),
      ]);
    },
  );

  decide(m.decideExtensionUpdate, (c) => [lifecycle.checkExtensionDecision(t(), c)], async (c) => {
    const ext = state.extension!;
    Object.assign(ext, { status: c.approved ? 'approved' : 'refused', decidedBy: c.by, decidedAt: nowIso(), note: c.note });
    if (c.approved) {
      // 第十四条: the deadline moves to the approved date, and the reminder with it.
      fixedDueAt = ext.requestedDueAt;
      await planDeadlines();
      state.reminded = false;
    }
    await record(c.approved ? 'extension-approved' : 'extension-refused', c.by, { extensionStatus: ext.status, ...(c.approved ? { ...deadlinePatch(), reminded: false } : {}) }, { note: c.note, dueAt: state.deadlines.dueAt }, [
      toUnit(c.approved ? 'extension-approved' : 'extension-refused', { dueAt: state.deadlines.dueAt, note: c.note }),
    ]);
  });

  decide(m.flagUpdate, (c) => [lifecycle.checkFlag(t(), c)], async (c) => {
    const raised = (['sensitive', 'emergency', 'majorPublicOpinion', 'majorSafetyHazard', 'managementMisconduct'] as const).filter((k) => c[k] && !state.flags[k]);
    for (const k of raised) state.flags[k] = true;
    // 第八条(二): reported to the unit's principal leader at once, and put on record with 委政务服务处.
    await record('flagged', c.by, { sensitive: state.flags.sensitive || state.flags.majorPublicOpinion }, { flags: raised, note: c.note }, [
      { kind: 'sensitive-flagged', to: 'unit-leader', unit: input.unitId, payload: { flags: raised } },
      toDivision('sensitive-flagged', { flags: raised, unitId: input.unitId }),
    ]);
  });

  decide(m.mediationUpdate, (c) => [lifecycle.checkMediation(t(), c)], async (c) => {
    if (c.outcome === undefined) {
      state.mediation = { markedBy: c.by, markedAt: nowIso(), outcome: null };
      await record('mediation-marked', c.by, { mediation: true });
    } else {
      state.mediation!.outcome = c.outcome;
      await record('mediation-outcome', c.by, {}, { outcome: c.outcome });
    }
  });

  const replyContext = () => ({ returnReasons: state.returns.map((r) => r.reason), handled: state.contacts.length > 0 });

  decide(m.draftReplyUpdate, (c) => [lifecycle.checkDraftStep(t(), c), checkReply(replyDraftOf(c), replyContext())], async (c) => {
    state.reply = {
      text: c.text,
      contactedAt: c.contactedAt ?? null,
      staffName: c.staffName ?? null,
      staffPhone: c.staffPhone ?? null,
      process: c.process ?? null,
      result: c.result ?? null,
      reporterFeedback: c.reporterFeedback ?? null,
      draftedBy: c.by,
      draftedAt: nowIso(),
      reviewedBy: null,
      reviewedAt: null,
      sealedReport: c.sealedReport ?? null,
    };
    state.status = 'reply-drafted';
    await record('reply-drafted', c.by, { status: 'reply-drafted', replyText: c.text, replyDraftedBy: c.by, replyReviewedBy: null }, { sealedReport: c.sealedReport ?? null });
  });

  decide(
    m.reviewReplyUpdate,
    // 第十六条: the reply is checked again at approval; a rejection needs no check of its content.
    (c) => [lifecycle.checkReviewStep(t(), c), c.approved && state.reply ? checkReply(replyDraftOf(state.reply), replyContext()) : verdict([])],
    async (c) => {
      const reply = state.reply!;
      if (!c.approved) {
        state.status = 'contacted';
        await record('reply-rejected', c.by, { status: 'contacted' }, { note: c.note ?? '' });
        return;
      }
      reply.reviewedBy = c.by;
      reply.reviewedAt = nowIso();
      state.status = 'reply-approved';
      await record('reply-approved', c.by, { status: 'reply-approved', replyReviewedBy: c.by });
    },
  );

  decide(m.revisitUpdate, (c) => [lifecycle.checkRevisit(t(), c)], async (c) => {
    const entry: m.RevisitEntry = {
      at: nowIso(),
      by: c.by,
      orderedBy: c.orderedBy,
      satisfaction: c.satisfaction,
      reporterSaysNotContacted: !!c.reporterSaysNotContacted,
      reporterSaysNotSolved: !!c.reporterSaysNotSolved,
      newQuestions: !!c.newQuestions,
      note: c.note,
    };
    state.revisits.push(entry);
    await record('revisited', c.by, {}, { ...entry });
    // 第二十二条(二)–(四): what the revisit reveals may put the ticket under supervision by itself.
    const found = supervisionTriggers(ticketFactsOf(state), now()).triggers.filter((f) => f.article !== '第二十二条(一)');
    if (found.length > 0 && !(state.supervision && !state.supervision.answer)) await openSupervision('system', found, false);
  });

  decide(m.reopenUpdate, (c) => [lifecycle.checkReopen(t(), c)], async (c) => {
    const at = nowIso();
    state.reopens.push({ at, by: c.by, orderedBy: c.orderedBy, reasons: c.reasons });
    state.status = 'assigned';
    state.reply = null;
    state.closedAt = null;
    state.platformReceipt = null;
    state.reminded = false;
    state.handlingOverdue = false;
    state.extension = null;
    revisitWindowEndsAt = null;
    // 第十七条、第二十一条: a new handling round with a new deadline, from the reopen.
    clockStartsAt = at;
    fixedDueAt = undefined;
    await planDeadlines();
    await record('reopened', c.by, { status: 'assigned', closedAt: null, reopenCount: state.reopens.length, reminded: false, handlingOverdue: false, extensionStatus: null, ...deadlinePatch() }, { orderedBy: c.orderedBy, reasons: c.reasons, dueAt: state.deadlines.dueAt }, [
      toUnit('reopened', { reasons: c.reasons, dueAt: state.deadlines.dueAt, reportTo: c.orderedBy }),
    ]);
  });

  decide(m.superviseUpdate, (c) => [lifecycle.checkSupervise(t(), c)], async (c) => {
    const trigger =
      c.trigger === 'management-misconduct'
        ? { rule: 'supervision.management-misconduct', article: '第二十二条(五)', reason: c.note }
        : { rule: 'supervision.other', article: '第二十二条(六)', reason: c.note };
    if (c.trigger === 'management-misconduct') state.flags.managementMisconduct = true;
    await openSupervision(c.by, [trigger], c.trigger === 'management-misconduct');
  });

  decide(m.answerSupervisionUpdate, (c) => [lifecycle.checkCaseAnswer({ status: state.supervision && !state.supervision.answer ? 'open' : 'closed', unitId: input.unitId }, c)], async (c) => {
    state.supervision!.answer = { report: c.report, text: c.text, by: c.by, at: nowIso() };
    await record('supervision-answered', c.by, { supervised: false }, { report: c.report, text: c.text }, [toDivision('supervision-answered', { unitId: input.unitId })]);
  });

  // ---- dispatch ----
  await planDeadlines();
  const dispatched: StepEvent = { sequence: ++state.lastEventSequence, type: 'dispatched', actor: 'platform', at: input.dispatchedToUnitAt, payload: { workflowRunId: workflowInfo().runId, sla: state.deadlines.sla } };
  written = db.recordDispatch({ input, status: state.status, deadlines: state.deadlines, event: dispatched });
  publish();
  await written;

  // ---- timers: each (when, what) is derived from the state, so a moved deadline moves its timer ----
  type Timer = { at: string; fire: () => Promise<void> };
  const timers = (): Timer[] => {
    const list: Timer[] = [];
    const d = state.deadlines;
    if (state.status === 'dispatched' && !state.acceptOverdue)
      list.push({
        at: d.acceptDueAt,
        fire: async () => {
          // 第八条(一): 3 hours passed without acceptance; the ticket still waits for it.
          state.acceptOverdue = true;
          await record('acceptance-overdue', 'system', { acceptOverdue: true }, { acceptDueAt: d.acceptDueAt }, [toUnit('acceptance-overdue', { acceptDueAt: d.acceptDueAt }), toDivision('acceptance-overdue', { acceptDueAt: d.acceptDueAt, unitId: input.unitId })]);
        },
      });
    if (d.returnWindowEndsAt && !returnWindowNoted && isOpen())
      list.push({
        at: d.returnWindowEndsAt,
        fire: async () => {
          // 第八条(三)1: a not-our-duty return now needs a justification approved by 委政务服务处.
          returnWindowNoted = true;
          await record('return-window-closed', 'system', {}, { returnWindowEndsAt: d.returnWindowEndsAt });
        },
      });
    const handling = isOpen() && state.status !== 'reply-approved';
    if (handling && d.remindAt && !state.reminded)
      list.push({
        at: d.remindAt,
        fire: async () => {
          state.reminded = true;
          await record('reminded', 'system', { reminded: true }, { dueAt: d.dueAt }, [toUnit('reminder', { dueAt: d.dueAt }), toDivision('reminder', { dueAt: d.dueAt, unitId: input.unitId })]);
        },
      });
    if (handling && d.dueAt && !state.handlingOverdue)
      list.push({
        at: d.dueAt,
        fire: async () => {
          // 第十一条: overdue; 第二十二条(一): it goes under supervision.
          state.handlingOverdue = true;
          await record('handling-overdue', 'system', { handlingOverdue: true }, { dueAt: d.dueAt }, [toUnit('handling-overdue', { dueAt: d.dueAt }), toDivision('handling-overdue', { dueAt: d.dueAt, unitId: input.unitId })]);
          if (!(state.supervision && !state.supervision.answer))
            await openSupervision('system', [{ rule: 'supervision.overdue', article: '第二十二条(一)', reason: '办理超时，经提醒仍未办结' }], false);
        },
      });
    const sup = state.supervision;
    if (sup && !sup.answer && sup.answerDueAt && !supervisionAnswerLate)
      list.push({
        at: sup.answerDueAt,
        fire: async () => {
          supervisionAnswerLate = true;
          await record('supervision-answer-overdue', 'system', {}, { answerDueAt: sup.answerDueAt }, [toDivision('supervision-answer-overdue', { unitId: input.unitId })]);
        },
      });
    if (state.status === 'closed' && revisitWindowEndsAt) list.push({ at: revisitWindowEndsAt, fire: async () => { revisitWindowEndsAt = null; finished = true; } });
    return list;
  };

  while (!finished) {
    // Work the state asks for: send an approved reply (第十五条), recompute after a calendar load.
    if (state.status === 'reply-approved' && !sendingReply) {
      sendingReply = true;
      void sendReply()
        .catch(replyRefusedByPlatform)
        .finally(() => {
          sendingReply = false;
          version++;
        });
    }
    if (recompute.years) {
      const years = recompute.years;
      recompute.years = null;
      const before = state.deadlines.dueAt;
      await planDeadlines();
      if (state.deadlines.dueAt !== before || years.length > 0)
        await record('deadlines-recomputed', 'system', deadlinePatch(), { years, dueAt: state.deadlines.dueAt, previousDueAt: before, provisional: state.deadlines.provisional });
    }
    if (state.status === 'withdrawn') break;
    if (state.status === 'closed' && !revisitWindowEndsAt && !finished) {
      // The window runs from when this process saw the closure, whatever clock the platform keeps.
      revisitWindowEndsAt = (await db.planRevisitWindow(nowIso())).endsAt;
      version++;
    }

    const seen = version;
    const due = timers().sort((a, b) => a.at.localeCompare(b.at))[0];
    if (!due) {
      await condition(() => version !== seen);
      continue;
    }
    const wait = Date.parse(due.at) - Date.now();
    const changed = wait > 0 ? await condition(() => version !== seen, wait) : false;
    if (!changed) await due.fire();
  }

  /** The platform refused the reply for good (4xx): the unit is told why and drafts again (第十五条, 第十六条). */
  async function replyRefusedByPlatform(err: unknown): Promise<void> {
    const cause = (err as { cause?: { message?: string } }).cause;
    const reason = cause?.message ?? (err instanceof Error ? err.message : String(err));
    state.status = 'contacted';
    if (state.reply) Object.assign(state.reply, { reviewedBy: null, reviewedAt: null });
    await record('reply-refused-by-platform', 'system', { status: 'contacted', replyReviewedBy: null }, { reason }, [toUnit('reply-refused-by-platform', { reason })]);
  }

  async function sendReply(): Promise<void> {
    const reply = state.reply!;
    const receipt = await platform.sendReplyToPlatform({
      ticketNo: input.ticketNo,
      idempotencyKey: `${input.ticketNo}:reply:${state.reopens.length}`,
      reply: { text: reply.text, repliedBy: reply.draftedBy, reviewedBy: reply.reviewedBy!, ...(reply.contactedAt ? { contactedAt: reply.contactedAt } : {}) },
    });
    // 第十一条(四): the platform's reply time is the closing time, to the second (a reply kept locally, with no
    // platform configured, closes when it was kept).
    const closedAt = receipt.delivered === 'platform' ? receipt.acceptedAt : nowIso();
    state.status = 'closed';
    state.closedAt = closedAt;
    state.platformReceipt = receipt.receiptId;
    state.closedWithoutContact = !state.contacts.some((c) => c.reached);
    if (state.deadlines.dueAt && isHandlingOverdue(new Date(state.deadlines.dueAt), new Date(closedAt))) state.handlingOverdue = true;
    const claims = replyClaims(replyDraftOf(reply));
    await record(
      'closed',
      'system',
      { status: 'closed', closedAt, platformReceipt: receipt.receiptId, closedWithoutContact: state.closedWithoutContact, handlingOverdue: state.handlingOverdue },
      { receiptId: receipt.receiptId, delivered: receipt.delivered, closedWithoutContact: state.closedWithoutContact, onTime: !state.handlingOverdue, claims, sealedReport: reply.sealedReport },
      state.reopens.length > 0 ? [{ kind: 'reclosed', to: state.reopens.at(-1)!.orderedBy === 'service-division' ? 'service-division' : 'unit', unit: state.reopens.at(-1)!.orderedBy === 'service-division' ? SD : input.unitId, payload: { sealedReport: reply.sealedReport } }] : [],
    );
  }

  await condition(allHandlersFinished);
  await written;
  await Promise.allSettled(deliveries);
  return state;
}
