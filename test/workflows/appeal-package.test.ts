/**
 * 第二十八条 the monthly appeal package on the time-skipping server, with the real activities against the test database:
 * its due day on the stored calendar (the 6th of the next month, postponed to the first working day — the 2026 holiday
 * cases of the spec), the reminder before it and the late mark after it, the steps in their order (the leader's sign-off
 * once the month is over, then the seal, then the submission), and the monthly opening of every unit's package.
 *
 * The server's clock starts at the real time and only moves forward: the package driven through its reminder and due
 * day is that of the first month from now whose 6th falls on a rest day (2026-11 today: 2026-12-06 is a Sunday). The
 * units are ones the API tests do not use, so the shared database holds no one else's packages for them.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { nextMonth, planAppealPackage } from '../../activities/appeals';
import type { Db } from '../../lib/db';
import { loadCalendar } from '../../lib/calendar-store';
import { createWorkingCalendar } from '../../rules/calendar';
import { DEFAULT_PARAMETERS, withOverrides } from '../../rules/parameters';
import { endOfShanghaiDay, shanghaiDate, startOfShanghaiDay, type MonthKey } from '../../rules/time';
import type { RefusalDetails } from '../../workflows/messages';
import {
  appealPackageQuery,
  appealPackageWorkflowId,
  confirmSealUpdate,
  monthEndsAt,
  signPackageUpdate,
  submitPackageUpdate,
} from '../../workflows/appeal-package';
import { eventually, newTicketNo, timeSkippingRig } from '../helpers/env';

const taskQueue = 'appeal-package-test';
const rig = timeSkippingRig(taskQueue);
let env: TestWorkflowEnvironment;
let db: Db;
beforeAll(() => ({ env, db } = rig));

const HC = 'highway-center';
const CSC = 'comprehensive-service-center';
const MINUTE = 60_000;
const calendar = createWorkingCalendar();

async function appeals(unitId: string, month: MonthKey, n: number): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < n; i++) {
    const ticketNo = newTicketNo('AP');
    await db.appeal.create({ data: { ticketNo, unitId, packageMonth: month, reason: '反映人要求赔偿误工费，无法律依据，已解释', evidence: { refs: ['录音-001'] }, filedBy: `${unitId}-leader` } });
    numbers.push(ticketNo);
  }
  return numbers.sort();
}

function start(unitId: string, month: MonthKey): Promise<WorkflowHandle> {
  return env.client.workflow.start('appealPackageWorkflow', { taskQueue, workflowId: appealPackageWorkflowId(unitId, month), args: [{ unitId, month, openedBy: 'test' }] });
}

const leader = (unitId: string) => ({ by: `${unitId}-leader`, unitId });
const acceptor = (unitId: string) => ({ by: `${unitId}-acceptor`, unitId });
const row = (unitId: string, month: MonthKey) => db.appealPackage.findUnique({ where: { id: `${unitId}:${month}` } });
const notifications = (unitId: string, month: MonthKey, kind: string) =>
  db.notification.findMany({ where: { idempotencyKey: { startsWith: `${appealPackageWorkflowId(unitId, month)}:` }, kind }, orderBy: { id: 'asc' } });
const sleepUntil = async (at: number) => env.sleep(Math.max(0, at - (await env.currentTimeMs())));

async function refused(p: Promise<unknown>): Promise<{ type: string; rules: string[]; articles: string[] }> {
  const err = await p.then(
    () => {
      throw new Error('the step was accepted');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
  const { violations } = cause.details![0] as RefusalDetails;
  return { type: cause.type!, rules: violations.map((v) => v.rule), articles: violations.map((v) => v.article) };
}

describe('第二十八条 the package’s due day on the stored calendar: the 6th of the next month, postponed to the first working day', () => {
  it.each([
    // Sunday 2026-01-04 is a make-up working day (调休): the reminder's second working day before the 6th.
    ['2025-12', '2026-01-06', 'none', '2026-01-04'],
    ['2026-01', '2026-02-06', 'none', '2026-02-04'],
    // 清明: April 4–6 are holidays.
    ['2026-03', '2026-04-07', 'later', '2026-04-02'],
    ['2026-04', '2026-05-06', 'none', '2026-04-29'],
    // The 6th of June is a Saturday.
    ['2026-05', '2026-06-08', 'later', '2026-06-04'],
    // The 6th of September is a Sunday.
    ['2026-08', '2026-09-07', 'later', '2026-09-03'],
    // National Day, October 1–7: due the 8th; the reminder falls before the package opens, so it goes out at the opening.
    ['2026-09', '2026-10-08', 'later', '2026-09-29'],
    ['2026-10', '2026-11-06', 'none', '2026-11-04'],
    // The 6th of December is a Sunday.
    ['2026-11', '2026-12-07', 'later', '2026-12-03'],
  ])('第二十八条: the package of %s is due by the end of %s (moved: %s), reminded at 00:00 on %s', async (month, dueDate, moved, remindDay) => {
    const plan = planAppealPackage(await loadCalendar(db), DEFAULT_PARAMETERS, month);
    expect(plan).toMatchObject({ nominalDueDate: `${nextMonth(month)}-06`, dueDate, moved, provisional: false });
    expect(plan.dueAt).toBe(endOfShanghaiDay(dueDate).toISOString());
    expect(plan.remindAt).toBe(startOfShanghaiDay(remindDay).toISOString());
  });

  it('第二十八条: the reminder’s lead is a parameter (0: at the start of the due day)', () => {
    expect(planAppealPackage(calendar, withOverrides({ appealPackageReminderWorkingDays: 0 }), '2026-11').remindAt).toBe(startOfShanghaiDay('2026-12-07').toISOString());
    expect(planAppealPackage(calendar, withOverrides({ appealPackageReminderWorkingDays: 1 }), '2026-11').remindAt).toBe(startOfShanghaiDay('2026-12-04').toISOString());
  });
});

describe('第二十八条 a package through its month: sign-off, seal, submission; reminder and late mark', () => {
  /** The first month from now whose 6th of the next month is a rest day, its reminder still ahead (2026-11 today). */
  let month: MonthKey;
  let hc: WorkflowHandle;
  let csc: WorkflowHandle;
  let hcAppeals: string[];
  let cscAppeals: string[];
  let plan: ReturnType<typeof planAppealPackage>;

  beforeAll(async () => {
    const now = await env.currentTimeMs();
    month = shanghaiDate(new Date(now)).slice(0, 7);
    for (let i = 0; i < 24; i++, month = nextMonth(month)) {
      plan = planAppealPackage(calendar, DEFAULT_PARAMETERS, month);
      if (plan.moved === 'later' && Date.parse(plan.remindAt) > monthEndsAt(month).getTime() + 60 * MINUTE && Date.parse(plan.remindAt) > now) break;
    }
    hcAppeals = await appeals(HC, month, 2);
    cscAppeals = await appeals(CSC, month, 1);
    await appeals(HC, nextMonth(month), 1); // next month's: not in this package
    hc = await start(HC, month);
    csc = await start(CSC, month);
  });

  it('第二十八条: the package opens with its due day — a 6th on a rest day is postponed to the first working day — and tells the unit and its leader', async () => {
    const r = await eventually(() => row(HC, month), (x) => x !== null);
    expect(r).toMatchObject({ unitId: HC, month, status: 'open', reminded: false, late: false, signedAt: null, sealRef: null, submittedAt: null });
    expect(r!.dueAt.toISOString()).toBe(plan.dueAt);
    expect(plan.dueDate > `${nextMonth(month)}-06`).toBe(true);
    if (month === '2026-11') expect(plan).toMatchObject({ dueDate: '2026-12-07', remindAt: startOfShanghaiDay('2026-12-03').toISOString() });
    const opened = await eventually(() => notifications(HC, month, 'appeal-package-opened'), (n) => n.length === 2);
    expect(opened.map((n) => [n.recipientRole, n.recipientUnit]).sort()).toEqual([
      ['unit', HC],
      ['unit-leader', HC],
    ]);
    expect(opened[0]!.payload).toMatchObject({ packageId: `${HC}:${month}`, dueDate: plan.dueDate });
  });

  it('第二十八条: before the month is over the leader cannot sign; the seal needs the sign-off, the submission both; another unit cannot act', async () => {
    expect(await refused(hc.executeUpdate(signPackageUpdate, { args: [leader(HC)] }))).toEqual({ type: 'StateConflict', rules: ['appeal-package.month-open.state'], articles: ['第二十八条'] });
    expect((await refused(hc.executeUpdate(confirmSealUpdate, { args: [{ ...acceptor(HC), documentRef: '津公路〔2026〕12号' }] }))).rules).toEqual(['appeal-package.unsigned.state']);
    expect((await refused(hc.executeUpdate(submitPackageUpdate, { args: [acceptor(HC)] }))).rules).toEqual(['appeal-package.incomplete.state']);
    const other = await refused(hc.executeUpdate(signPackageUpdate, { args: [leader(CSC)] }));
    expect(other.type).toBe('RuleViolation');
    expect(other.rules).toContain('appeal-package.unit');
  });

  it('第二十八条: once the month is over the leader signs the month’s appeals, once; then the seal; then the submission (on time)', async () => {
    await sleepUntil(monthEndsAt(month).getTime() + MINUTE);
    const signed = await hc.executeUpdate(signPackageUpdate, { args: [{ ...leader(HC), note: '同意报送' }] });
    expect(signed.signature).toMatchObject({ by: `${HC}-leader`, note: '同意报送', appeals: hcAppeals });
    expect((await refused(hc.executeUpdate(signPackageUpdate, { args: [leader(HC)] }))).rules).toEqual(['appeal-package.signed.state']);
    expect((await refused(hc.executeUpdate(submitPackageUpdate, { args: [acceptor(HC)] }))).rules).toEqual(['appeal-package.incomplete.state']);
    expect((await row(HC, month))!.signedBy).toBe(`${HC}-leader`);

    // 市综合服务中心 goes through all three steps before its reminder: on time, never reminded, never late.
    await csc.executeUpdate(signPackageUpdate, { args: [leader(CSC)] });
    const sealed = await csc.executeUpdate(confirmSealUpdate, { args: [{ ...acceptor(CSC), documentRef: '津综服〔2026〕3号' }] });
    expect(sealed.seal).toMatchObject({ documentRef: '津综服〔2026〕3号' });
    const submitted = await csc.executeUpdate(submitPackageUpdate, { args: [acceptor(CSC)] });
    expect(submitted).toMatchObject({ status: 'submitted', late: false, submission: { late: false }, signature: { appeals: cscAppeals } });
    // Polled, not awaited with result(): waiting for a result lets the server skip time to the other package's timers.
    expect(await eventually(() => csc.describe().then((d) => d.status.name), (st) => st === 'COMPLETED')).toBe('COMPLETED');
    expect(await row(CSC, month)).toMatchObject({ status: 'submitted', late: false, reminded: false, sealRef: '津综服〔2026〕3号' });
    const told = await eventually(() => notifications(CSC, month, 'appeal-package-submitted'), (n) => n.length === 2);
    expect(told.find((n) => n.recipientRole === 'service-division')).toMatchObject({ recipientUnit: 'service-division', payload: expect.objectContaining({ appeals: cscAppeals, late: false }) });
  });

  it('第二十八条: the reminder goes out at its time, not before, to the unit (its leader has signed)', async () => {
    await sleepUntil(Date.parse(plan.remindAt) - MINUTE);
    await new Promise((r) => setTimeout(r, 500));
    expect((await row(HC, month))!.reminded).toBe(false);
    await env.sleep(2 * MINUTE);
    expect(await eventually(() => row(HC, month), (x) => x!.reminded)).toMatchObject({ reminded: true, late: false });
    const reminders = await eventually(() => notifications(HC, month, 'appeal-package-reminder'), (n) => n.length === 1);
    expect(reminders.map((n) => n.recipientRole)).toEqual(['unit']);
  });

  it('第二十八条: not submitted by the end of the due day — marked late a second after it, 委政务服务处 told; submitted later, it stays late', async () => {
    await hc.executeUpdate(confirmSealUpdate, { args: [{ ...acceptor(HC), documentRef: '津公路〔2026〕12号' }] });
    expect((await refused(hc.executeUpdate(confirmSealUpdate, { args: [{ ...acceptor(HC), documentRef: '津公路〔2026〕13号' }] }))).rules).toEqual(['appeal-package.sealed.state']);
    // At the end of the due day itself it is still on time (第二十八条 “6日前”: inclusive, spec decision).
    await sleepUntil(Date.parse(plan.dueAt));
    await new Promise((r) => setTimeout(r, 500));
    expect((await row(HC, month))!.late).toBe(false);
    await env.sleep(1000);
    expect(await eventually(() => row(HC, month), (x) => x!.late)).toMatchObject({ late: true, status: 'open' });
    const overdue = await eventually(() => notifications(HC, month, 'appeal-package-overdue'), (n) => n.length === 2);
    expect(overdue.map((n) => [n.recipientRole, n.recipientUnit]).sort()).toEqual([
      ['service-division', 'service-division'],
      ['unit', HC],
    ]);
    const submitted = await hc.executeUpdate(submitPackageUpdate, { args: [{ ...acceptor(HC), note: '逾期报送' }] });
    expect(submitted).toMatchObject({ status: 'submitted', late: true, submission: { late: true, note: '逾期报送' } });
    expect(await eventually(() => hc.describe().then((d) => d.status.name), (st) => st === 'COMPLETED')).toBe('COMPLETED');
    expect(await row(HC, month)).toMatchObject({ status: 'submitted', late: true, reminded: true, sealRef: '津公路〔2026〕12号' });
    // The package submitted on time is not marked late when the due time passes.
    expect((await row(CSC, month))!.late).toBe(false);
    // A submitted package takes no further step.
    expect(await hc.query(appealPackageQuery).catch(() => null)).toMatchObject({ status: 'submitted' });
  });
});

