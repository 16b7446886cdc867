/**
 * The rule layer over HTTP (issue 3, "Interfaces"), through a real express server and the test database: deadline
 * previews (第八条(一)(三)1, 第十一条), the reply check (第十六条), monthly deadlines (第二十八条, 第三十一条), the parameter
 * table with a deployment's RULE_PARAMETERS, and the working calendar an administrator loads — which reaches an open
 * ticket's workflow on a real Temporal dev server and moves its deadline.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { AppDeps } from '../../api/app';
import { bearer, principal } from '../helpers/auth';
import { OPEN_TICKETS_QUERY } from '../../api/policy-service';
import { ConfigError, loadConfig, ruleParameters } from '../../lib/config';
import type { Db } from '../../lib/db';
import { devServerRig, dispatch, eventually } from '../helpers/env';

const taskQueue = 'rules-api-it';
/** Years this file loads and unloads; no other test relies on them. */
const YEARS = [2027, 2028];
let env: TestWorkflowEnvironment;
let db: Db;
let base: string;
let overriddenBase: string;

async function clearYears() {
  for (const year of YEARS) {
    await db.calendarOverride.deleteMany({ where: { date: { startsWith: `${year}-` } } });
    await db.calendarYear.deleteMany({ where: { year } });
  }
}

// Declared before the rig, so it runs before the rig disconnects the database.
afterAll(async () => {
  if (db) await clearYears();
});

const rig = devServerRig(taskQueue);
const listen = (deps: Partial<AppDeps> = {}) => rig.listen(deps);

beforeAll(async () => {
  tokens.staff = await bearer(principal('service-division', ['dispatcher', 'supervisor', 'admin'], 'admin-01'));
  tokens.rtbAcceptor = await bearer(principal('road-transport-bureau', ['acceptor'], 'rtb-01'));
  tokens.handler = await bearer(principal('road-transport-bureau', ['handler'], 'rtb-handler'));
  ({ env, db } = rig);
  await clearYears();
  base = await listen();
  // A deployment that moves the reminder to 80 % of the clock, configured the way bin/api.ts does it.
  overriddenBase = await listen({ params: ruleParameters(loadConfig({ RULE_PARAMETERS: '{"reminderFraction":0.8}' })) });
});

type Reply = { status: number; type: string; body: any };

