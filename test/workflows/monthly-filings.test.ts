/**
 * 第三十一条 monthly filings on the time-skipping server: the schedule's run opens the next month once; the month's
 * workflow opens one filing per owing unit of the unit table and report, reminds before each due time the units that
 * have not filed and marks late after it those that still have not; a filing after the due time is recorded late. The
 * spec's 2026 holiday cases (the deadline never moves later: 2026-05's knowledge-base report is due by the end of
 * 2026-04-30) are driven through the workflow, and so are holiday moves still to come (春节 and 清明 of 2030, on the
 * statutory calendar) — with a calendar change while the month waits, which moves its timers. Last, the schedule itself
 * on a real dev server.
 *
 * The clock of the time-skipping server only moves forward, from the real time: the 2026 months lie in its past, so
 * their due times have passed when they open (no reminder, the late marks at once, the boundary second checked on the
 * filings); the months ahead are waited for with the workflow's own timers.
 */
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Db } from '../../lib/db';
import { fileMonthlyReport, lateKey, lateSummaryKey, reminderKey } from '../../activities/filings';
import { ensureMonthlyFilingsSchedule } from '../../bin/worker';
import { loadCalendar } from '../../lib/calendar-store';
import { createWorker } from '../../lib/worker';
import { monthlyFilingDeadlines, nextMonth, type MonthlyFilingKind } from '../../rules/monthly';
import { DEFAULT_PARAMETERS } from '../../rules/parameters';
import { shanghaiDate } from '../../rules/time';
import { MONTHLY_FILINGS_SCHEDULE, monthlyFilingsQuery, type MonthlyFilingsState } from '../../workflows/monthly-filings';
import { devServerEnv, eventually, timeSkippingRig } from '../helpers/env';

const taskQueue = 'monthly-filings-test';
const rig = timeSkippingRig(taskQueue);
let env: TestWorkflowEnvironment;
let db: Db;
/** A client that does not unlock time skipping while it waits: time moves only by `env.sleep`. */
let plain: Client;

beforeAll(() => {
  ({ env, db } = rig);
  plain = new Client({ connection: env.connection, namespace: 'default' });
});

/** The owing units of the unit table (prisma/migrations), in id order. */
const UNITS = ['comprehensive-service-center', 'highway-center', 'port-shipping-bureau', 'road-transport-bureau', 'service-division', 'transport-enforcement-corps'];
const [CSC, HC, PSB, RTB, SD, TEC] = UNITS as [string, string, string, string, string, string];
const SECOND = 1000;

const deadlinesOf = async (month: string) => monthlyFilingDeadlines(month, await loadCalendar(db));
const rowsOf = (kind: MonthlyFilingKind, assessmentMonth: string) => db.monthlyFiling.findMany({ where: { kind, month: assessmentMonth }, orderBy: { id: 'asc' } });
const unitsWhere = async (kind: MonthlyFilingKind, assessmentMonth: string, test: (r: Awaited<ReturnType<typeof rowsOf>>[number]) => boolean) =>
  (await rowsOf(kind, assessmentMonth)).filter(test).map((r) => r.unitId);

/** A unit confirms its report, as `POST /api/v1/filings/:id` does, at `at`. */
async function file(unitId: string, kind: MonthlyFilingKind, assessmentMonth: string, at: number | Date) {
  const result = await fileMonthlyReport(db, DEFAULT_PARAMETERS, { id: `${unitId}:${kind}:${assessmentMonth}`, byUnit: unitId, by: `${unitId}-staff`, nothingNew: true, at: new Date(at) });
  if ('refused' in result) throw new Error(`filing refused: ${result.refused}`);
  return result.filing;
}

/** Moves the server's clock to `at` (the workflows' timers fire on the way). */
async function sleepUntil(at: number | Date): Promise<void> {
  const t = typeof at === 'number' ? at : at.getTime();
  const now = await env.currentTimeMs();
  if (t > now) await env.sleep(t - now);
}

const start = (month: string) => plain.workflow.start('monthlyFilingsWorkflow', { taskQueue, workflowId: `monthly-filings:${month}`, args: [{ month }] });
const notificationsOf = (keys: string[]) => db.notification.findMany({ where: { idempotencyKey: { in: keys } }, orderBy: { idempotencyKey: 'asc' } });