describe('第二十八条 a package opened after its due day', () => {
  it('第二十八条: 2026-09 (National Day: due by the end of 2026-10-08) opened now is late at once, without a reminder', async () => {
    await appeals(HC, '2026-09', 1);
    const h = await start(HC, '2026-09');
    const r = await eventually(() => row(HC, '2026-09'), (x) => x?.late === true);
    expect(r).toMatchObject({ late: true, reminded: false, status: 'open' });
    expect(r!.dueAt.toISOString()).toBe(endOfShanghaiDay('2026-10-08').toISOString());
    expect(await eventually(() => notifications(HC, '2026-09', 'appeal-package-overdue'), (n) => n.length === 2)).toHaveLength(2);
    expect(await notifications(HC, '2026-09', 'appeal-package-reminder')).toEqual([]);
    await h.executeUpdate(signPackageUpdate, { args: [leader(HC)] });
    await h.executeUpdate(confirmSealUpdate, { args: [{ ...acceptor(HC), documentRef: '津公路〔2026〕9号' }] });
    expect(await h.executeUpdate(submitPackageUpdate, { args: [acceptor(HC)] })).toMatchObject({ status: 'submitted', late: true, submission: { late: true } });
  });

  it('第二十八条: a unit with no appeal in the month has nothing to sign', async () => {
    const h = await start(CSC, '2026-08');
    await eventually(() => row(CSC, '2026-08'), (x) => x !== null);
    expect(await refused(h.executeUpdate(signPackageUpdate, { args: [leader(CSC)] }))).toEqual({ type: 'RuleViolation', rules: ['appeal-package.empty'], articles: ['第二十八条'] });
    await h.terminate('test done');
  });
});
