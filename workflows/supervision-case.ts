/**
 * supervisionCaseWorkflow: one supervision case (督办, 第二十二条–第二十三条) as its own durable process, a child of its
 * ticket's workflow (id `<ticketNo>:<n>`).
 *
 * It plans the answer's due date in working days (spec decision, 第二十三条), reminds the unit before it and marks the
 * case late after it; takes the unit's sealed report; and for an escalated case (第二十二条(五) 提级办理) waits for
 * 委政务服务处 to approve the answer before it closes. Its row in `SupervisionCase` is the read model; each change is
 * also reported to the ticket (`caseEventSignal`), which records it in the ticket's audit trail.
 */
import { allHandlersFinished, ApplicationFailure, condition, getExternalWorkflowHandle, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { checkCaseAnswer, checkSupervisionApproval, SUPERVISION_TRANSITIONS, type SupervisionCaseStatus } from '../rules/lifecycle';
import type { Verdict } from '../rules/types';
import { LOCAL_OPTIONS } from './activity-options';
import * as m from './messages';

const local = proxyLocalActivities<Activities>(LOCAL_OPTIONS);

function assertAllowed(results: Verdict[]): void {
  const violations = results.flatMap((r) => (r.ok ? [] : r.violations));
  if (violations.length === 0) return;
  throw ApplicationFailure.create({
    type: violations.every((v) => v.rule.endsWith('.state')) ? m.STATE_CONFLICT : m.RULE_VIOLATION,
    message: violations.map((v) => `${v.reason}（${v.article}）`).join('；'),
    details: [{ violations }],
    nonRetryable: true,
  });
}

export async function supervisionCaseWorkflow(input: m.SupervisionCaseInput): Promise<m.SupervisionCaseState> {
  const c: m.SupervisionCaseState = { ...input, status: 'open', answerDueAt: null, remindAt: null, reminded: false, late: false, answer: null, approval: null };
  const ticket = getExternalWorkflowHandle(input.ticketNo);
  const now = () => new Date(Date.now()).toISOString();
  let version = 0;
  let started = false;

  const move = (step: keyof typeof SUPERVISION_TRANSITIONS) => {
    c.status = (SUPERVISION_TRANSITIONS[step] as Partial<Record<SupervisionCaseStatus, SupervisionCaseStatus>>)[c.status]!;
  };

  /** Writes the case's row and tells the ticket what happened. */
  async function report(type: string, actor: string, payload: Record<string, unknown>, notify: m.CaseEvent['notify'] = []): Promise<void> {
    version++;
    await local.recordSupervisionCase({ state: c });
    await ticket.signal(m.caseEventSignal, { caseId: c.caseId, type, actor, payload, notify, status: c.status, late: c.late, answerDueAt: c.answerDueAt });
  }

  setHandler(m.caseQuery, () => c);
  setHandler(
    m.caseAnswerUpdate,
    async (cmd) => {
      await condition(() => started);
      assertAllowed([checkCaseAnswer(c, cmd)]);
      c.answer = { report: cmd.report, text: cmd.text, by: cmd.by, at: now() };
      move('answer');
      // An ordinary case closes with its answer; an escalated one waits for 委政务服务处 (spec decision (五)).
      if (!c.escalated) move('close');
      await report('supervision-answered', cmd.by, { caseId: c.caseId, report: cmd.report, text: cmd.text, late: c.late, escalated: c.escalated }, [
        { kind: c.escalated ? 'supervision-answer-to-approve' : 'supervision-answered', to: 'service-division', payload: { unitId: c.unitId, caseId: c.caseId } },
      ]);
      return { status: c.status, answerDueAt: c.answerDueAt };
    },
    { validator: (cmd) => assertAllowed([checkCaseAnswer(c, cmd)]) },
  );
  setHandler(
    m.caseApprovalUpdate,
    async (cmd) => {
      await condition(() => started);
      assertAllowed([checkSupervisionApproval(c, cmd)]);
      c.approval = { approved: cmd.approved, by: cmd.by, at: now(), note: cmd.note };
      move(cmd.approved ? 'approve' : 'sendBack');
      if (!cmd.approved) c.answer = null;
      await report(cmd.approved ? 'supervision-approved' : 'supervision-sent-back', cmd.by, { caseId: c.caseId, note: cmd.note }, cmd.approved ? [] : [{ kind: 'supervision-sent-back', to: 'unit-leader', payload: { caseId: c.caseId, note: cmd.note } }]);
      return { status: c.status, answerDueAt: c.answerDueAt };
    },
    { validator: (cmd) => assertAllowed([checkSupervisionApproval(c, cmd)]) },
  );

  // ---- opening: the due date in working days, then the unit (and for (五) its leader) and 委政务服务处 are told ----
  const due = await local.planSupervisionAnswer(input.openedAt);
  c.answerDueAt = due.dueAt;
  c.remindAt = due.remindAt;
  const articles = c.triggers.map((t) => t.article);
  await report('supervision-opened', input.openedBy, { caseId: c.caseId, triggers: c.triggers, escalated: c.escalated, answerDueAt: c.answerDueAt }, [
    { kind: 'supervision-opened', to: 'unit', payload: { caseId: c.caseId, triggers: articles, answerDueAt: c.answerDueAt, escalated: c.escalated } },
    ...(c.escalated ? [{ kind: 'supervision-escalated', to: 'unit-leader' as const, payload: { caseId: c.caseId, triggers: articles, answerDueAt: c.answerDueAt } }] : []),
    { kind: 'supervision-opened', to: 'service-division', payload: { caseId: c.caseId, unitId: c.unitId, triggers: articles } },
  ]);
  started = true;

  // ---- the reminder before the due date and the late mark after it, while no answer is in ----
  while (c.status !== 'closed') {
    const seen = version;
    const next = c.status === 'open' && !c.reminded ? { at: c.remindAt!, kind: 'remind' as const } : c.status === 'open' && !c.late ? { at: c.answerDueAt!, kind: 'late' as const } : null;
    const wait = next ? Date.parse(next.at) - Date.now() : undefined;
    const changed = wait === undefined ? await condition(() => version !== seen) : wait > 0 ? await condition(() => version !== seen, wait) : false;
    if (changed || !next || c.status !== 'open') continue;
    if (next.kind === 'remind') {
      c.reminded = true;
      await report('supervision-reminded', 'system', { caseId: c.caseId, answerDueAt: c.answerDueAt }, [{ kind: 'supervision-reminder', to: 'unit', payload: { caseId: c.caseId, answerDueAt: c.answerDueAt } }]);
    } else {
      // 第二十三条: no answer by the due date — recorded against the unit; the statistics count it.
      c.late = true;
      await report('supervision-answer-overdue', 'system', { caseId: c.caseId, answerDueAt: c.answerDueAt }, [
        { kind: 'supervision-answer-overdue', to: 'service-division', payload: { caseId: c.caseId, unitId: c.unitId } },
        { kind: 'supervision-answer-overdue', to: 'unit', payload: { caseId: c.caseId } },
      ]);
    }
  }
  await condition(allHandlersFinished);
  return c;
}
