/**
 * Issue 9 "Revisits" (第十七条–第二十一条) end to end, against a real Temporal dev server, a worker and PostgreSQL:
 * tickets are closed through the API, the day's draw (activities/revisit-sampling.ts, every closed ticket drawn) turns
 * them into revisit tasks, and the revisitors work the tasks through HTTP — the scoped work list, a skip on a ground
 * of 第十九条, the revisit's result (第二十条) with the reopen it proposes (第十七条), and the decision on it.
 */
import type { Role } from '../../api/auth';
import type { Dispatch } from '../../api/schemas';
import type { Db } from '../../lib/db';
import { createRevisitSamplingActivities } from '../../activities/revisit-sampling';
import { withOverrides } from '../../rules/parameters';
import { shanghaiDate } from '../../rules/time';
import { bearer, principal } from '../helpers/auth';
import { devServerRig, dispatch, eventually } from '../helpers/env';

const taskQueue = 'api-revisits';
const RTB = 'road-transport-bureau';
const PSB = 'port-shipping-bureau';
const SD = 'service-division';
const rig = devServerRig(taskQueue);
let db: Db;
let base: string;

const T: Record<string, string> = {};

interface Answer {
  status: number;
  type: string;
  text: string;
  body: any;
}

async function call(method: string, path: string, who: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: T[who]!, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: parsed };
}

async function ok(method: string, path: string, who: string, body?: unknown): Promise<any> {
  const a = await call(method, path, who, body);
  if (a.status >= 300) throw new Error(`${method} ${path} as ${who}: ${a.status} ${a.text}`);
  return a.body;
}

/** A reply that passes all six rules of 第十六条 (test/api/end-to-end.test.ts). */
function fullReply(contactedAt: string) {
  return {
    text:
      '市道路运输局工作人员李明（联系电话022-23456789）于2026年11月28日10时30分电话联系反映人。经调查核实，涉事出租车司机拒载属实，' +
      '执法人员已依据《天津市客运出租汽车管理条例》对驾驶员处以罚款200元并扣减服务质量信誉考核分。反映人表示对处理结果满意。',
    contactedAt,
    staffName: '李明',
    staffPhone: '022-23456789',
    process: '经调查核实，涉事出租车司机拒载属实',
    result: '依据《天津市客运出租汽车管理条例》对驾驶员处以罚款200元并扣减服务质量信誉考核分',
    reporterFeedback: '反映人表示对处理结果满意',
  };
}

/**
 * A ticket closed through the API: dispatched (reaching the unit ten minutes ago), accepted, assigned, the reporter
 * reached now (after the arrival), the reply stating that contact's time, approved. Returns the ticket once closed.
 */
async function closedTicket(overrides: Partial<Dispatch> = {}): Promise<{ ticketNo: string; unitId: string; closedAt: string }> {
  const now = Date.now();
  const d = dispatch({ dispatchedAt: new Date(now - 11 * 60_000).toISOString(), dispatchedToUnitAt: new Date(now - 10 * 60_000).toISOString(), ...overrides });
  const unit = d.unitId === RTB ? 'rtb' : 'psb';
  const no = d.ticketNo;
  await ok('POST', '/api/v1/tickets', 'dispatcher', d);
  await ok('POST', `/api/v1/tickets/${no}/accept`, `${unit}Acceptor`, {});
  await ok('POST', `/api/v1/tickets/${no}/assign`, `${unit}Acceptor`, { departmentIds: [unit === 'rtb' ? 'passenger-division' : DEPARTMENT_PSB] });
  const contactedAt = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  await ok('POST', `/api/v1/tickets/${no}/contacts`, `${unit}Handler`, { at: contactedAt, staffName: '李明', method: 'phone', reached: true, outcome: '已向反映人了解情况' });
  await ok('POST', `/api/v1/tickets/${no}/reply`, `${unit}Handler`, fullReply(contactedAt));
  await ok('POST', `/api/v1/tickets/${no}/reply/review`, `${unit}Reviewer`, { approved: true });
  const closed = await eventually(() => call('GET', `/api/v1/tickets/${no}`, 'sdSupervisor'), (a) => a.body?.status === 'closed' && !!a.body?.closedAt);
  if (closed.body?.status !== 'closed') throw new Error(`ticket ${no} did not close: ${closed.text.slice(0, 300)}`);
  return { ticketNo: no, unitId: d.unitId, closedAt: closed.body.closedAt };
}

