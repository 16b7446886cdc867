/**
 * The monthly appeal package (申诉材料, 第二十八条): one durable process per unit and month, id
 * `appeal-package:<unitId>:<YYYY-MM>`, for the appeals the unit filed in that month (第二十七条, api/appeals.ts).
 *
 * - Opened by `openAppealPackagesWorkflow`, which the `appeal-packages` schedule starts at 00:30 on the 1st of each
 *   month (Asia/Shanghai) for the month just ended: one package for every unit that filed at least one appeal in it
 *   (spec decision: a unit without appeals has nothing to send).
 * - Plans its due day on the stored calendar through an activity: the end of the 6th of the next month, postponed to
 *   the first working day (rules/monthly.ts); and its reminder, `appealPackageReminderWorkingDays` working days before.
 * - Holds the steps of 第二十八条 in their order, each an Update: the sign-off of the unit's leader in charge
 *   (`signPackage`, once the month is over — it fixes the list of appeals), the seal (`confirmSeal`, with the sealed
 *   document's reference), and the submission to 委政务服务处 (`submitPackage`, only after both).
 * - Reminds the unit before the due day and marks the package late after it; a late package can still be submitted,
 *   and stays marked late.
 *
 * Its row in `AppealPackage` is the read model; notifications go through the outbox like every other.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import { SERVICE_DIVISION_UNIT, type RecipientRole } from '../rules/lifecycle';
import { isLate, parseMonthKey, previousMonth, shanghaiDate, startOfShanghaiDay, type DateKey, type MonthKey } from '../rules/time';
import { verdict, type Verdict, type Violation } from '../rules/types';
import { LOCAL_OPTIONS, NOTIFICATION_OPTIONS, PERSISTENCE_OPTIONS } from './activity-options';
import { RULE_VIOLATION, STATE_CONFLICT } from './messages';

// ---------------------------------------------------------------------------------------------------------------
// What crosses the boundary
// ---------------------------------------------------------------------------------------------------------------

/** The schedule that opens last month's packages on the 1st of each month. */
export const APPEAL_PACKAGE_SCHEDULE = 'appeal-packages';

/** A package's id (its `AppealPackage` row): `<unitId>:<YYYY-MM>`, the month whose appeals it carries. */
export const appealPackageId = (unitId: string, month: MonthKey) => `${unitId}:${month}`;
/** Its workflow's id. */
export const appealPackageWorkflowId = (unitId: string, month: MonthKey) => `appeal-package:${unitId}:${month}`;
/** A package id as written in a path: a unit id, a colon, a month. */
export const APPEAL_PACKAGE_ID = /^([a-z0-9][a-z0-9-]{0,63}):([0-9]{4}-(?:0[1-9]|1[0-2]))$/;

export interface AppealPackageInput {
  unitId: string;
  /** The month whose appeals the package carries. */
  month: MonthKey;
  /** `schedule`, or who opened it by hand. */
  openedBy: string;
}

/** 第二十八条: when the package is due and when the unit is reminded (activities/appeals.ts planAppealPackage). */
export interface AppealPackagePlan {
  /** The 6th of the next month, as written. */
  nominalDueDate: DateKey;
  /** The day it is due by the end of: the 6th, or the first working day after it. */
  dueDate: DateKey;
  /** The end of `dueDate` (Asia/Shanghai): submitted at this instant is on time, a second later late. */
  dueAt: string;
  remindAt: string;
  moved: 'none' | 'later';
  /** A day consulted has no published holiday arrangement yet. */
  provisional: boolean;
}

export interface AppealPackageState {
  id: string;
  unitId: string;
  month: MonthKey;
  openedBy: string;
  openedAt: string;
  plan: AppealPackagePlan | null;
  /** `open` until submitted to 委政务服务处. */
  status: 'open' | 'submitted';
  /** The leader in charge's sign-off, and the appeals it covers. */
  signature: { by: string; at: string; note: string | null; appeals: string[] } | null;
  /** The seal (公章) on the signed material, by the sealed document's reference. */
  seal: { by: string; at: string; documentRef: string } | null;
  submission: { by: string; at: string; late: boolean; note: string | null } | null;
  reminded: boolean;
  /** Not submitted by the due time (set at the due time, or by a late submission). Stays set. */
  late: boolean;
  /** Steps recorded so far (numbers the notifications' idempotency keys). */
  steps: number;
}