test('deliverNotificationsWorkflow delivers outbox rows queued outside a workflow (no webhook here: kept as skipped)', async () => {
  const key = `test-delivery:${Date.now()}`;
  await db.notification.create({ data: { idempotencyKey: key, kind: 'knowledge-maintainer-changed', recipientRole: 'service-division', recipientUnit: SD, payload: { article: '第三十条' } } });
  const result = await plain.workflow.execute('deliverNotificationsWorkflow', { taskQueue, workflowId: `deliver:${key}`, args: [{ keys: [key] }] });
  expect(result).toEqual({ delivered: 1 });
  expect(await db.notification.findUniqueOrThrow({ where: { idempotencyKey: key } })).toMatchObject({ status: 'skipped', lastError: 'no webhook configured' });
});

describe('a month ahead, driven by the workflow’s timers', () => {
  let month = '';

  test('第三十一条: monthly-filings:<YYYY-MM> opens one filing per owing unit of the unit table and report, due as the rule layer says', async () => {
    // Three months ahead: its reminders and due times all lie ahead of the server's clock, whatever today is.
    month = nextMonth(nextMonth(nextMonth(shanghaiDate(new Date(await env.currentTimeMs())).slice(0, 7))));
    await start(month);
    const d = await deadlinesOf(month);
    for (const kind of ['knowledge-base', 'training'] as const) {
      const rows = await eventually(() => rowsOf(kind, d[kind].assessmentMonth), (r) => r.length === UNITS.length);
      expect(rows.map((r) => r.id)).toEqual(UNITS.map((u) => `${u}:${kind}:${d[kind].assessmentMonth}`));
      for (const r of rows) expect(r).toMatchObject({ dueAt: d[kind].dueAt, filedAt: null, reminded: false, late: false });
    }
    const state = await plain.workflow.getHandle(`monthly-filings:${month}`).query(monthlyFilingsQuery);
    expect(state).toMatchObject({ month, units: UNITS });
    expect(state.filings.map((f) => [f.kind, f.dueAt, f.remindAt, f.reminded, f.closed])).toEqual(
      (['knowledge-base', 'training'] as const).map((k) => [k, d[k].dueAt.toISOString(), d[k].remindAt.toISOString(), false, false]),
    );
  });

  test('第三十一条: reminders before each due time to the units not yet filed, late marks after it, a late filing recorded late', async () => {
    const d = await deadlinesOf(month);
    const kb = d['knowledge-base'];
    const tr = d.training;
    const handle = plain.workflow.getHandle(`monthly-filings:${month}`);

    // The knowledge-base report: 市道路运输局 files before the reminder, with nothing new (第三十一条(三)).
    expect(await file(RTB, 'knowledge-base', kb.assessmentMonth, await env.currentTimeMs())).toMatchObject({ late: false, nothingNew: true });
    await sleepUntil(kb.remindAt.getTime() + SECOND);
    expect(await eventually(() => unitsWhere('knowledge-base', kb.assessmentMonth, (r) => r.reminded), (u) => u.length === 5)).toEqual(UNITS.filter((u) => u !== RTB));
    const reminders = await notificationsOf(UNITS.map((u) => reminderKey(`${u}:knowledge-base:${kb.assessmentMonth}`)));
    expect(reminders.map((n) => [n.kind, n.recipientRole, n.recipientUnit])).toEqual(UNITS.filter((u) => u !== RTB).map((u) => ['monthly-filing-reminder', 'unit', u]));
    expect(reminders[0]!.payload).toMatchObject({ report: '知识库信息月报表', assessmentMonth: kb.assessmentMonth, filingMonth: month, dueAt: kb.dueAt.toISOString() });
    // Nobody is late yet.
    expect(await unitsWhere('knowledge-base', kb.assessmentMonth, (r) => r.late)).toEqual([]);

    // 市港航局 files after the reminder, the day before the due time: on time. (The server's clock runs in real time
    // between sleeps, so nothing here waits on a margin of seconds; the boundary second is checked on the 2026 cases.)
    await sleepUntil(kb.dueAt.getTime() - 86_400_000);
    expect(await file(PSB, 'knowledge-base', kb.assessmentMonth, await env.currentTimeMs())).toMatchObject({ late: false });
    await sleepUntil(kb.dueAt.getTime() + 2 * SECOND);
    const late = [CSC, HC, SD, TEC];
    expect(await eventually(() => unitsWhere('knowledge-base', kb.assessmentMonth, (r) => r.late), (u) => u.length === late.length)).toEqual(late);
    const marks = await notificationsOf([...UNITS.map((u) => lateKey(`${u}:knowledge-base:${kb.assessmentMonth}`)), lateSummaryKey('knowledge-base', kb.assessmentMonth)]);
    expect(marks.map((n) => `${n.recipientRole} ${n.recipientUnit}`).sort()).toEqual([...late.map((u) => `unit ${u}`), `service-division ${SD}`].sort());
    expect(marks.find((n) => n.recipientRole === 'service-division')!.payload).toMatchObject({ units: late, assessmentMonth: kb.assessmentMonth, article: '第三十一条(一)' });
    // The training report is not touched by the knowledge-base report's time.
    expect(await unitsWhere('training', tr.assessmentMonth, (r) => r.late || r.reminded)).toEqual([]);

    // 市公路中心 files after the due time: recorded, and late.
    expect(await file(HC, 'knowledge-base', kb.assessmentMonth, await env.currentTimeMs())).toMatchObject({ late: true, nothingNew: true });

    // The training report: everyone but 市综合服务中心 files before its reminder.
    for (const u of UNITS.filter((x) => x !== CSC)) await file(u, 'training', tr.assessmentMonth, await env.currentTimeMs());
    await sleepUntil(tr.remindAt.getTime() + SECOND);
    expect(await eventually(() => unitsWhere('training', tr.assessmentMonth, (r) => r.reminded), (u) => u.length === 1)).toEqual([CSC]);
    await sleepUntil(tr.dueAt.getTime() + 2 * SECOND);
    const state = (await handle.result()) as MonthlyFilingsState;
    expect(state.filings.map((f) => [f.kind, f.reminded, f.closed])).toEqual([
      ['knowledge-base', true, true],
      ['training', true, true],
    ]);
    expect(await unitsWhere('training', tr.assessmentMonth, (r) => r.late)).toEqual([CSC]);
    expect((await notificationsOf([lateSummaryKey('training', tr.assessmentMonth)]))[0]!.payload).toMatchObject({ units: [CSC], article: '第三十一条(二)' });
    // Every notification was handed to delivery (no webhook here: kept in the outbox as skipped).
    const all = await notificationsOf([...UNITS.map((u) => reminderKey(`${u}:training:${tr.assessmentMonth}`)), lateSummaryKey('training', tr.assessmentMonth)]);
    expect(all.map((n) => n.status)).toEqual(['skipped', 'skipped']);
  });
});

