/**
 * The first version of ticketWorkflow (acceptance only, 第八条(一)), kept so tickets started before the full lifecycle
 * replay and finish as they began: `ticketWorkflow` runs it when its history has no `full-lifecycle` patch marker.
 * Do not change what it does; delete it once no such ticket is open (then deprecatePatch the marker).
 *
 * Workflow id = the platform's ticket number. Handlers are registered first; every human decision is an Update whose
 * validator applies the rule layer, so a refused decision returns its rule and article and never enters history.
 * Persistence happens in activities, one audit event per step, numbered here so retries cannot duplicate them.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, QueuedNotification, StepEvent, TicketPatch } from '../../activities';
import { acceptanceDueAt, isAcceptanceOverdue } from '../../rules/acceptance';
import { checkAccept } from '../../rules/lifecycle';
import type { Verdict } from '../../rules/types';
import { RULE_VIOLATION, STATE_CONFLICT, type AcceptCommand, type TicketInput } from '../messages';
import { acceptUpdate, getStateQuery, type TicketStateV1 as TicketState } from './v1-messages';
import { AcceptDueAt, Category, Channel, HandlingUnit, TicketStatus } from '../search-attributes';

/** The state of the first version; queries answer it in the shape of today's state. */
type LegacyState = Pick<TicketState, 'input' | 'acceptedAt' | 'acceptedBy' | 'acceptOverdue' | 'lastEventSequence'> & {
  status: 'dispatched' | 'accepted';
  deadlines: { acceptDueAt: string };
};

/** Persistence: short, retried until the database is back (a step must not be lost). */
const persistence = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Refuses a decision the rule layer does not allow: state rules map to StateConflict, the rest to RuleViolation. */
function assertAllowed(result: Verdict): void {
  if (result.ok) return;
  const stateOnly = result.violations.every((v) => v.rule.endsWith('.state'));
  throw ApplicationFailure.create({
    type: stateOnly ? STATE_CONFLICT : RULE_VIOLATION,
    message: result.violations.map((v) => `${v.reason}（${v.article}）`).join('；'),
    details: [{ violations: result.violations }],
    nonRetryable: true,
  });
}

export async function acceptanceOnlyTicket(input: TicketInput): Promise<LegacyState> {
  const state: LegacyState = {
    input,
    status: 'dispatched',
    deadlines: { acceptDueAt: acceptanceDueAt(new Date(input.dispatchedToUnitAt)).toISOString() },
    acceptedAt: null,
    acceptedBy: null,
    acceptOverdue: false,
    lastEventSequence: 0,
  };
  const now = () => new Date(Date.now()).toISOString();

  // Steps are written in the order they happened: each waits for the previous one.
  let written: Promise<void> = Promise.resolve();
  function record(type: string, actor: string, patch: TicketPatch, payload: Record<string, unknown> = {}, notify: Omit<QueuedNotification, 'key'>[] = []) {
    const event: StepEvent = { sequence: ++state.lastEventSequence, type, actor, at: now(), payload };
    const notifications = notify.map((n) => ({ ...n, key: `${input.ticketNo}:${event.sequence}:${n.recipientRole}:${n.recipientUnit}` }));
    written = written.then(() => persistence.recordStep({ ticketNo: input.ticketNo, patch, event, notifications }));
    return written;
  }
  function publish() {
    upsertSearchAttributes([
      { key: TicketStatus, value: state.status },
      { key: HandlingUnit, value: input.unitId },
      { key: Channel, value: input.channel },
      { key: Category, value: input.category },
      { key: AcceptDueAt, value: new Date(state.deadlines.acceptDueAt) },
    ]);
  }

  setHandler(getStateQuery, () => state as unknown as TicketState);

  setHandler(
    acceptUpdate,
    async (cmd: AcceptCommand) => {
      const at = now();
      // 第八条(一): on time when accepted at or before the limit; an overdue mark, once set, stays.
      state.acceptOverdue ||= isAcceptanceOverdue(new Date(state.deadlines.acceptDueAt), new Date(at));
      state.status = 'accepted';
      state.acceptedAt = at;
      state.acceptedBy = cmd.acceptedBy;
      publish();
      await record('accepted', cmd.acceptedBy, {
        status: 'accepted',
        acceptedAt: at,
        acceptedBy: cmd.acceptedBy,
        acceptOverdue: state.acceptOverdue,
      }, { unitId: cmd.unitId, onTime: !state.acceptOverdue });
      return state as unknown as TicketState;
    },
    { validator: (cmd: AcceptCommand) => assertAllowed(checkAccept({ status: state.status, unitId: input.unitId }, cmd)) },
  );

  const dispatched: StepEvent = { sequence: ++state.lastEventSequence, type: 'dispatched', actor: 'platform', at: input.dispatchedToUnitAt, payload: { workflowRunId: workflowInfo().runId } };
  written = persistence.recordDispatch({ input, status: state.status, deadlines: { ...state.deadlines, returnWindowEndsAt: null, dueAt: null, remindAt: null, nearDeadlineAt: null, provisional: false, sla: null }, event: dispatched });
  publish();
  await written;

  // 第八条(一): 3 hours to accept. When they pass first, the ticket is marked overdue, 委政务服务处 and the unit are
  // told, and the ticket still waits for acceptance.
  const acceptWindow = Date.parse(state.deadlines.acceptDueAt) - Date.now();
  const acceptedInTime =
    acceptWindow > 0 ? await condition(() => state.status !== 'dispatched', acceptWindow) : state.status !== 'dispatched';
  if (!acceptedInTime && state.status === 'dispatched') {
    state.acceptOverdue = true;
    await record('acceptance-overdue', 'system', { acceptOverdue: true }, { acceptDueAt: state.deadlines.acceptDueAt }, [
      { kind: 'acceptance-overdue', recipientRole: 'unit', recipientUnit: input.unitId, payload: { acceptDueAt: state.deadlines.acceptDueAt } },
      { kind: 'acceptance-overdue', recipientRole: 'service-division', recipientUnit: 'service-division', payload: { acceptDueAt: state.deadlines.acceptDueAt, unitId: input.unitId } },
    ]);
    await condition(() => state.status !== 'dispatched');
  }

  await condition(allHandlersFinished);
  await written;
  return state;
}