/** The platform's rating of a closed ticket (spec decision "satisfaction"), once the read model has it. */
async function rate(ticketNo: string, satisfaction: 'satisfied' | 'basically-satisfied' | 'unsatisfied'): Promise<void> {
  await ok('POST', `/api/v1/tickets/${ticketNo}/rating`, 'dispatcher', { ratingId: `rating-${ticketNo}`, satisfaction, words: '对处理结果不满意', ratedAt: new Date().toISOString() });
  const row = await eventually(() => db.ticket.findUnique({ where: { ticketNo }, select: { satisfaction: true } }), (r) => r?.satisfaction === satisfaction);
  if (row?.satisfaction !== satisfaction) throw new Error(`the rating of ${ticketNo} did not reach the read model`);
}

/** A handling department of 市港航局. */
const DEPARTMENT_PSB = 'port-operations-division';

interface TaskView {
  id: string;
  ticketNo: string;
  day: string;
  sampler: string;
  orderedBy: string;
  unitId: string;
  status: string;
  exemptions: { rule: string; article: string; reason: string }[];
  skip: { ground: string; exemption: { rule: string; article: string } | null; note: string | null; by: string | null; at: string | null } | null;
  result: Record<string, unknown> | null;
  suggestion: { rule: string; article: string; reason: string }[] | null;
  suggestionDecision: { decision: string; by: string; at: string } | null;
}