/** Tokens: 委政务服务处 staff who dispatch, read and administer; an acceptor of 市道路运输局; a handler without admin. */
const tokens = { staff: '', rtbAcceptor: '', handler: '' };

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(url, {
    method,
    headers: { authorization: tokens.staff, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
}

const deadlines = (query: Record<string, string>, at = base) => call('GET', `${at}/api/v1/policy/deadlines?${new URLSearchParams(query)}`);
const putCalendar = (year: number, body: unknown, headers: Record<string, string> = {}) => call('PUT', `${base}/api/v1/calendar/${year}`, body, headers);
const fields = (r: Reply) => (r.body.errors as { field: string }[]).map((e) => e.field).sort();
const utc = (isoWithOffset: string) => new Date(isoWithOffset).toISOString();


describe('GET /api/v1/policy/deadlines', () => {
  test('第十一条(一): a 12345 complaint dispatched 2026-09-30 16:00 is due 2026-10-13 16:00, with every other deadline of the ticket', async () => {
    const res = await deadlines({ channel: '12345', category: 'complaint', dispatchedAt: '2026-09-30T16:00:00+08:00', dispatchedToUnitAt: '2026-09-30T16:10:00+08:00' });
    expect(res.status).toBe(200);
    const d = res.body.deadlines;
    expect(d.handlingDueAt).toEqual({ at: utc('2026-10-13T16:00:00+08:00'), local: '2026-10-13 16:00:00', article: '第十一条(一)' });
    // 第八条(一)(三)1 count from the dispatch to the unit, in natural hours.
    expect(d.acceptanceDueAt).toEqual({ at: utc('2026-09-30T19:10:00+08:00'), local: '2026-09-30 19:10:00', article: '第八条(一)' });
    expect(d.returnWindowEndsAt).toEqual({ at: utc('2026-10-01T16:10:00+08:00'), local: '2026-10-01 16:10:00', article: '第八条(三)1' });
    // 75 % and 90 % of five working days, the National Day holiday skipped.
    expect(d.reminderAt).toMatchObject({ local: '2026-10-12 10:00:00', article: 'spec decision (第十一条)' });
    expect(d.nearDeadlineAt).toMatchObject({ local: '2026-10-13 04:00:00', article: 'spec decision (第二十二条(一))' });
    expect(res.body.sla).toMatchObject({ amount: 5, unit: 'working-days', article: '第十一条(一)', description: '12345热线（含12328电话）投诉类：5个工作日' });
    expect(res.body.provisional).toBe(false);
    expect(res.body.unpublishedYears).toEqual([]);
    expect(res.body.ticket.dispatchedAt).toEqual({ at: utc('2026-09-30T16:00:00+08:00'), local: '2026-09-30 16:00:00' });
  });

  test('第十一条(一): a 12345 consultation dispatched on 2026-10-03 (a holiday) is due at the end of 2026-10-10 (a make-up working day); acceptance counts from dispatchedAt when dispatchedToUnitAt is not given', async () => {
    const res = await deadlines({ channel: '12345', category: 'consultation', dispatchedAt: '2026-10-03T10:00:00+08:00' });
    expect(res.status).toBe(200);
    expect(res.body.deadlines.handlingDueAt).toEqual({ at: utc('2026-10-11T00:00:00+08:00'), local: '2026-10-10 24:00:00', article: '第十一条(一)' });
    expect(res.body.deadlines.acceptanceDueAt.local).toBe('2026-10-03 13:00:00');
    expect(res.body.ticket.dispatchedToUnitAt.at).toBe(utc('2026-10-03T10:00:00+08:00'));
  });

  test('第十一条(一): an urgency label replaces the category limit (特急 1 natural hour)', async () => {
    const res = await deadlines({ channel: '12345', category: 'complaint', urgency: 'critical', dispatchedAt: '2026-10-01T09:00:00+08:00' });
    expect(res.status).toBe(200);
    expect(res.body.deadlines.handlingDueAt.local).toBe('2026-10-01 10:00:00');
    expect(res.body.sla).toMatchObject({ urgency: 'critical', amount: 1, unit: 'hours' });
  });

  test('spec decision "calendar years": a deadline in 2027, whose arrangement is not published, is marked provisional', async () => {
    const res = await deadlines({ channel: '12345', category: 'complaint', dispatchedAt: '2027-03-01T09:00:00+08:00' });
    expect(res.status).toBe(200);
    expect(res.body.provisional).toBe(true);
    expect(res.body.unpublishedYears).toEqual([2027]);
    expect(res.body.deadlines.handlingDueAt.local).toBe('2027-03-08 09:00:00');
  });

  test('an offset typed into a URL as "+08:00" (which arrives as a space) is read as the offset', async () => {
    const res = await call('GET', `${base}/api/v1/policy/deadlines?channel=12345&category=complaint&dispatchedAt=2026-09-30T16:00:00+08:00`);
    expect(res.status).toBe(200);
    expect(res.body.deadlines.handlingDueAt.local).toBe('2026-10-13 16:00:00');
  });

  test('a bad query is a 400 problem naming each bad field', async () => {
    const res = await deadlines({ channel: 'fax', category: 'complaint', dispatchedAt: '2026-09-30 16:00' });
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(fields(res)).toEqual(['channel', 'dispatchedAt']);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'dispatchedAt').message).toContain('offset');

    const crossField = await deadlines({ channel: 'zmlj', category: 'report', urgency: 'urgent', dispatchedAt: '2026-09-30T16:00:00+08:00', dispatchedToUnitAt: '2026-09-30T15:00:00+08:00' });
    expect(crossField.status).toBe(400);
    expect(fields(crossField)).toEqual(['category', 'dispatchedToUnitAt', 'urgency']);

    const missing = await call('GET', `${base}/api/v1/policy/deadlines?channel=12345&category=complaint&colour=red`);
    expect(missing.status).toBe(400);
    expect(fields(missing)).toEqual(['(body)', 'dispatchedAt']);
    expect(missing.body.errors.find((e: { field: string }) => e.field === '(body)').message).toContain('colour');
  });
});

