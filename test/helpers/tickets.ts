/**
 * Driving tickets on the time-skipping server as the units and 委政务服务处 do: dispatch through the ticket service,
 * decisions as Updates, the refusal a decision got. Shared by the workflow test files.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure, UpdateDefinition } from '@temporalio/common';
import type { Dispatch } from '../../api/schemas';
import * as m from '../../workflows/messages';
import { dispatch, eventually, timeSkippingRig, type TimeSkippingRig } from './env';

export const UNIT = 'road-transport-bureau';
export type Handle = WorkflowHandle;

/** Registers the time-skipping rig on `taskQueue` and returns the helpers bound to it. */
export function ticketDriver(taskQueue: string, rig: TimeSkippingRig = timeSkippingRig(taskQueue)) {
  /** The test server's time, to the second (reported times are compared to the second, 第十一条(四)). */
  const nowSecond = async () => new Date(Math.floor((await rig.env.currentTimeMs()) / 1000) * 1000).toISOString();

  /** Dispatches a ticket reaching the unit now (the test server's time), dispatched to the Commission 10 minutes ago. */
  async function open(overrides: Partial<Dispatch> = {}): Promise<{ d: Dispatch; h: Handle }> {
    const now = await rig.env.currentTimeMs();
    const d = dispatch({ dispatchedAt: new Date(now - 600_000).toISOString(), dispatchedToUnitAt: new Date(now).toISOString(), ...overrides });
    await rig.service.dispatch(d);
    return { d, h: rig.env.client.workflow.getHandle(d.ticketNo) };
  }

  /** A decision, then the state it left (an Update answers only what a caller uses). */
  async function update<C>(h: Handle, def: UpdateDefinition<m.DecisionResult, [C]>, cmd: C): Promise<m.TicketState> {
    await h.executeUpdate(def, { args: [cmd] });
    return h.query(m.getStateQuery);
  }

  /** The refusal an Update was answered with: its type and the rules it names. */
  async function refused(p: Promise<unknown>): Promise<{ type: string; rules: string[]; articles: string[]; fields: (string | undefined)[] }> {
    const err = await p.then(
      () => {
        throw new Error('the decision was accepted');
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
    const { violations } = cause.details![0] as m.RefusalDetails;
    return { type: cause.type!, rules: violations.map((v) => v.rule), articles: violations.map((v) => v.article), fields: violations.map((v) => v.field) };
  }

  async function events(ticketNo: string): Promise<string[]> {
    return (await rig.db.ticketEvent.findMany({ where: { ticketNo }, orderBy: { sequence: 'asc' } })).map((e) => e.type);
  }

  async function acceptedUpdates(h: Handle): Promise<number> {
    const history = (await h.fetchHistory()).events ?? [];
    return history.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
  }

  const actor = (by: string, unitId = UNIT) => ({ by, unitId });
  const division = (by = 'sd-officer') => ({ by, unitId: m.SERVICE_DIVISION_UNIT });

  /** Accepted and assigned to one department. */
  async function handling(overrides: Partial<Dispatch> = {}, departments = ['passenger-division']) {
    const t = await open(overrides);
    await update(t.h, m.acceptUpdate, { unitId: UNIT, acceptedBy: 'acceptor' });
    await update(t.h, m.assignUpdate, { ...actor('acceptor'), departmentIds: departments });
    return t;
  }

  async function contact(h: Handle, reached = true) {
    return update(h, m.contactUpdate, { ...actor('handler'), at: await nowSecond(), staffName: '李明', method: 'phone', reached, outcome: reached ? '已向反映人了解情况' : '无人接听', recordingRef: 'rec-001' });
  }

  /** The time of the ticket's last recorded contact: a reply states one of them (spec decision "times that cannot be true"). */
  async function lastContactAt(h: Handle): Promise<string> {
    return (await h.query(m.getStateQuery)).contacts.at(-1)?.at ?? (await nowSecond());
  }

  async function draftAndClose(h: Handle, extra: Partial<m.ReplyDraftCommand> = {}) {
    const at = await lastContactAt(h);
    await update(h, m.draftReplyUpdate, { ...actor('handler'), ...fullReply(at), ...extra });
    await update(h, m.reviewReplyUpdate, { ...actor('reviewer'), approved: true });
    return eventually(() => h.query(m.getStateQuery), (s) => s.status === 'closed');
  }

  /** The ticket's open supervision case, once its workflow has reported it open (due date planned). */
  async function openCaseOf(h: Handle): Promise<m.CaseRef> {
    const s = await eventually(() => h.query(m.getStateQuery), (x) => x.cases.some((c) => c.status !== 'closed' && c.answerDueAt !== null));
    return s.cases.find((c) => c.status !== 'closed')!;
  }

  /** A decision on the ticket's open supervision case (its own workflow), then the ticket's state once it recorded it. */
  async function caseUpdate<C>(h: Handle, def: UpdateDefinition<m.CaseResult, [C]>, cmd: C): Promise<m.TicketState> {
    const c = await openCaseOf(h);
    const before = (await h.query(m.getStateQuery)).lastEventSequence;
    await rig.env.client.workflow.getHandle(c.id).executeUpdate(def, { args: [cmd] });
    return eventually(() => h.query(m.getStateQuery), (x) => x.lastEventSequence > before);
  }

  return { rig, nowSecond, open, update, refused, events, acceptedUpdates, actor, division, handling, contact, lastContactAt, fullReply, draftAndClose, round, openCaseOf, caseUpdate };
}

/** The ticket's latest supervision case. */
export const lastCase = (s: m.TicketState) => s.cases.at(-1);

/** The current handling round. */
export const round = (s: m.TicketState) => s.rounds.at(-1)!;

/** A reply that satisfies all six rules of 第十六条. */
export function fullReply(at: string): Omit<m.ReplyDraftCommand, 'by' | 'unitId'> {
  return {
    text:
      '市道路运输局工作人员李明（联系电话022-23456789）于2026年11月28日10时30分电话联系反映人。经调查核实，涉事出租车司机拒载属实，' +
      '执法人员已依据《天津市客运出租汽车管理条例》对驾驶员处以罚款200元并扣减服务质量信誉考核分。反映人表示对处理结果满意。',
    contactedAt: at,
    staffName: '李明',
    staffPhone: '022-23456789',
    process: '经调查核实，涉事出租车司机拒载属实',
    result: '依据《天津市客运出租汽车管理条例》对驾驶员处以罚款200元并扣减服务质量信誉考核分',
    reporterFeedback: '反映人表示对处理结果满意',
  };
}