/** Who acts on a package: the user and the unit of their token. */
export interface PackageActor {
  by: string;
  unitId: string;
}
export type SignPackageCommand = PackageActor & { note?: string };
export type ConfirmSealCommand = PackageActor & { documentRef: string };
export type SubmitPackageCommand = PackageActor & { note?: string };

/** 第二十八条 经本单位分管领导签字确认 (a leader of the unit; the API checks the role). */
export const signPackageUpdate = defineUpdate<AppealPackageState, [SignPackageCommand]>('signPackage');
/** 第二十八条 加盖公章. */
export const confirmSealUpdate = defineUpdate<AppealPackageState, [ConfirmSealCommand]>('confirmSeal');
/** 第二十八条 报送委政务服务处. */
export const submitPackageUpdate = defineUpdate<AppealPackageState, [SubmitPackageCommand]>('submitPackage');
export const appealPackageQuery = defineQuery<AppealPackageState>('appealPackage');

/** A notification of a package step, queued in the outbox. */
export interface PackageNotification {
  key: string;
  kind: string;
  recipientRole: RecipientRole;
  recipientUnit: string;
  payload: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------------------
// The steps' checks (第二十八条)
// ---------------------------------------------------------------------------------------------------------------

export type PackageStep = 'sign' | 'seal' | 'submit';

const ARTICLE = '第二十八条';
const state = (rule: string, reason: string): Violation => ({ rule, article: ARTICLE, reason });

/** The first instant after the package's month (00:00 on the 1st of the next month, Asia/Shanghai). */
export function monthEndsAt(month: MonthKey): Date {
  const { year, month: m } = parseMonthKey(month);
  const next = m === 12 ? `${String(year + 1).padStart(4, '0')}-01-01` : `${String(year).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01`;
  return startOfShanghaiDay(next);
}

/**
 * 第二十八条: whether `step` may be taken now. The package is the unit's own; it is not yet submitted; the leader signs
 * once the month is over (the month's appeals are then all in), before the seal; the submission needs both. A rule
 * ending in `.state` is a conflict with the package's state (409); the others are refusals (422).
 */
export function checkPackageStep(s: AppealPackageState, step: PackageStep, cmd: PackageActor & { documentRef?: string }, now: Date): Verdict {
  const v: Violation[] = [];
  if (cmd.unitId !== s.unitId)
    v.push({ rule: 'appeal-package.unit', article: ARTICLE, reason: '申诉材料由本单位分管领导签字确认、加盖本单位公章后报送；不能办理其他单位的申诉材料', field: 'id' });
  if (s.status === 'submitted') v.push(state('appeal-package.submitted.state', '申诉材料已报送委政务服务处'));
  else if (step === 'sign') {
    if (now.getTime() < monthEndsAt(s.month).getTime()) v.push(state('appeal-package.month-open.state', `${s.month}尚未结束：上月的申诉材料于次月整理、签字确认`));
    if (s.signature) v.push(state('appeal-package.signed.state', '分管领导已签字确认'));
  } else if (step === 'seal') {
    if (!s.signature) v.push(state('appeal-package.unsigned.state', '申诉材料须先经本单位分管领导签字确认，再加盖公章'));
    if (s.seal) v.push(state('appeal-package.sealed.state', '申诉材料已加盖公章'));
    if (cmd.documentRef !== undefined && !cmd.documentRef.trim())
      v.push({ rule: 'appeal-package.seal.document', article: ARTICLE, reason: '须写明加盖公章的申诉材料的文号', field: 'documentRef' });
  } else {
    const missing = [...(s.signature ? [] : ['分管领导签字确认']), ...(s.seal ? [] : ['加盖公章'])];
    if (missing.length > 0) v.push(state('appeal-package.incomplete.state', `申诉材料须经本单位分管领导签字确认并加盖公章后报送，尚缺：${missing.join('、')}`));
  }
  return verdict(v);
}

function assertAllowed(result: Verdict): void {
  if (result.ok) return;
  const violations = result.violations;
  throw ApplicationFailure.create({
    type: violations.every((v) => v.rule.endsWith('.state')) ? STATE_CONFLICT : RULE_VIOLATION,
    message: violations.map((v) => `${v.reason}（${v.article}）`).join('；'),
    details: [{ violations }],
    nonRetryable: true,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The workflows
// ---------------------------------------------------------------------------------------------------------------

const local = proxyLocalActivities<Activities>(LOCAL_OPTIONS);
const db = proxyActivities<Activities>(PERSISTENCE_OPTIONS);
const notifier = proxyActivities<Activities>(NOTIFICATION_OPTIONS);

type Notify = { kind: string; to: RecipientRole; payload?: Record<string, unknown> };

export async function appealPackageWorkflow(input: AppealPackageInput): Promise<AppealPackageState> {
  const now = () => new Date(Date.now());
  const s: AppealPackageState = {
    id: appealPackageId(input.unitId, input.month),
    unitId: input.unitId,
    month: input.month,
    openedBy: input.openedBy,
    openedAt: now().toISOString(),
    plan: null,
    status: 'open',
    signature: null,
    seal: null,
    submission: null,
    reminded: false,
    late: false,
    steps: 0,
  };
  const deliveries: Promise<unknown>[] = [];
  let version = 0;
  let started = false;

  /** Writes the row and queues the step's notifications (delivered in the background, at least once). */
  async function record(kind: string, notify: Notify[]): Promise<void> {
    version++;
    const step = ++s.steps;
    const notifications: PackageNotification[] = notify.map((n) => {
      const unit = n.to === 'service-division' ? SERVICE_DIVISION_UNIT : s.unitId;
      return {
        key: `${appealPackageWorkflowId(s.unitId, s.month)}:${step}:${n.kind}:${n.to}`,
        kind: n.kind,
        recipientRole: n.to,
        recipientUnit: unit,
        payload: { packageId: s.id, unitId: s.unitId, month: s.month, step: kind, dueDate: s.plan?.dueDate ?? null, dueAt: s.plan?.dueAt ?? null, ...n.payload },
      };
    });
    await local.recordAppealPackage({ state: s, notifications });
    for (const n of notifications) deliveries.push(notifier.deliverNotification(n.key).catch(() => undefined));
  }

  setHandler(appealPackageQuery, () => s);
  setHandler(
    signPackageUpdate,
    async (cmd) => {
      await condition(() => started);
      assertAllowed(checkPackageStep(s, 'sign', cmd, now()));
      const appeals = await local.appealsOfPackage({ unitId: s.unitId, month: s.month });
      // Checked again after the read: another handler may have signed meanwhile.
      assertAllowed(checkPackageStep(s, 'sign', cmd, now()));
      if (appeals.length === 0)
        assertAllowed(verdict([{ rule: 'appeal-package.empty', article: ARTICLE, reason: `本单位${s.month}没有提出申诉，无需报送申诉材料` }]));
      s.signature = { by: cmd.by, at: now().toISOString(), note: cmd.note ?? null, appeals };
      await record('signed', [{ kind: 'appeal-package-signed', to: 'unit', payload: { appeals } }]);
      return s;
    },
    { validator: (cmd) => assertAllowed(checkPackageStep(s, 'sign', cmd, now())) },
  );
  setHandler(
    confirmSealUpdate,
    async (cmd) => {
      await condition(() => started);
      assertAllowed(checkPackageStep(s, 'seal', cmd, now()));
      s.seal = { by: cmd.by, at: now().toISOString(), documentRef: cmd.documentRef.trim() };
      await record('sealed', []);
      return s;
    },
    { validator: (cmd) => assertAllowed(checkPackageStep(s, 'seal', cmd, now())) },
  );
  setHandler(
    submitPackageUpdate,
    async (cmd) => {
      await condition(() => started);
      assertAllowed(checkPackageStep(s, 'submit', cmd, now()));
      const at = now();
      const late = isLate(new Date(s.plan!.dueAt), at);
      s.submission = { by: cmd.by, at: at.toISOString(), late, note: cmd.note ?? null };
      s.status = 'submitted';
      if (late) s.late = true;
      const appeals = s.signature!.appeals;
      await record('submitted', [
        { kind: 'appeal-package-submitted', to: 'service-division', payload: { appeals, late, documentRef: s.seal!.documentRef, signedBy: s.signature!.by } },
        { kind: 'appeal-package-submitted', to: 'unit', payload: { appeals, late } },
      ]);
      return s;
    },
    { validator: (cmd) => assertAllowed(checkPackageStep(s, 'submit', cmd, now())) },
  );

  // ---- opening: the due day and the reminder on the stored calendar; the unit and its leader are told ----
  s.plan = await local.planAppealPackage({ month: input.month });
  await record('opened', [
    { kind: 'appeal-package-opened', to: 'unit', payload: { remindAt: s.plan.remindAt } },
    { kind: 'appeal-package-opened', to: 'unit-leader', payload: { remindAt: s.plan.remindAt } },
  ]);
  started = true;

  // ---- the reminder before the due day, the late mark after it, until submitted ----
  const isSubmitted = () => s.status === 'submitted';
  while (s.status !== 'submitted') {
    const seen = version;
    const dueAt = Date.parse(s.plan.dueAt);
    // A package opened after its due time is late at once: no reminder.
    const next =
      !s.reminded && !s.late && Date.now() <= dueAt ? { at: Date.parse(s.plan.remindAt), kind: 'remind' as const } : !s.late ? { at: dueAt + 1000, kind: 'late' as const } : null;
    const wait = next ? next.at - Date.now() : undefined;
    const changed = wait === undefined ? await condition(() => version !== seen) : wait > 0 ? await condition(() => version !== seen, wait) : false;
    if (changed || !next || isSubmitted()) continue;
    if (next.kind === 'remind') {
      s.reminded = true;
      await record('reminded', [
        { kind: 'appeal-package-reminder', to: 'unit', payload: { signed: !!s.signature, sealed: !!s.seal } },
        ...(s.signature ? [] : [{ kind: 'appeal-package-reminder', to: 'unit-leader' as const, payload: { signed: false } }]),
      ]);
    } else {
      // 第二十八条: not submitted by the end of the due day — marked late (the statistics and the dashboard show it).
      s.late = true;
      await record('overdue', [
        { kind: 'appeal-package-overdue', to: 'unit', payload: { signed: !!s.signature, sealed: !!s.seal } },
        { kind: 'appeal-package-overdue', to: 'service-division', payload: { signed: !!s.signature, sealed: !!s.seal } },
      ]);
    }
  }
  await condition(allHandlersFinished);
  await Promise.allSettled(deliveries);
  return s;
}

export interface OpenAppealPackagesInput {
  /** The month whose packages to open; default: the month before the workflow's own (Asia/Shanghai). */
  month?: MonthKey;
}

/**
 * 第二十八条: opens the packages of `month` — one `appealPackageWorkflow` for every unit that filed an appeal in it. A
 * package already open (or already submitted) is left as it is, so a second run opens nothing twice.
 */
export async function openAppealPackagesWorkflow(input: OpenAppealPackagesInput = {}): Promise<{ month: MonthKey; opened: string[]; existing: string[] }> {
  const month = input.month ?? previousMonth(shanghaiDate(new Date(Date.now())).slice(0, 7));
  const units = await db.unitsWithAppeals({ month });
  const opened: string[] = [];
  const existing: string[] = [];
  for (const unitId of units) {
    try {
      await startChild(appealPackageWorkflow, {
        workflowId: appealPackageWorkflowId(unitId, month),
        args: [{ unitId, month, openedBy: 'schedule' }],
        parentClosePolicy: 'ABANDON',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      opened.push(unitId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      existing.push(unitId);
    }
  }
  return { month, opened, existing };
}
