/**
 * Issue 5 end to end, against a real Temporal dev server, a worker and PostgreSQL, through HTTP only: a 12345
 * complaint from dispatch to closure; Idempotency-Key; listing filters, sorting and cursor pagination; request ids;
 * the OpenAPI document and its docs page; rate limiting per token; and logs that hold neither reporters' numbers nor
 * tokens.
 */
import { Writable } from 'node:stream';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { AppDeps } from '../../api/app';
import type { Role } from '../../api/auth';
import { DECISIONS } from '../../api/decisions';
import type { Dispatch } from '../../api/schemas';
import type { Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { bearer, principal } from '../helpers/auth';
import { devServerRig, dispatch, eventually } from '../helpers/env';

const taskQueue = 'api-end-to-end';
const UNIT = 'road-transport-bureau';
const rig = devServerRig(taskQueue);
let env: TestWorkflowEnvironment;
let db: Db;
let base: string;
const listen = (deps: Partial<AppDeps> = {}) => rig.listen(deps);

const T: Record<string, string> = {};

beforeAll(async () => {
  ({ env, db } = rig);
  base = await listen({ logger: createLogger(process.env.E2E_LOG ?? 'silent') });
  T.dispatcher = await bearer(principal('hotline-platform', ['dispatcher'], 'platform-bridge'));
  T.acceptor = await bearer(principal(UNIT, ['acceptor'], 'rtb-acceptor'));
  T.handler = await bearer(principal(UNIT, ['handler'], 'rtb-handler'));
  T.reviewer = await bearer(principal(UNIT, ['reviewer'], 'rtb-reviewer'));
  T.psbAcceptor = await bearer(principal('port-shipping-bureau', ['acceptor'], 'psb-acceptor'));
  T.supervisor = await bearer(principal('service-division', ['supervisor'], 'sd-supervisor'));
});


interface Answer {
  status: number;
  type: string;
  headers: Headers;
  text: string;
  body: any;
}

async function call(method: string, path: string, who?: string, body?: unknown, headers: Record<string, string> = {}, at = base): Promise<Answer> {
  const res = await fetch(`${at}${path}`, {
    method,
    headers: { ...(who ? { authorization: T[who] ?? who } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // HTML, JavaScript, CSS
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, text, body: parsed };
}


/** A dispatch reaching the unit now (real time), dispatched to the Commission `ageMs` earlier. */
function fresh(overrides: Partial<Dispatch> = {}, ageMs = 600_000): Dispatch {
  const now = Date.now();
  return dispatch({ dispatchedAt: new Date(now - ageMs).toISOString(), dispatchedToUnitAt: new Date(now - ageMs + 60_000).toISOString(), ...overrides });
}

async function dispatched(d: Dispatch, events = 1): Promise<Dispatch> {
  const a = await call('POST', '/api/v1/tickets', 'dispatcher', d);
  if (a.status !== 201) throw new Error(`dispatch: ${a.status} ${a.text}`);
  await eventually(() => db.ticketEvent.count({ where: { ticketNo: d.ticketNo } }), (n) => n >= events);
  return d;
}

const eventTypes = (events: { type: string }[]) => events.map((e) => e.type);

/** A reply that passes all six rules of 第十六条 (test/workflows/lifecycle.test.ts). */
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

// ---------------------------------------------------------------------------------------------------------------

test('a 12345 complaint from dispatch to closure through the API only', async () => {
  const d = fresh();
  const no = d.ticketNo;
  const created = await call('POST', '/api/v1/tickets', 'dispatcher', d);
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ duplicate: false, ticket: { ticketNo: no, status: 'dispatched', channel: '12345', category: 'complaint' } });

  const step = async (who: Role | string, path: string, body: unknown, status: string) => {
    const a = await call('POST', `/api/v1/tickets/${no}/${path}`, who, body);
    expect([path, a.status, a.body?.status]).toEqual([path, 200, status]);
    return a;
  };
  await step('acceptor', 'accept', {}, 'accepted');
  await step('acceptor', 'assign', { departmentIds: ['passenger-division'] }, 'assigned');
  // A reply states the time of a recorded contact (spec decision "times that cannot be true").
  const contactedAt = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  await step('handler', 'contacts', { at: contactedAt, staffName: '李明', method: 'phone', reached: true, outcome: '已向反映人了解情况', recordingRef: 'rec-001' }, 'contacted');
  await step('handler', 'reply', fullReply(contactedAt), 'reply-drafted');
  // 谁办复、谁审核: the handler who drafted it cannot review (no reviewer role); a reviewer of the unit does.
  const byAuthor = await call('POST', `/api/v1/tickets/${no}/reply/review`, 'handler', { approved: true });
  expect(byAuthor.status).toBe(403);
  await call('POST', `/api/v1/tickets/${no}/reply/review`, 'reviewer', { approved: true });

  const closed = await eventually(() => call('GET', `/api/v1/tickets/${no}`, 'acceptor'), (a) => a.body?.status === 'closed');
  expect(closed.status).toBe(200);
  expect(closed.body).toMatchObject({ status: 'closed', acceptedBy: 'rtb-acceptor', acceptOverdue: false });
  expect(closed.body.closedAt).toEqual(expect.any(String));
  const lifecycle = ['dispatched', 'accepted', 'assigned', 'contact-recorded', 'reply-drafted', 'reply-approved', 'closed'];
  expect(eventTypes(closed.body.events)).toEqual(lifecycle);

  const history = await call('GET', `/api/v1/tickets/${no}/history`, 'reviewer');
  expect(history.status).toBe(200);
  expect(history.body.ticketNo).toBe(no);
  expect(eventTypes(history.body.events)).toEqual(lifecycle);
  expect(history.body.events.map((e: { sequence: number }) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  expect(history.body.events.map((e: { actor: string }) => e.actor).slice(1, 6)).toEqual(['rtb-acceptor', 'rtb-acceptor', 'rtb-handler', 'rtb-handler', 'rtb-reviewer']);
  // Another unit does not see it; 委政务服务处 does.
  expect((await call('GET', `/api/v1/tickets/${no}/history`, 'psbAcceptor')).status).toBe(404);
  expect((await call('GET', `/api/v1/tickets/${no}/history`, 'supervisor')).status).toBe(200);
  // Closed is closed: a second review is a state conflict.
  expect((await call('POST', `/api/v1/tickets/${no}/reply/review`, 'reviewer', { approved: true })).status).toBe(409);
});

describe('Idempotency-Key', () => {
  test('a retried dispatch and a retried decision return the first response with Idempotency-Replayed and change nothing', async () => {
    const d = fresh();
    const key = `dispatch-${d.ticketNo}`;
    const first = await call('POST', '/api/v1/tickets', 'dispatcher', d, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotency-replayed')).toBeNull();
    const again = await call('POST', '/api/v1/tickets', 'dispatcher', d, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    await eventually(() => db.ticketEvent.count({ where: { ticketNo: d.ticketNo } }), (n) => n === 1);

    const accepted = await call('POST', `/api/v1/tickets/${d.ticketNo}/accept`, 'acceptor', {}, { 'idempotency-key': 'accept-1' });
    expect(accepted.status).toBe(200);
    const retried = await call('POST', `/api/v1/tickets/${d.ticketNo}/accept`, 'acceptor', {}, { 'idempotency-key': 'accept-1' });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotency-replayed')).toBe('true');
    expect(retried.body).toEqual(accepted.body);
    // Without the key the same retry is a state conflict: the key is what makes it safe.
    expect((await call('POST', `/api/v1/tickets/${d.ticketNo}/accept`, 'acceptor', {})).status).toBe(409);

    const note = { text: '已电话联系反映人，约定明日现场核查' };
    expect((await call('POST', `/api/v1/tickets/${d.ticketNo}/notes`, 'acceptor', note, { 'idempotency-key': 'note-1' })).status).toBe(202);
    const noteAgain = await call('POST', `/api/v1/tickets/${d.ticketNo}/notes`, 'acceptor', note, { 'idempotency-key': 'note-1' });
    expect([noteAgain.status, noteAgain.headers.get('idempotency-replayed')]).toEqual([202, 'true']);

    await new Promise((r) => setTimeout(r, 1000));
    const events = await db.ticketEvent.findMany({ where: { ticketNo: d.ticketNo }, orderBy: { sequence: 'asc' } });
    expect(eventTypes(events)).toEqual(['dispatched', 'accepted']);
    expect(await db.ticketNote.count({ where: { ticketNo: d.ticketNo } })).toBe(1);
    expect(await db.ticketIntake.count({ where: { ticketNo: d.ticketNo } })).toBe(1);
  });

  test('the same key with another body is a 422 naming Idempotency-Key, and the other body does not run', async () => {
    const d = await dispatched(fresh());
    expect((await call('POST', `/api/v1/tickets/${d.ticketNo}/notes`, 'acceptor', { text: '第一条备注' }, { 'idempotency-key': 'reused' })).status).toBe(202);
    const other = await call('POST', `/api/v1/tickets/${d.ticketNo}/notes`, 'acceptor', { text: '另一条备注' }, { 'idempotency-key': 'reused' });
    expect(other.status).toBe(422);
    expect(other.type).toMatch(/^application\/problem\+json/);
    expect(other.body.field).toBe('Idempotency-Key');
    // Keys belong to the caller: another user may use the same key.
    expect((await call('POST', `/api/v1/tickets/${d.ticketNo}/notes`, 'handler', { text: '另一条备注' }, { 'idempotency-key': 'reused' })).status).toBe(202);
    const notes = await eventually(
      () => db.ticketNote.findMany({ where: { ticketNo: d.ticketNo }, orderBy: { at: 'asc' } }),
      (n) => n.length >= 2,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await db.ticketNote.findMany({ where: { ticketNo: d.ticketNo } })).map((n) => [n.by, n.text]).sort()).toEqual(
      [
        ['rtb-acceptor', '第一条备注'],
        ['rtb-handler', '另一条备注'],
      ].sort(),
    );
    expect(notes.length).toBe(2);
  });
});

describe('GET /tickets: filters, sorting, cursor pagination', () => {
  const mine: Dispatch[] = [];
  let overdue: Dispatch;

  beforeAll(async () => {
    // zmlj tickets of 市港航局 (few other tests use this pair), one of them 20 days old: overdue and supervised.
    const psb = (o: Partial<Dispatch>, age?: number) => fresh({ unitId: 'port-shipping-bureau', channel: 'zmlj', category: 'consultation', ...o }, age);
    overdue = psb({ category: 'complaint' }, 20 * 86_400_000);
    mine.push(psb({}), psb({ category: 'help' }), psb({ category: 'complaint' }), overdue);
    for (const d of mine) await dispatched(d);
    // A 12328 ticket of 市道路运输局, to be filtered out.
    await dispatched(fresh({ channel: '12328-wechat', category: 'information' }));
    await eventually(
      () => db.ticket.findUnique({ where: { ticketNo: overdue.ticketNo } }),
      (t) => t?.handlingOverdue === true && t.supervised === true,
    );
    await eventually(() => db.ticket.count({ where: { ticketNo: { in: mine.map((d) => d.ticketNo) }, dueAt: { not: null } } }), (n) => n === mine.length);
  });

  async function all(query: string, who = 'supervisor', limit = 200): Promise<{ ticketNo: string; [k: string]: any }[]> {
    const items: { ticketNo: string }[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const a = await call('GET', `/api/v1/tickets?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, who);
      expect(a.status).toBe(200);
      expect(a.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...a.body.items);
      cursor = a.body.nextCursor;
      if (!cursor) return items as never;
    }
    throw new Error('more than 1000 pages');
  }
  const nos = (items: { ticketNo: string }[]) => items.map((i) => i.ticketNo);

  test('each filter returns only matching tickets and all of mine that match', async () => {
    const unitChannel = await all('unit=port-shipping-bureau&channel=zmlj');
    expect(unitChannel.every((t) => t.involvedUnits.includes('port-shipping-bureau') && t.channel === 'zmlj')).toBe(true);
    expect(nos(unitChannel)).toEqual(expect.arrayContaining(nos(mine)));

    const complaints = await all('unit=port-shipping-bureau&channel=zmlj&category=complaint');
    expect(complaints.every((t) => t.category === 'complaint')).toBe(true);
    expect(nos(complaints)).toEqual(expect.arrayContaining([mine[2]!.ticketNo, overdue.ticketNo]));
    expect(nos(complaints)).not.toContain(mine[0]!.ticketNo);

    const several = await all('channel=zmlj,12328-wechat&category=consultation,help,information');
    expect(several.every((t) => ['zmlj', '12328-wechat'].includes(t.channel) && ['consultation', 'help', 'information'].includes(t.category))).toBe(true);
    expect(nos(several)).toEqual(expect.arrayContaining([mine[0]!.ticketNo, mine[1]!.ticketNo]));

    const dispatchedOnly = await all('status=dispatched&unit=port-shipping-bureau');
    expect(dispatchedOnly.every((t) => t.status === 'dispatched')).toBe(true);
    expect(nos(dispatchedOnly)).toEqual(expect.arrayContaining(nos(mine)));
    expect(await all('status=closed&unit=port-shipping-bureau&channel=zmlj')).toEqual(expect.not.arrayContaining([expect.objectContaining({ ticketNo: mine[0]!.ticketNo })]));

    const late = await all('overdue=true&unit=port-shipping-bureau');
    expect(late.every((t) => t.overdue === true)).toBe(true);
    expect(nos(late)).toContain(overdue.ticketNo);
    expect(nos(late)).not.toContain(mine[0]!.ticketNo);
    const onTime = await all('overdue=false&unit=port-shipping-bureau&channel=zmlj');
    expect(nos(onTime)).toEqual(expect.arrayContaining(nos(mine.slice(0, 3))));
    expect(nos(onTime)).not.toContain(overdue.ticketNo);

    const supervised = await all('supervised=true&unit=port-shipping-bureau');
    expect(supervised.every((t) => t.supervised === true)).toBe(true);
    expect(nos(supervised)).toContain(overdue.ticketNo);

    const dueSoon = await all(`dueBefore=${encodeURIComponent(new Date().toISOString())}&unit=port-shipping-bureau`);
    expect(dueSoon.every((t) => t.dueAt !== null && Date.parse(t.dueAt) < Date.now())).toBe(true);
    expect(nos(dueSoon)).toContain(overdue.ticketNo);
    expect(nos(dueSoon)).not.toContain(mine[0]!.ticketNo);

    // A unit's staff see their own unit's tickets only, whatever they ask for.
    const asRtb = await all('unit=port-shipping-bureau', 'acceptor');
    // Only tickets 市道路运输局 is involved in too (第九条: it leads them and 市港航局 has a part), never 市港航局's own.
    expect(asRtb.every((t) => t.involvedUnits.includes('road-transport-bureau') && t.involvedUnits.includes('port-shipping-bureau'))).toBe(true);
    expect(nos(asRtb)).toEqual(expect.not.arrayContaining(nos(mine)));
    const asPsb = await all('channel=zmlj', 'psbAcceptor');
    expect(asPsb.every((t) => t.involvedUnits.includes('port-shipping-bureau'))).toBe(true);
    expect(nos(asPsb)).toEqual(expect.arrayContaining(nos(mine)));

    // A bad filter is a 400 naming it.
    const bad = await call('GET', '/api/v1/tickets?status=lost&overdue=maybe&dueBefore=tomorrow', 'supervisor');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['dueBefore', 'overdue', 'status.0']);
  });

  async function walk(sort: 'dueAt' | 'dispatchedAt' | 'updatedAt', order: 'asc' | 'desc') {
    const q = `unit=port-shipping-bureau&channel=zmlj&sort=${sort}&order=${order}`;
    const paged = await all(q, 'supervisor', 1);
    const ids = nos(paged);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(nos(mine)));
    // The same set as one big page.
    expect(new Set(nos(await all(q, 'supervisor', 200)))).toEqual(new Set(ids));
    // In order: by the sort field (nulls last), then by ticket number.
    const key = (t: { [k: string]: any }) => (t[sort] === null ? Infinity : Date.parse(t[sort]));
    for (let i = 1; i < paged.length; i++) {
      const [a, b] = [paged[i - 1]!, paged[i]!];
      const ascending = key(a) === key(b) ? a.ticketNo < b.ticketNo : key(a) < key(b);
      const nullsLast = key(b) === Infinity && key(a) !== Infinity;
      expect([sort, order, a.ticketNo, b.ticketNo, nullsLast || (order === 'asc' ? ascending : !ascending)]).toEqual([sort, order, a.ticketNo, b.ticketNo, true]);
    }
  }

  test('walking every page with limit=1 (sort by dueAt, both orders) misses and repeats nothing, in sort order', async () => {
    await walk('dueAt', 'asc');
    await walk('dueAt', 'desc');
    const badCursor = await call('GET', '/api/v1/tickets?limit=1&cursor=not-a-cursor', 'supervisor');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    const badSort = await call('GET', '/api/v1/tickets?sort=ticketNo', 'supervisor');
    expect(badSort.status).toBe(400);
  });

  test('sort=dispatchedAt and sort=updatedAt walk every page (Prisma takes a nulls position only on a nullable column)', async () => {
    await walk('dispatchedAt', 'desc');
    await walk('updatedAt', 'asc');
  });
});

describe('the edges', () => {
  test('X-Request-Id: a given one is kept, none given gets one generated, an unusable one is replaced', async () => {
    const given = await call('GET', '/api/v1/tickets?limit=1', 'supervisor', undefined, { 'x-request-id': 'e2e-req.0001_A' });
    expect(given.headers.get('x-request-id')).toBe('e2e-req.0001_A');
    const none = await call('GET', '/health');
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const again = await call('GET', '/health');
    expect(again.headers.get('x-request-id')).not.toBe(none.headers.get('x-request-id'));
    const unusable = await call('GET', '/health', undefined, undefined, { 'x-request-id': 'has spaces <and> markup' });
    expect(unusable.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // Errors carry it too.
    const problem = await call('GET', '/api/v1/tickets/NO-SUCH-TICKET', 'supervisor', undefined, { 'x-request-id': 'e2e-404' });
    expect([problem.status, problem.headers.get('x-request-id')]).toEqual([404, 'e2e-404']);
  });

  /** Every route of api/app.ts (with the policy router it mounts), by hand. */
  const TICKET_ROUTES: [string, string][] = [
    ['post', '/api/v1/tickets'],
    ['get', '/api/v1/tickets'],
    ['get', '/api/v1/tickets/{ticketNo}'],
    ['get', '/api/v1/tickets/{ticketNo}/history'],
    ['post', '/api/v1/tickets/{ticketNo}/notes'],
    ['get', '/health'],
    ...DECISIONS.map((d) => ['post', `/api/v1/tickets/{ticketNo}/${d.path}`] as [string, string]),
  ];
  const POLICY_ROUTES: [string, string][] = [
    ['get', '/api/v1/policy/deadlines'],
    ['post', '/api/v1/policy/reply-check'],
    ['get', '/api/v1/policy/monthly/{month}'],
    ['get', '/api/v1/policy/parameters'],
    ['get', '/api/v1/calendar/{year}'],
    ['put', '/api/v1/calendar/{year}'],
  ];

  test('/api/openapi.json is OpenAPI 3.1.0 and lists every ticket route, each decision path with its request body', async () => {
    const a = await call('GET', '/api/openapi.json');
    expect(a.status).toBe(200);
    expect(a.type).toMatch(/^application\/json/);
    expect(a.body.openapi).toBe('3.1.0');
    expect(a.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(DECISIONS.length).toBe(30);
    const listed = Object.entries(a.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(listed).toEqual(expect.arrayContaining(TICKET_ROUTES.map(([m, p]) => `${m} ${p}`)));
    for (const d of DECISIONS) {
      const op = a.body.paths[`/api/v1/tickets/{ticketNo}/${d.path}`].post;
      expect(op.requestBody.content['application/json'].schema).toMatchObject({ type: 'object' });
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '422']));
    }
  });

  test('/api/openapi.json lists the policy and calendar routes that api/app.ts mounts (policyRouter)', async () => {
    const a = await call('GET', '/api/openapi.json');
    const listed = Object.entries(a.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(listed).toEqual(expect.arrayContaining(POLICY_ROUTES.map(([m, p]) => `${m} ${p}`)));
  });

  test('/api/docs serves HTML whose stylesheet and scripts load', async () => {
    const page = await call('GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(expect.arrayContaining(['/api/docs/assets/swagger-ui.css', '/api/docs/assets/swagger-ui-bundle.js', '/api/docs/init.js']));
    for (const asset of assets) {
      const a = await call('GET', asset);
      expect([asset, a.status]).toEqual([asset, 200]);
      expect(a.text.length).toBeGreaterThan(10);
    }
    expect((await call('GET', '/api/docs/init.js')).text).toContain('/api/openapi.json');
    // helmet's CSP admits the same-origin scripts the page uses.
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  test('rate limiting: a token over its limit gets 429 problem+json; another token is not affected', async () => {
    const limited = await listen({ rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('GET', '/api/v1/tickets?limit=1', 'supervisor', undefined, {}, limited)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const over = await call('GET', '/api/v1/tickets?limit=1', 'supervisor', undefined, {}, limited);
    expect(over.status).toBe(429);
    expect(over.type).toMatch(/^application\/problem\+json/);
    expect(over.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(over.headers.get('ratelimit-policy') ?? over.headers.get('ratelimit')).toBeTruthy();
    // POSTs count too; and another token has its own allowance.
    expect((await call('POST', '/api/v1/tickets', 'supervisor', {}, {}, limited)).status).toBe(429);
    expect((await call('GET', '/api/v1/tickets?limit=1', 'acceptor', undefined, {}, limited)).status).toBe(200);
  });

  test("logs hold neither the reporter's number nor the bearer token", async () => {
    let output = '';
    const stream = new Writable({
      write(chunk, _enc, done) {
        output += chunk.toString();
        done();
      },
    });
    const logged = await listen({ logger: createLogger('info', 'test', stream) });
    const phone = '13987654321';
    const d = fresh({ reporter: { anonymous: false, name: '王五', phone }, subject: `来电${phone}反映出租车拒载`, content: `反映人${phone}称出租车拒载` });
    const created = await call('POST', '/api/v1/tickets', 'dispatcher', d, { 'x-request-id': 'log-check-1' }, logged);
    expect(created.status).toBe(201);
    // A bad request carrying the number, and an error answer.
    expect((await call('POST', '/api/v1/tickets', 'dispatcher', { ...d, reporter: { anonymous: false, name: '王五', phone: `${phone}9` } }, {}, logged)).status).toBe(400);
    // The number in a query string: logs keep the path only.
    expect((await call('GET', `/api/v1/tickets/${d.ticketNo}?phone=${phone}`, 'dispatcher', undefined, {}, logged)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain('log-check-1');
    expect(output).toContain('/api/v1/tickets');
    const token = T.dispatcher!.replace(/^Bearer /, '');
    for (const secret of [phone, token, token.split('.')[2]!, '王五']) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/authorization/i);
  });
});