describe('POST /api/v1/policy/reply-check', () => {
  const FULL =
    '2026年10月9日14时30分，市道路运输局工作人员张伟（联系电话：022-23456789）与反映人电话联系。经核实，反映人于10月8日乘坐津B12345出租车时遭拒载属实。' +
    '我局已对涉事驾驶员作出罚款200元的行政处罚，并责令所属企业加强驾驶员教育。问题已解决，反映人表示满意。';

  test('第十六条(四): "已联系" instead of a result is caught, with every missing item of (一), as a 200 preview', async () => {
    const res = await call('POST', `${base}/api/v1/policy/reply-check`, { text: '您好，我单位已联系反映人。' });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    const rules = res.body.violations.map((v: { article: string; rule: string }) => `${v.article} ${v.rule}`);
    expect(rules).toContain('第十六条(四) reply.closing-phrase');
    expect(rules).toEqual(expect.arrayContaining(['第十六条(一) reply.missing.contactTime', '第十六条(一) reply.missing.staff', '第十六条(一) reply.missing.phone']));
    expect(res.body.analysis.closingPhrases).toEqual(['已联系反映人']);
  });

  test('第十六条: a full reply passes, and the analysis shows where each item was found', async () => {
    const res = await call('POST', `${base}/api/v1/policy/reply-check`, { text: FULL });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, violations: [] });
    expect(res.body.analysis.concreteResult).toBe(true);
    expect(res.body.analysis.elements.phone).toEqual({ present: true, from: 'text', evidence: '022-23456789' });
  });

  test('第十六条(一)(三): structured fields count as the items of (一), and the ticket’s own return reason is caught as the result', async () => {
    const reason = '该小区内部道路停车收费属于物业管理事项，建议转区住建委办理。';
    const res = await call('POST', `${base}/api/v1/policy/reply-check`, {
      text: `经核实，${reason}`,
      contactedAt: '2026-10-09T14:30:00+08:00',
      staffName: '张伟',
      staffPhone: '022-23456789',
      reporterFeedback: '反映人表示理解。',
      returnReasons: [reason],
    });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    const rules = res.body.violations.map((v: { rule: string }) => v.rule);
    expect(rules).toContain('reply.return-reason-as-result');
    expect(rules.filter((r: string) => r.startsWith('reply.missing'))).toEqual([]);
    expect(res.body.analysis.elements.contactTime).toEqual({ present: true, from: 'field' });
    expect(res.body.violations.find((v: { rule: string }) => v.rule === 'reply.return-reason-as-result')).toMatchObject({ article: '第十六条(三)', field: 'result' });
  });

  test('an empty draft or a bad field is a 400 naming the field', async () => {
    const empty = await call('POST', `${base}/api/v1/policy/reply-check`, {});
    expect(empty.status).toBe(400);
    expect(fields(empty)).toEqual(['text']);
    const bad = await call('POST', `${base}/api/v1/policy/reply-check`, { text: FULL, contactedAt: '10月9日', returnReasons: 'x' });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['contactedAt', 'returnReasons']);
  });
});