describe('the spec’s 2026 holiday cases: the deadline never moves later (第三十一条(四))', () => {
  // [filing month, report, due time (the end of the last working day on or before the 5th / 20th)]
  const CASES: [string, MonthlyFilingKind, string, string][] = [
    ['2026-05', 'knowledge-base', '2026-04', '2026-05-01T00:00:00+08:00'], // 05-01–05-05 劳动节: by the end of 04-30
    ['2026-10', 'knowledge-base', '2026-09', '2026-10-01T00:00:00+08:00'], // 10-01–10-07 国庆: by the end of 09-30
    ['2026-04', 'knowledge-base', '2026-03', '2026-04-04T00:00:00+08:00'], // 04-04–04-06 清明: by the end of 04-03
    ['2026-02', 'training', '2026-02', '2026-02-15T00:00:00+08:00'], // 02-15–02-23 春节: by the end of the make-up Saturday 02-14
    ['2026-06', 'training', '2026-06', '2026-06-19T00:00:00+08:00'], // 06-19–06-21 端午: by the end of 06-18
  ];

  test.each(CASES)('第三十一条(四): %s %s report (考核月度 %s) is due by %s; filed at that second on time, one second later late; the others marked late', async (month, kind, assessmentMonth, due) => {
    const dueAt = new Date(due);
    // Filed on the 12345 platform by then, confirmed here before the month's workflow ran.
    expect(await file(RTB, kind, assessmentMonth, dueAt)).toMatchObject({ late: false, dueAt });
    expect(await file(PSB, kind, assessmentMonth, dueAt.getTime() + SECOND)).toMatchObject({ late: true, dueAt });

    const state = (await (await start(month)).result()) as MonthlyFilingsState;
    const mine = state.filings.find((f) => f.kind === kind)!;
    expect(mine).toMatchObject({ assessmentMonth, dueAt: dueAt.toISOString(), moved: 'earlier', provisional: false, reminded: false, closed: true });

    const rows = await rowsOf(kind, assessmentMonth);
    expect(rows.map((r) => r.unitId)).toEqual(UNITS);
    for (const r of rows) expect(r.dueAt).toEqual(dueAt);
    // Opened after its due time: no reminder, and everyone who had not filed is late.
    expect(rows.filter((r) => r.reminded)).toEqual([]);
    expect(rows.filter((r) => r.late).map((r) => r.unitId)).toEqual(UNITS.filter((u) => u !== RTB));
    const summary = (await notificationsOf([lateSummaryKey(kind, assessmentMonth)]))[0]!;
    expect(summary).toMatchObject({ recipientRole: 'service-division', payload: expect.objectContaining({ units: [CSC, HC, SD, TEC] }) });

    // Opening the month again (a restarted run) changes nothing and notifies nobody twice.
    const before = await db.notification.count({ where: { idempotencyKey: { contains: `:${kind}:${assessmentMonth}` } } });
    await (await plain.workflow.start('monthlyFilingsWorkflow', { taskQueue, workflowId: `monthly-filings:${month}:again`, args: [{ month }] })).result();
    expect(await db.notification.count({ where: { idempotencyKey: { contains: `:${kind}:${assessmentMonth}` } } })).toBe(before);
    expect(await rowsOf(kind, assessmentMonth)).toEqual(rows);
  });
});