/** Every page of the work list for `who`. */
async function workList(who: string, query = '', limit = 200): Promise<TaskView[]> {
  const items: TaskView[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const qs = new URLSearchParams(query);
    qs.set('limit', String(limit));
    if (cursor) qs.set('cursor', cursor);
    const a = await call('GET', `/api/v1/revisits?${qs}`, who);
    expect([a.status, a.text.slice(0, 200)]).toEqual([200, expect.any(String)]);
    expect(a.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...a.body.items);
    cursor = a.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('more than 1000 pages');
}

/** The tickets of this file: what each is for. */
const t: Record<'confirm' | 'dismiss' | 'superseded' | 'anonymous' | 'ratedLate' | 'named' | 'psb', { ticketNo: string; unitId: string; closedAt: string }> = {} as never;
let tasks: TaskView[] = [];
const taskOf = (ticket: keyof typeof t, sampler: string): TaskView => {
  const found = tasks.find((x) => x.ticketNo === t[ticket].ticketNo && x.sampler === sampler);
  if (!found) throw new Error(`no task of ${sampler} for ${t[ticket].ticketNo}`);
  return found;
};
const mine = (items: TaskView[]) => items.filter((i) => Object.values(t).some((x) => x.ticketNo === i.ticketNo));

beforeAll(async () => {
  ({ db } = rig);
  base = await rig.listen({ rateLimitPerMinute: 100_000 });
  const tokens: [string, string, Role, string][] = [
    ['dispatcher', 'hotline-platform', 'dispatcher', 'platform-bridge'],
    ['rtbAcceptor', RTB, 'acceptor', 'rtb-acceptor'],
    ['rtbHandler', RTB, 'handler', 'rtb-handler'],
    ['rtbReviewer', RTB, 'reviewer', 'rtb-reviewer'],
    ['rtbRevisitor', RTB, 'revisitor', 'rtb-revisitor'],
    ['rtbSupervisor', RTB, 'supervisor', 'rtb-supervisor'],
    ['psbAcceptor', PSB, 'acceptor', 'psb-acceptor'],
    ['psbHandler', PSB, 'handler', 'psb-handler'],
    ['psbReviewer', PSB, 'reviewer', 'psb-reviewer'],
    ['psbRevisitor', PSB, 'revisitor', 'psb-revisitor'],
    ['hcRevisitor', 'highway-center', 'revisitor', 'hc-revisitor'],
    ['sdRevisitor', SD, 'revisitor', 'sd-revisitor'],
    ['sdSupervisor', SD, 'supervisor', 'sd-supervisor'],
    ['sdAdmin', SD, 'admin', 'sd-admin'],
  ];
  for (const [key, unit, role, user] of tokens) T[key] = await bearer(principal(unit, [role], user));

  // Each named reporter their own number, so that no ticket of this file or another is related to these (第二十二条(二)).
  const named = () => ({ anonymous: false as const, name: '张三', phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` });
  const [confirm, dismiss, superseded, anonymous, ratedLate, namedTicket, psb] = await Promise.all([
    closedTicket({ reporter: named() }),
    closedTicket({ reporter: named() }),
    closedTicket({ reporter: named() }),
    closedTicket({ reporter: { anonymous: true } }),
    closedTicket({ reporter: { anonymous: true } }),
    closedTicket({ reporter: named() }),
    closedTicket({ unitId: PSB, reporter: named() }),
  ]);
  Object.assign(t, { confirm: confirm!, dismiss: dismiss!, superseded: superseded!, anonymous: anonymous!, ratedLate: ratedLate!, named: namedTicket!, psb: psb! });

  // The platform rated the anonymous ticket unsatisfied (spec decision "satisfaction") before the morning's draw.
  await rate(t.anonymous.ticketNo, 'unsatisfied');

  // The morning's draw of the days the tickets closed, every closed ticket drawn (rate 1).
  const { drawRevisitSamples } = createRevisitSamplingActivities(db, withOverrides({ revisitSampleRateServiceDivision: 1, revisitSampleRateUnit: 1 }));
  for (const day of new Set(Object.values(t).map((x) => shanghaiDate(new Date(x.closedAt))))) await drawRevisitSamples({ day });
  tasks = mine(await workList('sdSupervisor'));
}, 240_000);

// ---------------------------------------------------------------------------------------------------------------

describe('the draw and the work list', () => {
  test('第十七条 each closed ticket is drawn by 委政务服务处 and by its own unit: one open task each, with the ticket’s unit', () => {
    for (const key of Object.keys(t) as (keyof typeof t)[]) {
      const own = t[key].unitId;
      const of = tasks.filter((x) => x.ticketNo === t[key].ticketNo);
      expect(of.map((x) => x.sampler).sort()).toEqual([own, SD].sort());
      for (const x of of) {
        expect(x).toMatchObject({ unitId: own, status: 'open', day: shanghaiDate(new Date(t[key].closedAt)), skip: null, result: null, suggestion: null, suggestionDecision: null });
        expect(x.orderedBy).toBe(x.sampler === SD ? 'service-division' : 'unit');
      }
    }
  });

  test('第十九条(三) the anonymous ticket rated unsatisfied carries the anonymous exemption from the record; the others none', () => {
    for (const sampler of [SD, RTB]) {
      expect(taskOf('anonymous', sampler).exemptions.map((f) => [f.rule, f.article])).toEqual([['revisit.exempt.anonymous', '第十九条(三)']]);
      expect(taskOf('named', sampler).exemptions).toEqual([]);
      // Anonymous, but not rated (yet): 第十九条 exempts only unsatisfied tickets.
      expect(taskOf('ratedLate', sampler).exemptions).toEqual([]);
    }
  });

  test('a retried draw creates no task twice', async () => {
    const { drawRevisitSamples } = createRevisitSamplingActivities(db, withOverrides({ revisitSampleRateServiceDivision: 1, revisitSampleRateUnit: 1 }));
    await drawRevisitSamples({ day: shanghaiDate(new Date(t.confirm.closedAt)) });
    const again = mine(await workList('sdSupervisor'));
    expect(again.map((x) => x.id).sort()).toEqual(tasks.map((x) => x.id).sort());
  });

  test('委政务服务处 sees every task (revisitor, supervisor, admin alike)', async () => {
    for (const who of ['sdRevisitor', 'sdSupervisor', 'sdAdmin']) expect(mine(await workList(who)).map((x) => x.id).sort()).toEqual(tasks.map((x) => x.id).sort());
  });

  test('a unit sees the tasks it drew and those of its own tickets, never another unit’s', async () => {
    const rtb = mine(await workList('rtbRevisitor'));
    const rtbTickets = [t.confirm, t.dismiss, t.superseded, t.anonymous, t.ratedLate, t.named].map((x) => x.ticketNo);
    // Its own draw and 委政务服务处's draw of its tickets; nothing of 市港航局's ticket.
    expect(rtb.map((x) => x.id).sort()).toEqual(tasks.filter((x) => rtbTickets.includes(x.ticketNo)).map((x) => x.id).sort());
    expect((await workList('rtbRevisitor')).every((x) => x.sampler === RTB || x.unitId === RTB)).toBe(true);
    // A supervisor of the unit reads the same list.
    expect(mine(await workList('rtbSupervisor')).map((x) => x.id).sort()).toEqual(rtb.map((x) => x.id).sort());

    const psb = mine(await workList('psbRevisitor'));
    expect(psb.map((x) => x.id).sort()).toEqual(tasks.filter((x) => x.ticketNo === t.psb.ticketNo).map((x) => x.id).sort());
    // A unit whose tickets were not drawn sees none of these.
    expect(mine(await workList('hcRevisitor'))).toEqual([]);
    // The unit filter cannot widen a unit's view.
    expect(mine(await workList('rtbRevisitor', `unit=${PSB}`))).toEqual([]);
  });

  test('filters, and cursor pagination that returns every task once', async () => {
    const rtbOnly = await workList('sdSupervisor', `unit=${RTB}&status=open`);
    expect(rtbOnly.every((x) => x.unitId === RTB && x.status === 'open')).toBe(true);
    const paged = await workList('sdSupervisor', '', 2);
    const whole = await workList('sdSupervisor');
    expect(paged.map((x) => x.id)).toEqual(whole.map((x) => x.id));
    expect(new Set(paged.map((x) => x.id)).size).toBe(paged.length);
  });

  test('who may read it, and bad queries: 403 for other roles, 400 naming the field', async () => {
    expect((await call('GET', '/api/v1/revisits', 'rtbHandler')).status).toBe(403);
    for (const [query, field] of [
      ['status=bogus', 'status'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      ['sort=dueAt', undefined],
    ] as const) {
      const a = await call('GET', `/api/v1/revisits?${query}`, 'sdSupervisor');
      expect([query, a.status]).toEqual([query, 400]);
      expect(a.type).toMatch(/^application\/problem\+json/);
      if (field) expect(a.body.errors.some((e: { field: string }) => e.field === field || e.field.startsWith(`${field}.`))).toBe(true);
    }
  });
});

describe('skipping a revisit (第十九条)', () => {
  test('the anonymous ground on the anonymous ticket rated unsatisfied is accepted, recorded, and on the ticket’s audit trail', async () => {
    const task = taskOf('anonymous', RTB);
    const a = await call('POST', `/api/v1/revisits/${task.id}/skip`, 'rtbRevisitor', { ground: 'anonymous', note: '反映人匿名，无法回访' });
    expect([a.status, a.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
    expect(a.body).toMatchObject({
      id: task.id,
      status: 'skipped',
      skip: { ground: 'anonymous', exemption: { rule: 'revisit.exempt.anonymous', article: '第十九条(三)' }, note: '反映人匿名，无法回访', by: 'rtb-revisitor', at: expect.any(String) },
      result: null,
    });
    const row = await db.revisitTask.findUniqueOrThrow({ where: { id: BigInt(task.id) } });
    expect([row.status, row.skipGround, row.decidedBy]).toEqual(['skipped', 'anonymous', 'rtb-revisitor']);
    const history = await call('GET', `/api/v1/tickets/${t.anonymous.ticketNo}/history`, 'rtbRevisitor');
    expect(history.body.events.some((e: { type: string; payload: { text?: string } }) => e.type === 'note' && e.payload.text?.includes('第十九条(三)'))).toBe(true);
    // Once skipped, the task takes no other decision.
    const again = await call('POST', `/api/v1/revisits/${task.id}/skip`, 'rtbRevisitor', { ground: 'anonymous', note: '重复提交' });
    expect(again.status).toBe(409);
    expect((await call('POST', `/api/v1/revisits/${task.id}/result`, 'rtbRevisitor', { satisfaction: 'satisfied', note: '反映人表示满意' })).status).toBe(409);
  });

  test('a ground that does not apply is refused with 422 naming 第十九条 and the field, and the task stays open', async () => {
    const task = taskOf('named', RTB);
    const anonymous = await call('POST', `/api/v1/revisits/${task.id}/skip`, 'rtbRevisitor', { ground: 'anonymous', note: '反映人匿名' });
    expect(anonymous.status).toBe(422);
    expect(anonymous.type).toMatch(/^application\/problem\+json/);
    expect(anonymous.body.violations).toEqual([expect.objectContaining({ rule: 'revisit.skip.ground', article: '第十九条(三)', field: 'ground', reason: expect.any(String) })]);
    // The policy and unreasonable-demand grounds are the revisitor's finding, but only for a ticket rated unsatisfied.
    for (const [ground, article] of [
      ['policy-explained', '第十九条(一)'],
      ['unreasonable-demand', '第十九条(二)'],
    ] as const) {
      const a = await call('POST', `/api/v1/revisits/${task.id}/skip`, 'rtbRevisitor', { ground, note: '已耐心解释相关政策' });
      expect([ground, a.status]).toEqual([ground, 422]);
      expect(a.body.violations[0]).toMatchObject({ article, field: 'ground' });
      expect(a.body.violations[0].article).toMatch(/^第十九条/);
    }
    expect((await db.revisitTask.findUniqueOrThrow({ where: { id: BigInt(task.id) } })).status).toBe('open');
  });

  test('an anonymous ticket rated unsatisfied after the draw: the anonymous ground applies from the record as it now is', async () => {
    const task = taskOf('ratedLate', SD);
    const before = await call('POST', `/api/v1/revisits/${task.id}/skip`, 'sdRevisitor', { ground: 'anonymous', note: '反映人匿名' });
    expect(before.status).toBe(422);
    expect(before.body.violations[0]).toMatchObject({ article: '第十九条(三)', field: 'ground' });
    await rate(t.ratedLate.ticketNo, 'unsatisfied');
    const after = await call('POST', `/api/v1/revisits/${task.id}/skip`, 'sdRevisitor', { ground: 'anonymous', note: '反映人匿名' });
    expect([after.status, after.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
    expect(after.body).toMatchObject({ status: 'skipped', skip: { ground: 'anonymous', exemption: { article: '第十九条(三)' } } });
  });

  test('on a ticket rated unsatisfied, the revisitor’s finding of an unreasonable demand (第十九条(二)) is a ground', async () => {
    await rate(t.named.ticketNo, 'unsatisfied');
    const task = taskOf('named', SD);
    const a = await call('POST', `/api/v1/revisits/${task.id}/skip`, 'sdRevisitor', { ground: 'unreasonable-demand', note: '诉求超出法定范围，已说明' });
    expect([a.status, a.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
    expect(a.body).toMatchObject({ status: 'skipped', skip: { ground: 'unreasonable-demand', exemption: { rule: 'revisit.exempt.unreasonable-demand', article: '第十九条(二)' }, by: 'sd-revisitor' } });
  });

  test('a task is worked by the unit that drew it (第十七条); another unit’s task is a 404; other roles a 403', async () => {
    const byDivision = await call('POST', `/api/v1/revisits/${taskOf('named', RTB).id}/skip`, 'sdRevisitor', { ground: 'anonymous', note: '反映人匿名' });
    expect(byDivision.status).toBe(422);
    expect(byDivision.body.violations[0]).toMatchObject({ rule: 'revisit-task.sampler', article: '第十七条' });
    expect((await call('POST', `/api/v1/revisits/${taskOf('named', RTB).id}/skip`, 'psbRevisitor', { ground: 'anonymous', note: '反映人匿名' })).status).toBe(404);
    expect((await call('POST', `/api/v1/revisits/${taskOf('named', RTB).id}/skip`, 'rtbSupervisor', { ground: 'anonymous', note: '反映人匿名' })).status).toBe(403);
    expect((await call('POST', '/api/v1/revisits/999999999999/skip', 'sdRevisitor', { ground: 'anonymous', note: '反映人匿名' })).status).toBe(404);
    const badId = await call('POST', '/api/v1/revisits/abc/skip', 'sdRevisitor', { ground: 'anonymous', note: '反映人匿名' });
    expect(badId.status).toBe(400);
    expect(badId.body.errors.map((e: { field: string }) => e.field)).toContain('id');
  });
});

describe('the revisit’s result and the reopen it proposes (第十七条、第二十条)', () => {
  test('an unsatisfied result without the verified reason is a 400 naming verifiedReason, and nothing is recorded', async () => {
    const task = taskOf('confirm', SD);
    const a = await call('POST', `/api/v1/revisits/${task.id}/result`, 'sdRevisitor', { satisfaction: 'unsatisfied', newQuestions: true, note: '反映人不满意' });
    expect(a.status).toBe(400);
    expect(a.body.errors.map((e: { field: string }) => e.field)).toContain('verifiedReason');
    expect((await db.revisitTask.findUniqueOrThrow({ where: { id: BigInt(task.id) } })).status).toBe('open');
    const history = await call('GET', `/api/v1/tickets/${t.confirm.ticketNo}/history`, 'sdRevisitor');
    expect(history.body.events.map((e: { type: string }) => e.type)).not.toContain('revisited');
  });

  test('with the verified reason and new questions: done, the ticket has the revisit, and a reopen is proposed (第十七条); confirming it reopens the ticket', async () => {
    const task = taskOf('confirm', SD);
    const result = {
      satisfaction: 'unsatisfied',
      newQuestions: true,
      note: '反映人对处理结果不满意，并提出新的疑问',
      verifiedReason: '反映人称罚款决定未告知其本人',
      otherQuestions: ['罚款是否已执行', '驾驶员是否被停运'],
      answeredDirectly: ['罚款是否已执行'],
      dispatchedToUnit: ['驾驶员是否被停运'],
      assessment: { dutyInsufficient: false },
    };
    const a = await call('POST', `/api/v1/revisits/${task.id}/result`, 'sdRevisitor', result);
    expect([a.status, a.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
    expect(a.body).toMatchObject({ id: task.id, status: 'done', result: { ...result, by: 'sd-revisitor' }, suggestionDecision: null });
    expect(a.body.suggestion).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'revisit.reopen.new-questions', article: '第十七条' })]));
    const listed = mine(await workList('sdRevisitor', 'status=done')).find((x) => x.id === task.id);
    expect(listed?.suggestion).toEqual(a.body.suggestion);
    const history = await eventually(
      () => call('GET', `/api/v1/tickets/${t.confirm.ticketNo}/history`, 'sdRevisitor'),
      (h) => h.body?.events?.some((e: { type: string }) => e.type === 'revisited'),
    );
    expect(history.body.events.find((e: { type: string }) => e.type === 'revisited')).toMatchObject({ actor: 'sd-revisitor' });
    // A second result for the same task is a state conflict.
    expect((await call('POST', `/api/v1/revisits/${task.id}/result`, 'sdRevisitor', { satisfaction: 'satisfied', note: '再次回访' })).status).toBe(409);

    const confirmed = await call('POST', `/api/v1/revisits/${task.id}/suggestion`, 'sdRevisitor', { confirmed: true, note: '同意派回原承办单位重新办理' });
    expect([confirmed.status, confirmed.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
    expect(confirmed.body).toMatchObject({ status: 'done', suggestionDecision: { decision: 'confirmed', by: 'sd-revisitor', at: expect.any(String) } });
    const reopened = await eventually(() => call('GET', `/api/v1/tickets/${t.confirm.ticketNo}`, 'rtbAcceptor'), (g) => g.body?.status === 'assigned');
    expect(reopened.body.status).toBe('assigned');
    // Decided once.
    expect((await call('POST', `/api/v1/revisits/${task.id}/suggestion`, 'sdRevisitor', { confirmed: false, note: '改为不派回' })).status).toBe(409);
  });

  test('a unit’s own revisit: the proposal dismissed is recorded, and the ticket stays closed', async () => {
    const task = taskOf('dismiss', RTB);
    // 委政务服务处 cannot record the result of the unit's own draw.
    const byDivision = await call('POST', `/api/v1/revisits/${task.id}/result`, 'sdRevisitor', { satisfaction: 'satisfied', note: '反映人表示满意' });
    expect(byDivision.status).toBe(422);
    const a = await call('POST', `/api/v1/revisits/${task.id}/result`, 'rtbRevisitor', {
      satisfaction: 'unsatisfied',
      newQuestions: true,
      note: '反映人提出新的疑问',
      verifiedReason: '反映人认为处罚过轻',
    });
    expect([a.status, a.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
    expect(a.body.status).toBe('done');
    expect(a.body.suggestion).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'revisit.reopen.new-questions', article: '第十七条' })]));
    const dismissed = await call('POST', `/api/v1/revisits/${task.id}/suggestion`, 'rtbRevisitor', { confirmed: false, note: '经核实，处罚已依法作出，不予派回' });
    expect([dismissed.status, dismissed.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
    expect(dismissed.body.suggestionDecision).toMatchObject({ decision: 'dismissed', by: 'rtb-revisitor' });
    const row = await db.revisitTask.findUniqueOrThrow({ where: { id: BigInt(task.id) } });
    expect([row.suggestionDecision, row.decidedBy]).toEqual(['dismissed', 'rtb-revisitor']);
    await new Promise((r) => setTimeout(r, 500));
    expect((await call('GET', `/api/v1/tickets/${t.dismiss.ticketNo}`, 'rtbAcceptor')).body.status).toBe('closed');
  });

  test('a proposal superseded by a later revisit of the ticket can no longer be decided by its own task (409)', async () => {
    const division = taskOf('superseded', SD);
    const unit = taskOf('superseded', RTB);
    const first = await call('POST', `/api/v1/revisits/${division.id}/result`, 'sdRevisitor', { satisfaction: 'unsatisfied', newQuestions: true, note: '反映人提出新的疑问', verifiedReason: '反映人认为未答复全部诉求' });
    expect([first.status, first.body?.result?.revisitNo]).toEqual([200, 1]);
    const second = await call('POST', `/api/v1/revisits/${unit.id}/result`, 'rtbRevisitor', { satisfaction: 'basically-satisfied', note: '反映人表示基本满意' });
    expect([second.status, second.body?.result?.revisitNo]).toEqual([200, 2]);
    const late = await call('POST', `/api/v1/revisits/${division.id}/suggestion`, 'sdRevisitor', { confirmed: true, note: '派回重新办理' });
    expect(late.status).toBe(409);
    expect(late.body.violations[0]).toMatchObject({ rule: 'revisit-task.suggestion.superseded' });
    expect((await db.revisitTask.findUniqueOrThrow({ where: { id: BigInt(division.id) } })).suggestionDecision).toBeNull();
  });

  test('a satisfied revisit proposes nothing, and there is nothing to decide (409)', async () => {
    const task = taskOf('psb', PSB);
    const a = await call('POST', `/api/v1/revisits/${task.id}/result`, 'psbRevisitor', { satisfaction: 'satisfied', note: '反映人表示满意' });
    expect([a.status, a.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
    expect(a.body).toMatchObject({ status: 'done', suggestion: [] });
    expect((await call('POST', `/api/v1/revisits/${task.id}/suggestion`, 'psbRevisitor', { confirmed: true, note: '派回' })).status).toBe(409);
    // Nor on a task still open.
    expect((await call('POST', `/api/v1/revisits/${taskOf('psb', SD).id}/suggestion`, 'sdRevisitor', { confirmed: true, note: '派回' })).status).toBe(409);
  });
});