describe('GET /api/v1/policy/monthly/:month', () => {
  test('第三十一条(一)(四): the knowledge-base report of 2026-05 is due by the end of 2026-04-30 (moved earlier over Labour Day)', async () => {
    const res = await call('GET', `${base}/api/v1/policy/monthly/2026-05`);
    expect(res.status).toBe(200);
    expect(res.body.knowledgeBaseReport).toMatchObject({
      assessmentMonth: '2026-04',
      dueDate: '2026-04-30',
      dueAt: { at: utc('2026-05-01T00:00:00+08:00'), local: '2026-04-30 24:00:00' },
      moved: 'earlier',
      article: '第三十一条(一)(四)',
    });
    // 第三十一条: the owing units, as unit ids from the one unit table.
    expect(res.body.reportingUnits.map((u: { name: string }) => u.name).sort()).toEqual(['市道路运输局', '市港航局', '市交通运输执法总队', '委政务服务处', '市公路中心', '市综合服务中心'].sort());
    expect(res.body.reportingUnits.map((u: { id: string }) => u.id)).toContain('road-transport-bureau');
  });

  test('第二十八条: the appeal package of 2026-10 is due by the end of 2026-10-08 (postponed after the National Day holiday)', async () => {
    const res = await call('GET', `${base}/api/v1/policy/monthly/2026-10`);
    expect(res.status).toBe(200);
    expect(res.body.appealPackage).toMatchObject({ assessmentMonth: '2026-09', dueDate: '2026-10-08', dueAt: { local: '2026-10-08 24:00:00' }, moved: 'later', article: '第二十八条' });
  });

  test('a bad month is a 400 naming the path parameter', async () => {
    for (const month of ['2026-13', 'May-2026', '1999-05']) {
      const res = await call('GET', `${base}/api/v1/policy/monthly/${month}`);
      expect(res.status).toBe(400);
      expect(res.type).toContain('application/problem+json');
      expect(fields(res)).toEqual(['month']);
    }
  });
});

describe('GET /api/v1/policy/parameters and RULE_PARAMETERS', () => {
  test('the parameter table lists each value with unit, article, effective date and description', async () => {
    const res = await call('GET', `${base}/api/v1/policy/parameters`);
    expect(res.status).toBe(200);
    expect(res.body.regulation).toBe('津交发〔2023〕118号');
    const byName = Object.fromEntries(res.body.parameters.map((p: { name: string }) => [p.name, p]));
    expect(byName.acceptanceHours).toEqual(expect.objectContaining({ value: 3, unit: 'hours', article: '第八条(一)', effectiveFrom: '2023-06-01', overridden: false }));
    expect(byName.handlingLimits.value['12345'].complaint).toEqual({ amount: 5, unit: 'working-days' });
    expect(byName.appealPackageDay).toMatchObject({ value: 6, article: '第二十八条' });
    for (const p of res.body.parameters) {
      expect(p.article).toMatch(/第.+条/);
      expect(p.description.length).toBeGreaterThan(5);
      expect(p.overridden).toBe(false);
    }
  });

  test('a deployment’s override is in force: listed as overridden, and it moves the reminder of a ticket', async () => {
    const res = await call('GET', `${overriddenBase}/api/v1/policy/parameters`);
    const byName = Object.fromEntries(res.body.parameters.map((p: { name: string }) => [p.name, p]));
    expect(byName.reminderFraction).toMatchObject({ value: 0.8, overridden: true, article: 'spec decision (第十一条)' });
    expect(res.body.parameters.filter((p: { overridden: boolean }) => p.overridden).map((p: { name: string }) => p.name)).toEqual(['reminderFraction']);
    const q = { channel: '12345', category: 'complaint', dispatchedAt: '2026-09-30T16:00:00+08:00' };
    expect((await deadlines(q, overriddenBase)).body.deadlines.reminderAt.local).toBe('2026-10-12 16:00:00');
    expect((await deadlines(q)).body.deadlines.reminderAt.local).toBe('2026-10-12 10:00:00');
  });

  test('a bad RULE_PARAMETERS stops start-up naming the variable and the parameter', () => {
    const attempt = (value: string) => () => ruleParameters(loadConfig({ RULE_PARAMETERS: value }));
    expect(attempt('{"reminderFraction":1.5}')).toThrow(ConfigError);
    expect(attempt('{"reminderFraction":1.5}')).toThrow(/RULE_PARAMETERS: reminderFraction/);
    expect(attempt('{"handlingLimits":{"zmlj":{"report":{"amount":3}}}}')).toThrow(/RULE_PARAMETERS: .*handlingLimits\.zmlj/);
    expect(attempt('{"reminderFraction":0.95}')).toThrow(/supervisionNearDeadlineFraction/);
    expect(attempt('reminderFraction=0.8')).toThrow(/RULE_PARAMETERS: must be a JSON object/);
    expect(ruleParameters(loadConfig({ RULE_PARAMETERS: '' })).reminderFraction.value).toBe(0.75);
  });
});