describe('holiday moves still to come, on the statutory calendar (provisional), waited for with timers', () => {
  beforeAll(async () => {
    // The schedule opens a month on the 15th of the month before.
    await sleepUntil(new Date('2030-01-15T01:00:00+08:00'));
  });

  afterAll(async () => {
    await db.calendarOverride.deleteMany({ where: { date: '2030-04-04', name: '测试调整' } });
  });

  test('第三十一条(四): 2030-02 — 02-02–02-05 春节 (statutory): the knowledge-base report is due by the end of Friday 02-01, reminded on 01-31', async () => {
    const handle = await start('2030-02');
    const kb = (await deadlinesOf('2030-02'))['knowledge-base'];
    expect(kb).toMatchObject({ assessmentMonth: '2030-01', dueDate: '2030-02-01', moved: 'earlier', provisional: true });
    expect(kb.dueAt).toEqual(new Date('2030-02-02T00:00:00+08:00'));
    expect(kb.remindAt).toEqual(new Date('2030-01-31T00:00:00+08:00'));
    await eventually(() => rowsOf('knowledge-base', '2030-01'), (r) => r.length === UNITS.length);
    await file(SD, 'knowledge-base', '2030-01', await env.currentTimeMs());

    await sleepUntil(new Date('2030-01-30T23:59:00+08:00'));
    expect(await unitsWhere('knowledge-base', '2030-01', (r) => r.reminded)).toEqual([]);
    await sleepUntil(new Date('2030-01-31T00:00:01+08:00'));
    expect(await eventually(() => unitsWhere('knowledge-base', '2030-01', (r) => r.reminded), (u) => u.length === 5)).toEqual(UNITS.filter((u) => u !== SD));
    await sleepUntil(new Date('2030-02-01T23:59:00+08:00'));
    expect(await unitsWhere('knowledge-base', '2030-01', (r) => r.late)).toEqual([]);
    await sleepUntil(new Date('2030-02-02T00:00:02+08:00'));
    expect(await eventually(() => unitsWhere('knowledge-base', '2030-01', (r) => r.late), (u) => u.length === 5)).toEqual(UNITS.filter((u) => u !== SD));
    await handle.terminate('the training report of 2030-02 is not this test’s');
  });

  test('第三十一条(四): 2030-04 — 04-05 清明 (statutory): due by the end of 04-04; a rest day loaded for 04-04 while the month waits moves it to 04-03', async () => {
    const handle = await start('2030-04');
    const kb = (await deadlinesOf('2030-04'))['knowledge-base'];
    expect(kb).toMatchObject({ assessmentMonth: '2030-03', dueDate: '2030-04-04', moved: 'earlier', provisional: true });
    const rows = await eventually(() => rowsOf('knowledge-base', '2030-03'), (r) => r.length === UNITS.length);
    expect(rows.every((r) => r.dueAt.getTime() === new Date('2030-04-05T00:00:00+08:00').getTime())).toBe(true);

    // An administrator corrects the calendar (CalendarOverride, as PUT /calendar/2030 stores it): 04-04 becomes a rest day.
    await db.calendarOverride.create({ data: { date: '2030-04-04', working: false, name: '测试调整', updatedBy: 'admin' } });
    await sleepUntil(new Date('2030-03-20T12:00:00+08:00'));
    const moved = new Date('2030-04-04T00:00:00+08:00');
    expect(await eventually(() => rowsOf('knowledge-base', '2030-03'), (r) => r.every((x) => x.dueAt.getTime() === moved.getTime()))).toEqual(
      expect.arrayContaining([expect.objectContaining({ dueAt: moved })]),
    );
    // The reminder moves with it (the start of 04-02), and the late mark comes right after the end of 04-03.
    await sleepUntil(new Date('2030-04-01T23:59:00+08:00'));
    expect(await unitsWhere('knowledge-base', '2030-03', (r) => r.reminded)).toEqual([]);
    await sleepUntil(new Date('2030-04-02T00:00:01+08:00'));
    expect(await eventually(() => unitsWhere('knowledge-base', '2030-03', (r) => r.reminded), (u) => u.length === 6)).toEqual(UNITS);
    await sleepUntil(new Date('2030-04-04T00:00:02+08:00'));
    expect(await eventually(() => unitsWhere('knowledge-base', '2030-03', (r) => r.late), (u) => u.length === 6)).toEqual(UNITS);
    const state = await handle.query(monthlyFilingsQuery);
    expect(state.filings.find((f) => f.kind === 'knowledge-base')).toMatchObject({ dueDate: '2030-04-03', reminded: true, closed: true });
    await handle.terminate('the training report of 2030-04 is not this test’s');
  });
});

