/**
 * ticketWorkflow: one platform ticket from dispatch to the end of its follow-up, under 津交发〔2023〕118号 第六条–第二十三条.
 *
 * Workflow id = the platform's ticket number. The steps and their rules live in ./ticket-state; this file registers
 * them, runs the timers the state asks for and carries out the effects. Every change runs under one lock (the
 * safe-message-handlers pattern): an Update waits until start-up is done, is checked again under the lock, applied,
 * and its events are written with the derived read-model row in the same workflow task (local activities).
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  sleep,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Activities, QueuedNotification, StepEvent } from '../activities';
import { SERVICE_DIVISION_UNIT } from '../rules/lifecycle';
import type { Verdict } from '../rules/types';
import { acceptanceOnlyTicket } from './legacy/acceptance-only';
import { fullLifecycleV1 } from './legacy/full-lifecycle';
import { platformReplyText } from '../rules/reply';
import { platformDraftOf } from './facts';
import { LOCAL_OPTIONS, NOTIFICATION_OPTIONS, PLATFORM_OPTIONS } from './activity-options';
import * as m from './messages';
import * as core from './ticket-state';
import { readModelOf, searchAttributesOf } from './ticket-derived';
import { supervisionCaseWorkflow } from './supervision-case';
import type { PlatformNotice } from '../activities/platform';

const local = proxyLocalActivities<Activities>(LOCAL_OPTIONS);
const notifier = proxyActivities<Activities>(NOTIFICATION_OPTIONS);
const platform = proxyActivities<Activities>(PLATFORM_OPTIONS);

/** Patch markers: histories without the newest ran an earlier version, kept in ./legacy for replay. */
export const TICKET_CORE_PATCH = 'ticket-core';
export const FULL_LIFECYCLE_PATCH = 'full-lifecycle';
/**
 * Issue 12: the timer loop keeps the running durable timer while the earliest due instant stays the same, instead of
 * cancelling it and starting an equal one on every change (two history events a decision). Histories without the
 * marker re-plan on every change, as they ran.
 */
export const KEEP_TIMERS_PATCH = 'keep-unchanged-timers';

/** Continue-as-new past this many history events even if the server has not suggested it yet (a bounded history). */
const HISTORY_EVENTS_LIMIT = 10_000;

export async function ticketWorkflow(input: m.TicketInput, carried?: m.TicketState): Promise<m.TicketState> {
  if (patched(TICKET_CORE_PATCH)) return ticket(input, carried);
  if (patched(FULL_LIFECYCLE_PATCH)) return (await fullLifecycleV1(input)) as unknown as m.TicketState;
  return (await acceptanceOnlyTicket(input)) as unknown as m.TicketState;
}

/** Refuses a decision the rule layer does not allow: state rules map to StateConflict, the rest to RuleViolation. */
function assertAllowed(results: Verdict[]): void {
  const violations = results.flatMap((r) => (r.ok ? [] : r.violations));
  if (violations.length === 0) return;
  const stateOnly = violations.every((v) => v.rule.endsWith('.state'));
  throw ApplicationFailure.create({
    type: stateOnly ? m.STATE_CONFLICT : m.RULE_VIOLATION,
    message: violations.map((v) => `${v.reason}（${v.article}）`).join('；'),
    details: [{ violations }],
    nonRetryable: true,
  });
}

/** One change at a time: handlers and timers that await activities never interleave inside a change. */
function createLock() {
  let tail: Promise<unknown> = Promise.resolve();
  let held = 0;
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      held++;
      const next = tail.then(fn).finally(() => held--);
      tail = next.catch(() => undefined);
      return next;
    },
    idle: () => held === 0,
  };
}