describe('GET|PUT /api/v1/calendar/:year', () => {
  test('第十一条: 2026 is published by the data package, with its holidays and make-up working days', async () => {
    const res = await call('GET', `${base}/api/v1/calendar/2026`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2026, published: true, provisional: false, inDataPackage: true, loaded: null });
    const day = (date: string) => res.body.days.find((d: { date: string }) => d.date === date);
    expect(day('2026-10-01')).toMatchObject({ working: false, kind: 'holiday', source: 'published' });
    expect(day('2026-10-10')).toMatchObject({ working: true, kind: 'make-up-workday' });
    expect(day('2026-10-12')).toBeUndefined();
  });

  test('a year without an arrangement is provisional, with the statutory holidays (2027-01-01 is a holiday)', async () => {
    const res = await call('GET', `${base}/api/v1/calendar/2027`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2027, published: false, provisional: true, inDataPackage: false });
    expect(res.body.days[0]).toMatchObject({ date: '2027-01-01', working: false, name: '元旦', source: 'statutory-provisional', provisional: true });
    const bad = await call('GET', `${base}/api/v1/calendar/twenty`);
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['year']);
  });

  test('PUT without a token is a 401 problem, by a non-administrator a 403, and nothing changes', async () => {
    const res = await putCalendar(2027, { published: true, days: [] }, { authorization: '' });
    expect(res.status).toBe(401);
    expect(res.type).toContain('application/problem+json');
    const notAdmin = await putCalendar(2027, { published: true, days: [] }, { authorization: tokens.handler });
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body.detail).toContain('admin');
    expect((await call('GET', `${base}/api/v1/calendar/2027`)).body.published).toBe(false);
  });

  test('PUT with bad days is a 400 naming each day (days.N.date), and nothing is stored', async () => {
    const res = await putCalendar(2027, {
      published: true,
      days: [
        { date: '2027-01-01', working: false, name: '元旦' },
        { date: '2026-12-31', working: false },
        { date: '2027-02-30', working: false },
        { date: '2027-01-01', working: true },
        { date: '2027-03-01', working: 'no' },
      ],
    });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['days.1.date', 'days.2.date', 'days.3.date', 'days.4.working']);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'days.3.date').message).toContain('days.0');
    expect(await db.calendarOverride.count({ where: { date: { startsWith: '2027-' } } })).toBe(0);
    expect(await db.calendarYear.count({ where: { year: 2027 } })).toBe(0);
  });

  test('PUT loads 2027: published, the overridden day a holiday, and a deadline across it no longer provisional and one day later; unloading restores it', async () => {
    const q = { channel: '12345', category: 'complaint', dispatchedAt: '2027-03-01T09:00:00+08:00' };
    const res = await putCalendar(2027, {
      published: true,
      days: [
        { date: '2027-01-01', working: false, name: '元旦' },
        { date: '2027-03-03', working: false, name: '临时休息日' },
      ],
      note: '国办发明电〔2026〕号 测试',
    });
    expect(res.status).toBe(200);
    expect(res.body.calendar).toMatchObject({ year: 2027, published: true, provisional: false, loaded: { by: 'admin-01', note: '国办发明电〔2026〕号 测试' } });
    expect(res.body.calendar.days).toEqual([
      expect.objectContaining({ date: '2027-01-01', working: false, name: '元旦', source: 'override', provisional: false }),
      expect.objectContaining({ date: '2027-03-03', working: false, kind: 'holiday', name: '临时休息日', source: 'override' }),
    ]);
    expect(typeof res.body.signalled).toBe('number');
    expect((await call('GET', `${base}/api/v1/calendar/2027`)).body).toEqual(res.body.calendar);

    const after = await deadlines(q);
    expect(after.body.provisional).toBe(false);
    expect(after.body.unpublishedYears).toEqual([]);
    expect(after.body.deadlines.handlingDueAt.local).toBe('2027-03-09 09:00:00');

    // Replacing, not merging: a second PUT without the holiday takes it away, and published: false unloads the year.
    const unloaded = await putCalendar(2027, { published: false, days: [] });
    expect(unloaded.status).toBe(200);
    expect(unloaded.body.calendar).toMatchObject({ published: false, provisional: true, loaded: null });
    expect(await db.calendarOverride.count({ where: { date: { startsWith: '2027-' } } })).toBe(0);
    const restored = await deadlines(q);
    expect(restored.body).toMatchObject({ provisional: true, deadlines: { handlingDueAt: { local: '2027-03-08 09:00:00' } } });
  });

  test('PUTs of one year at the same time do not mix: the year ends as exactly one of them', async () => {
    const variant = (month: string) => ({
      published: true,
      days: Array.from({ length: 20 }, (_, i) => ({ date: `2027-${month}-${String(i + 1).padStart(2, '0')}`, working: false, name: `v${month}` })),
    });
    const answers = await Promise.all(['04', '05', '06', '07'].map((m) => putCalendar(2027, variant(m))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const stored = await db.calendarOverride.findMany({ where: { date: { startsWith: '2027-' } } });
    expect(stored).toHaveLength(20);
    expect(new Set(stored.map((o) => o.name)).size).toBe(1);
    expect((await putCalendar(2027, { published: false, days: [] })).status).toBe(200);
  });
});