/**
 * On a real dev server: the time-skipping server has no schedules, and it stops skipping time for good once a child
 * workflow whose parent has closed (ParentClosePolicy.ABANDON, as the schedule's run starts the month) completes.
 */
describe('the monthly-filings schedule', () => {
  const queue = 'monthly-filings-schedule-test';
  let dev: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    dev = await devServerEnv();
    worker = await createWorker({ connection: dev.nativeConnection, namespace: 'default', taskQueue: queue, db });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await dev?.teardown();
  });

  test('第三十一条: created once — on the 15th at 01:00 Asia/Shanghai — and its first run opens the next month at once, once', async () => {
    expect(await ensureMonthlyFilingsSchedule(dev.client, queue)).toBe('created');
    expect(await ensureMonthlyFilingsSchedule(dev.client, queue)).toBe('exists');
    const schedule = await dev.client.schedule.getHandle(MONTHLY_FILINGS_SCHEDULE).describe();
    expect(schedule.spec.timezone).toBe('Asia/Shanghai');
    expect(schedule.spec.calendars).toEqual([expect.objectContaining({ dayOfMonth: [{ start: 15, end: 15, step: 1 }], hour: [{ start: 1, end: 1, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'monthlyFilingsWorkflow', taskQueue: queue, args: [{}] });

    const month = nextMonth(shanghaiDate(new Date()).slice(0, 7));
    const opened = dev.client.workflow.getHandle(`monthly-filings:${month}`);
    const status = await eventually(
      () => opened.describe().then((d) => d.status.name, () => 'NOT_FOUND'),
      (s) => s === 'RUNNING',
    );
    expect(status).toBe('RUNNING');
    // The schedule's run again (a catch-up, or the 15th after an immediate first run): the month is open already.
    const again = await dev.client.workflow.execute('monthlyFilingsWorkflow', { taskQueue: queue, workflowId: 'monthly-filings-opening-again', args: [{}] });
    expect(again).toEqual({ opened: month, started: false, workflowId: `monthly-filings:${month}` });
    await opened.terminate('test over');
    await dev.client.schedule.getHandle(MONTHLY_FILINGS_SCHEDULE).delete();
  });
});