async function ticket(input: m.TicketInput, carried?: m.TicketState): Promise<m.TicketState> {
  const s: m.TicketState = carried ? core.carriedState(carried) : core.initialState(input);
  const lock = createLock();
  const now = () => new Date(Date.now());
  let started = !!carried;
  /** Bumped by every change; the timer loop re-plans when it moves. */
  let version = 0;
  let sendingReply = false;
  let published = '';
  const deliveries: Promise<unknown>[] = [];
  const children: Promise<unknown>[] = [];

  /**
   * Plans what the state lacks (deadlines), writes the events with the derived row, then carries out what the step
   * asks of the outside: a supervision case's own workflow, the platform's notices.
   */
  async function commit(emitted: core.Emitted[]): Promise<void> {
    const request = core.needsPlan(s);
    if (request) emitted.push(...core.applyPlan(s, request, await local.planDeadlines(request)));
    const first = s.lastEventSequence + 1;
    await persist(emitted);
    emitted.forEach((e, i) => e.platform && tellPlatform(e.platform, first + i));
    for (const c of core.casesToStart(s)) await startCase(c);
    version++;
  }

  /** 第二十二条: each supervision case runs as its own child workflow; the ticket waits for it before it ends. */
  async function startCase(input: m.SupervisionCaseInput): Promise<void> {
    s.cases.find((c) => c.id === input.caseId)!.started = true;
    const child = await startChild(supervisionCaseWorkflow, { workflowId: input.caseId, args: [input], parentClosePolicy: 'ABANDON' });
    children.push(child.result().catch(() => undefined));
  }

  /** The platform is told of acceptances, return and extension requests and decisions; a refusal goes to the unit. */
  function tellPlatform(notice: PlatformNotice, sequence: number): void {
    const work = platform
      .notifyPlatform({ ticketNo: s.input.ticketNo, idempotencyKey: `${s.input.ticketNo}:${notice.kind}:${sequence}`, notice })
      .catch((err: unknown) => {
        const reason = (err as { cause?: { message?: string } }).cause?.message ?? (err instanceof Error ? err.message : String(err));
        return lock.run(() => commit(core.platformRefusedNotice(notice.kind, reason)));
      });
    deliveries.push(work);
  }

  async function persist(emitted: core.Emitted[]): Promise<void> {
    const at = now().toISOString();
    const events: StepEvent[] = [];
    const notifications: QueuedNotification[] = [];
    for (const e of emitted) {
      const event: StepEvent = { sequence: ++s.lastEventSequence, type: e.type, actor: e.actor, at, payload: e.payload ?? {} };
      events.push(event);
      for (const n of e.notify ?? []) {
        const unit = n.unit ?? (n.to === 'service-division' ? SERVICE_DIVISION_UNIT : s.input.unitId);
        notifications.push({
          key: `${s.input.ticketNo}:${event.sequence}:${n.to}:${unit}`,
          kind: n.kind,
          recipientRole: n.to,
          recipientUnit: unit,
          payload: { ticketNo: s.input.ticketNo, status: s.status, acceptDueAt: s.deadlines.acceptDueAt, dueAt: s.deadlines.dueAt, ...n.payload },
        });
      }
    }
    try {
      await local.recordSteps({ ticketNo: s.input.ticketNo, row: readModelOf(s), events, notifications });
    } catch (err) {
      // A failure no retry can cure (the activity said so): on record on the ticket, not retried for ever.
      s.problems.push({ at, activity: 'recordSteps', message: err instanceof Error ? (err.cause as Error | undefined)?.message ?? err.message : String(err) });
    }
    // A notification the receiver refuses (4xx) is marked failed in the outbox by the activity; the ticket goes on.
    for (const n of notifications) deliveries.push(notifier.deliverNotification(n.key).catch(() => undefined));
    publish();
  }

  /** Only the workflow sets its search attributes, and only when they changed. */
  function publish(): void {
    const attributes = searchAttributesOf(s);
    const key = JSON.stringify(attributes);
    if (key === published) return;
    published = key;
    upsertSearchAttributes(attributes);
  }

  /** A decision: validated synchronously, then — after start-up, under the lock — checked again and applied. */
  function decide<C>(def: UpdateDefinition<m.DecisionResult, [C]>, step: core.StepDef<C>): void {
    setHandler(
      def,
      async (c: C) => {
        await condition(() => started);
        return lock.run(async () => {
          assertAllowed(step.check(s, c, now()));
          await commit(step.apply(s, c, now()));
          return core.decisionResult(s);
        });
      },
      { validator: (c: C) => assertAllowed(step.check(s, c, now())) },
    );
  }

  // ---- handlers: one line each into the state ----
  setHandler(m.getStateQuery, () => s);
  setHandler(m.calendarChangedSignal, ({ years }) => {
    if (core.calendarChanged(s, years)) version++;
  });
  decide(m.acceptUpdate, core.steps.accept);
  decide(m.assignUpdate, core.steps.assign);
  decide(m.contactUpdate, core.steps.contact);
  decide(m.opinionUpdate, core.steps.opinion);
  decide(m.returnUpdate, core.steps.return);
  decide(m.approveLateReturnUpdate, core.steps.approveLateReturn);
  decide(m.redispatchUpdate, core.steps.redispatch);
  decide(m.withdrawUpdate, core.steps.withdraw);
  decide(m.requestExtensionUpdate, core.steps.requestExtension);
  decide(m.decideExtensionUpdate, core.steps.decideExtension);
  decide(m.flagUpdate, core.steps.flag);
  decide(m.mediationUpdate, core.steps.mediation);
  decide(m.draftReplyUpdate, core.steps.draftReply);
  decide(m.reviewReplyUpdate, core.steps.reviewReply);
  decide(m.revisitUpdate, core.steps.revisit);
  decide(m.reopenUpdate, core.steps.reopen);
  decide(m.superviseUpdate, core.steps.supervise);
  decide(m.decideReopenSuggestionUpdate, core.steps.decideReopenSuggestion);
  decide(m.ratingUpdate, core.steps.rate);
  decide(m.returnRefusedUpdate, core.steps.refuseReturn);
  decide(m.urgeUpdate, core.steps.urge);
  decide(m.relatedUpdate, core.steps.updateRelated);
  decide(m.addPartUpdate, core.steps.addPart);
  decide(m.helpRequestUpdate, core.steps.requestHelp);
  decide(m.helpDecisionUpdate, core.steps.decideHelp);
  decide(m.partAcceptUpdate, core.steps.acceptPart);
  decide(m.partContactUpdate, core.steps.partContact);
  decide(m.partResultUpdate, core.steps.submitPart);
  decide(m.partDisputeUpdate, core.steps.disputePart);
  decide(m.partReassignUpdate, core.steps.reassignPart);
  // A supervision case reports each change; the ticket records it in its audit trail.
  setHandler(m.caseEventSignal, async (e) => {
    await condition(() => started);
    await lock.run(() => commit(core.applyCaseEvent(s, e)));
  });

  // ---- start-up: the parameters in force, the deadlines, the dispatch on record; then Updates may apply ----
  if (!started) {
    await lock.run(async () => {
      s.params = await local.parametersInForce();
      // 第二十二条(二)(五): repeated unsatisfied reports and the management department's own misconduct are known at dispatch.
      core.superviseIfTriggered(s, now());
      await commit([{ type: 'dispatched', actor: 'platform', payload: { workflowRunId: workflowInfo().runId } }]);
    });
    started = true;
  }

  /** The durable timer running for the earliest due instant (KEEP_TIMERS_PATCH), kept while that instant stays. */
  let armed: { at: number; fired: boolean; scope: CancellationScope } | undefined;
  function arm(at: number | undefined): void {
    if (armed && armed.at === at && !armed.fired) return;
    armed?.scope.cancel();
    armed = undefined;
    if (at === undefined) return;
    const timer = { at, fired: false, scope: new CancellationScope() };
    timer.scope.run(() => sleep(Math.max(1, at - Date.now()))).then(
      () => (timer.fired = true),
      () => undefined, // cancelled: the plan moved on
    );
    armed = timer;
  }

  // ---- the timer loop: the earliest timer the state asks for, re-planned whenever the state changes ----
  const keepTimers = patched(KEEP_TIMERS_PATCH);
  while (!core.isComplete(s)) {
    if (s.status === 'reply-approved' && !sendingReply) startSendingReply();
    if (core.needsPlan(s)) await lock.run(() => commit([]));
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (s.input.historyEventsLimit ?? HISTORY_EVENTS_LIMIT)) {
      if (!sendingReply) break;
    }
    const seen = version;
    const next = core.dueTimers(s)[0];
    const wait = next ? Date.parse(next.at) - Date.now() : undefined;
    let changed: boolean;
    if (keepTimers) {
      arm(next && wait! > 0 ? Date.parse(next.at) : undefined);
      const timer = armed;
      if (wait === undefined || wait > 0) await condition(() => version !== seen || !!timer?.fired);
      changed = wait !== undefined && wait > 0 && !timer?.fired;
    } else if (wait === undefined) {
      await condition(() => version !== seen);
      changed = true;
    } else changed = wait > 0 ? await condition(() => version !== seen, wait) : false;
    if (changed || !next) continue;
    await lock.run(async () => {
      // The state may have moved while the lock was taken: fire only a timer that is still due.
      const due = core.dueTimers(s).find((x) => x.kind === next.kind && x.unitId === next.unitId && Date.parse(x.at) <= Date.now());
      if (due) await commit(core.fireTimer(s, due.kind, now(), due.unitId));
    });
  }

  /** 第十五条: the reviewed reply goes to the platform; its answer closes the ticket or sends the reply back. */
  function startSendingReply(): void {
    sendingReply = true;
    const reply = s.reply!;
    // One key per approval: a reply drafted again after a refusal is a new request to the platform.
    const key = `${s.input.ticketNo}:reply:${s.rounds.length - 1}:${s.lastEventSequence}`;
    platform
      .sendReplyToPlatform({
        ticketNo: s.input.ticketNo,
        idempotencyKey: key,
        // 第十六条(一): the platform receives exactly the text the check passed, all six elements in it.
        reply: { text: platformReplyText(platformDraftOf(s)), repliedBy: reply.draftedBy, reviewedBy: reply.reviewedBy!, ...(reply.contactedAt ? { contactedAt: reply.contactedAt } : {}) },
      })
      .then(
        // 第十一条(四): the platform's reply time closes the round (a reply kept locally closes when it was kept).
        (receipt) => lock.run(() => commit(core.replyDelivered(s, { receiptId: receipt.receiptId, delivered: receipt.delivered, closedAt: receipt.delivered === 'platform' ? receipt.acceptedAt : now().toISOString() }, now()))),
        (err: unknown) => {
          const cause = (err as { cause?: { message?: string } }).cause;
          return lock.run(() => commit(core.replyRefused(s, cause?.message ?? (err instanceof Error ? err.message : String(err)))));
        },
      )
      .finally(() => {
        sendingReply = false;
        version++;
      });
  }

  arm(undefined);
  await condition(() => lock.idle() && allHandlersFinished());
  await Promise.allSettled(deliveries);
  if (core.isComplete(s)) await Promise.allSettled(children);
  if (!core.isComplete(s)) return continueAsNew<typeof ticketWorkflow>(s.input, s);
  return s;
}