describe('a calendar load reaches open tickets (real Temporal dev server and worker)', () => {
  test('spec decision "calendar years": loading 2028 with a holiday moves an accepted ticket’s due date and records deadlines-recomputed', async () => {
    // 5 working days from Wednesday 2028-03-01 09:00: provisional, due Wednesday 2028-03-08 09:00.
    const d = dispatch({ dispatchedAt: '2028-03-01T09:00:00+08:00', dispatchedToUnitAt: '2028-03-01T09:05:00+08:00' });
    // Dispatch times are never in the future (spec decision): this platform's clock reads 2028-03-01 10:00.
    const in2028 = await listen({ now: () => Date.parse('2028-03-01T10:00:00+08:00') });
    expect((await call('POST', `${in2028}/api/v1/tickets`, d)).status).toBe(201);
    const accepted = await call('POST', `${base}/api/v1/tickets/${d.ticketNo}/accept`, {}, { authorization: tokens.rtbAcceptor });
    expect(accepted.status).toBe(200);
    const before = await eventually(
      () => call('GET', `${base}/api/v1/tickets/${d.ticketNo}`),
      (r) => r.body.status === 'accepted' && r.body.deadlines.dueAt !== null,
    );
    expect(before.body.deadlines).toMatchObject({ dueAt: utc('2028-03-08T09:00:00+08:00'), provisional: true });
    // The administrator's PUT finds open tickets through visibility; wait until the ticket is listed there.
    await eventually(
      async () => {
        const ids: string[] = [];
        for await (const wf of env.client.workflow.list({ query: OPEN_TICKETS_QUERY })) ids.push(wf.workflowId);
        return ids;
      },
      (ids) => ids.includes(d.ticketNo),
    );

    const put = await putCalendar(2028, { published: true, days: [{ date: '2028-03-02', working: false, name: '临时休息日' }] });
    expect(put.status).toBe(200);
    expect(put.body.signalled).toBeGreaterThanOrEqual(1);

    const after = await eventually(
      () => call('GET', `${base}/api/v1/tickets/${d.ticketNo}`),
      (r) => r.body.events.some((e: { type: string }) => e.type === 'deadlines-recomputed'),
    );
    expect(after.body.deadlines).toMatchObject({ dueAt: utc('2028-03-09T09:00:00+08:00'), provisional: false });
    const recomputed = after.body.events.find((e: { type: string }) => e.type === 'deadlines-recomputed');
    expect(recomputed).toMatchObject({ actor: 'system', payload: { years: [2028], previousDueAt: utc('2028-03-08T09:00:00+08:00'), dueAt: utc('2028-03-09T09:00:00+08:00'), provisional: false } });
    const row = await db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } });
    expect(row.dueAt?.toISOString()).toBe(utc('2028-03-09T09:00:00+08:00'));
  });
});
