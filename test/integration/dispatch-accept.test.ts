/**
 * The first slice end to end, against a real Temporal dev server and PostgreSQL, through HTTP only:
 * dispatch (第二条) → acceptance (第八条(一)), duplicates, conflicts, bad input, a refused acceptance, health.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Db } from '../../lib/db';
import { createDb } from '../../lib/db';
import { devServerRig, dispatch, eventually, QUOTED_REPORTER } from '../helpers/env';
import { bearer, principal } from '../helpers/auth';

const taskQueue = 'dispatch-accept-it';
const rig = devServerRig(taskQueue);
let env: TestWorkflowEnvironment;
let db: Db;
let base: string;
const tokens: Record<'dispatcher' | 'rtb' | 'psb' | 'sd', string> = { dispatcher: '', rtb: '', psb: '', sd: '' };

beforeAll(async () => {
  ({ env, db } = rig);
  base = await rig.listen();
  tokens.dispatcher = await bearer(principal('hotline-platform', ['dispatcher'], 'platform-bridge'));
  tokens.rtb = await bearer(principal('road-transport-bureau', ['acceptor'], 'rtb-01'));
  tokens.psb = await bearer(principal('port-shipping-bureau', ['acceptor'], 'psb-01'));
  tokens.sd = await bearer(principal('service-division', ['acceptor'], 'sd-01'));
});

/** A request as `who` (a token of the tokens table); dispatches go as the platform's dispatcher by default. */
async function call(method: string, path: string, body?: unknown, who: keyof typeof tokens = 'dispatcher') {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: tokens[who], ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
}


/** Every payload of a workflow's history, decoded: what the Temporal UI can show. */
async function historyText(workflowId: string): Promise<string> {
  const json = JSON.parse(historyToJSON(await env.client.workflow.getHandle(workflowId).fetchHistory()));
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'data' && typeof x === 'string') out.push(Buffer.from(x, 'base64').toString('utf8'));
        else walk(x);
      }
    }
  };
  walk(json);
  return out.join('\n');
}

/** A dispatch that reaches the unit now (real time on the dev server). */
function freshDispatch(overrides: Parameters<typeof dispatch>[0] = {}) {
  const now = Date.now();
  return dispatch({ dispatchedAt: new Date(now - 600_000).toISOString(), dispatchedToUnitAt: new Date(now).toISOString(), ...overrides });
}

test('第二条/第八条(一) dispatch then accept through the API: the row and both events are in the database', async () => {
  const d = freshDispatch();
  const created = await call('POST', '/api/v1/tickets', d);
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ duplicate: false, ticket: { ticketNo: d.ticketNo, status: 'dispatched' } });
  expect(created.body.ticket.deadlines.acceptDueAt).toBe(new Date(Date.parse(d.dispatchedToUnitAt) + 3 * 3600_000).toISOString());

  const accepted = await call('POST', `/api/v1/tickets/${d.ticketNo}/accept`, {}, 'rtb');
  expect(accepted.status).toBe(200);
  expect(accepted.body).toMatchObject({ status: 'accepted', acceptedBy: 'rtb-01', acceptOverdue: false });

  const row = await db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo }, include: { events: { orderBy: { sequence: 'asc' } } } });
  expect(row).toMatchObject({ status: 'accepted', unitId: 'road-transport-bureau', channel: '12345', category: 'complaint', reporterName: '张三', reporterPhone: d.reporter.anonymous ? null : d.reporter.phone, acceptOverdue: false });
  expect(row.events.map((e) => [e.sequence, e.type, e.actor])).toEqual([
    [1, 'dispatched', 'platform'],
    [2, 'accepted', 'rtb-01'],
  ]);

  const got = await call('GET', `/api/v1/tickets/${d.ticketNo}`, undefined, 'rtb');
  expect(got.status).toBe(200);
  expect(got.body.events.map((e: { type: string }) => e.type)).toEqual(['dispatched', 'accepted']);
  // The whole lifecycle is readable, not only the first slice's fields.
  expect(got.body).toMatchObject({
    unitId: 'road-transport-bureau',
    handlingOverdue: false,
    supervised: false,
    sensitive: false,
    departments: [],
    reply: null,
    reopenCount: 0,
    deadlines: { sla: expect.stringContaining('投诉类'), dueAt: expect.any(String), nearDeadlineAt: expect.any(String) },
  });

  // Operators find it in the Temporal UI by its search attributes.
  const found = await eventually(
    async () => {
      const ids: string[] = [];
      for await (const wf of env.client.workflow.list({ query: `TicketStatus="accepted" AND HandlingUnit="road-transport-bureau" AND Channel="12345" AND Category="complaint"` })) ids.push(wf.workflowId);
      return ids;
    },
    (ids) => ids.includes(d.ticketNo),
  );
  expect(found).toContain(d.ticketNo);

  // The reporter's name and number never reach workflow history (which the UI shows).
  const history = await historyText(d.ticketNo);
  expect(history).toContain(d.ticketNo);
  expect(history).toContain('road-transport-bureau');
  for (const secret of [d.reporter.anonymous ? '张三' : d.reporter.phone, '张三', d.content]) expect(history).not.toContain(secret);
});

test('第二条 the same dispatch sent twice returns the existing ticket and says so: one workflow, one row', async () => {
  const d = freshDispatch();
  expect((await call('POST', '/api/v1/tickets', d)).status).toBe(201);
  const again = await call('POST', '/api/v1/tickets', d);
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ duplicate: true, ticket: { ticketNo: d.ticketNo } });

  // The same instant written with another offset is the same dispatch.
  const sameInstant = { ...d, dispatchedToUnitAt: new Date(d.dispatchedToUnitAt).toISOString().replace('Z', '+00:00') };
  expect((await call('POST', '/api/v1/tickets', sameInstant)).status).toBe(200);

  const listRuns = async () => {
    const runs: string[] = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowId="${d.ticketNo}"` })) runs.push(wf.runId);
    return runs;
  };
  expect(await eventually(listRuns, (r) => r.length > 0)).toHaveLength(1);
  expect(await db.ticketIntake.count({ where: { ticketNo: d.ticketNo } })).toBe(1);
  await eventually(() => db.ticket.count({ where: { ticketNo: d.ticketNo } }), (n) => n === 1);
  expect(await db.ticket.count({ where: { ticketNo: d.ticketNo } })).toBe(1);
  expect(await db.ticketEvent.count({ where: { ticketNo: d.ticketNo } })).toBe(1);
});

test('第二条 the same ticket number with different content is a 409 naming what differs, and the first dispatch stands', async () => {
  const d = freshDispatch();
  expect((await call('POST', '/api/v1/tickets', d)).status).toBe(201);
  const conflict = await call('POST', '/api/v1/tickets', { ...d, content: '另一段内容', unitId: 'port-shipping-bureau' });
  expect(conflict.status).toBe(409);
  expect(conflict.type).toContain('application/problem+json');
  expect(conflict.body.differing.sort()).toEqual(['content', 'unitId']);
  const got = await call('GET', `/api/v1/tickets/${d.ticketNo}`);
  expect(got.body).toMatchObject({ content: d.content, unit: { id: 'road-transport-bureau' } });
});

test('a bad dispatch is a 400 naming each bad field, and nothing is stored', async () => {
  const d = freshDispatch();
  const bad = {
    ...d,
    channel: '12328-wechat',
    category: 'request',
    urgency: 'critical',
    dispatchedAt: '2026-09-30 16:00',
    reporter: { anonymous: false, name: '李四', phone: '12345' },
    subject: '',
    extra: 1,
  };
  const res = await call('POST', '/api/v1/tickets', bad);
  expect(res.status).toBe(400);
  expect(res.type).toContain('application/problem+json');
  const fields = res.body.errors.map((e: { field: string }) => e.field);
  expect(fields).toEqual(expect.arrayContaining(['dispatchedAt', 'reporter.phone', 'subject', '(body)']));
  // Cross-field rules are reported once the fields themselves are valid.
  const crossField = await call('POST', '/api/v1/tickets', { ...d, channel: '12328-wechat', category: 'request', urgency: 'critical' });
  expect(crossField.status).toBe(400);
  expect(crossField.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['category', 'urgency']);
  expect(crossField.body.errors.find((e: { field: string }) => e.field === 'urgency').message).toContain('第十一条(一)');
  // An unknown unit is named too.
  const unknownUnit = await call('POST', '/api/v1/tickets', { ...d, unitId: 'no-such-unit' });
  expect(unknownUnit.status).toBe(400);
  expect(unknownUnit.body.errors).toEqual([{ field: 'unitId', message: expect.stringContaining('no-such-unit') }]);
  const notJson = await call('POST', '/api/v1/tickets', '{"ticketNo":');
  expect(notJson.status).toBe(400);
  expect(await db.ticketIntake.count({ where: { ticketNo: d.ticketNo } })).toBe(0);
});

test('第六条 acceptance by the wrong unit is refused, and nothing is recorded: another unit does not see the ticket, 委政务服务处 is refused by the rule', async () => {
  const d = freshDispatch();
  expect((await call('POST', '/api/v1/tickets', d)).status).toBe(201);
  await eventually(() => db.ticketEvent.count({ where: { ticketNo: d.ticketNo } }), (n) => n === 1);
  const otherUnit = await call('POST', `/api/v1/tickets/${d.ticketNo}/accept`, {}, 'psb');
  expect(otherUnit.status).toBe(404);
  expect((await call('GET', `/api/v1/tickets/${d.ticketNo}`, undefined, 'psb')).status).toBe(404);
  const res = await call('POST', `/api/v1/tickets/${d.ticketNo}/accept`, {}, 'sd');
  expect(res.status).toBe(422);
  expect(res.body.violations).toEqual([expect.objectContaining({ rule: 'accept.own-unit', article: '第六条', field: 'unitId' })]);
  const row = await db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo }, include: { events: true } });
  expect(row.status).toBe('dispatched');
  expect(row.acceptedBy).toBeNull();
  expect(row.events.map((e) => e.type)).toEqual(['dispatched']);
  expect((await call('POST', '/api/v1/tickets/NO-SUCH-TICKET/accept', {}, 'rtb')).status).toBe(404);
});

test('GET /health reports Temporal and the database, with the reason when one is unreachable', async () => {
  const ok = await call('GET', '/health');
  expect(ok.status).toBe(200);
  expect(ok.body).toEqual({ status: 'ok', database: { ok: true }, temporal: { ok: true } });

  const deadDb = createDb('postgresql://postgres@127.0.0.1:1/nowhere', 1);
  const noDb = await rig.listen({ db: deadDb });
  try {
    const res = await fetch(`${noDb}/health`);
    const body = (await res.json()) as { temporal: unknown; database: { ok: boolean; reason: string } };
    expect(res.status).toBe(503);
    expect(body.temporal).toEqual({ ok: true });
    expect(body.database.ok).toBe(false);
    expect(body.database.reason).toMatch(/PostgreSQL/);
  } finally {
    await deadDb.$disconnect();
  }
});

test('503 with the reason when Temporal or the database is unreachable; a dispatch stored meanwhile is started on retry', async () => {
  const { Connection, Client } = await import('@temporalio/client');
  const deadTemporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 1000 }) });
  const deadDb = createDb('postgresql://postgres@127.0.0.1:1/nowhere', 1);
  const urls = [await rig.listen({ client: deadTemporal }), await rig.listen({ db: deadDb })];
  const at = (i: number) => urls[i]!;
  try {
    const d = freshDispatch();
    const send = (url: string) =>
      fetch(`${url}/api/v1/tickets`, { method: 'POST', headers: { authorization: tokens.dispatcher, 'content-type': 'application/json' }, body: JSON.stringify(d) });
    const down = await send(at(0));
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toContain('application/problem+json');
    expect(((await down.json()) as { detail: string }).detail).toContain('Temporal is unreachable');
    // Nothing is lost: the platform's retry starts the ticket once Temporal answers.
    const retried = await send(base);
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { duplicate: boolean }).duplicate).toBe(true);
    await eventually(() => db.ticketEvent.count({ where: { ticketNo: d.ticketNo } }), (n) => n === 1);
    expect(await db.ticketEvent.count({ where: { ticketNo: d.ticketNo } })).toBe(1);

    const noDatabase = await fetch(`${at(1)}/api/v1/tickets/${d.ticketNo}`, { headers: { authorization: tokens.dispatcher } });
    expect(noDatabase.status).toBe(503);
    expect(((await noDatabase.json()) as { detail: string }).detail).toContain('database is unreachable');
  } finally {
    await deadDb.$disconnect();
  }
});

test('第十七条 the daily revisit draw is scheduled once, at 01:00 Asia/Shanghai, on the ticket task queue', async () => {
  const { ensureRevisitSchedule } = await import('../../lib/temporal');
  expect(await ensureRevisitSchedule(env.client, taskQueue)).toBe('created');
  expect(await ensureRevisitSchedule(env.client, taskQueue)).toBe('exists');
  const schedule = await env.client.schedule.getHandle('revisit-sampling').describe();
  expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'revisitSamplingWorkflow', taskQueue });
  expect(schedule.spec.timezone).toBe('Asia/Shanghai');
  expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 1, end: 1, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
});

test('a note or decision quoting the reporter\'s number or name is refused naming the field, and history stays clean', async () => {
  const d = freshDispatch({ reporter: QUOTED_REPORTER });
  expect((await call('POST', '/api/v1/tickets', d)).status).toBe(201);
  await eventually(() => db.ticket.count({ where: { ticketNo: d.ticketNo } }), (n) => n === 1);
  const note = await call('POST', `/api/v1/tickets/${d.ticketNo}/notes`, { text: '已回拨138-1234-5678，无人接听' }, 'rtb');
  expect(note.status).toBe(422);
  expect(note.body.violations).toEqual([expect.objectContaining({ rule: 'privacy.reporter-identity', field: 'text' })]);
  const flag = await call('POST', `/api/v1/tickets/${d.ticketNo}/flag`, { sensitive: true, note: '张三多次来电反映' }, 'rtb');
  expect(flag.status).toBe(422);
  expect(flag.body.violations[0].field).toBe('note');
  expect((await call('POST', `/api/v1/tickets/${d.ticketNo}/notes`, { text: '已回拨，无人接听' }, 'rtb')).status).toBe(202);
  // Notes go to the audit trail, not into the workflow: the history holds neither the note nor the reporter.
  expect(await db.ticketNote.findMany({ where: { ticketNo: d.ticketNo } })).toEqual([expect.objectContaining({ text: '已回拨，无人接听' })]);
  const history = await historyText(d.ticketNo);
  expect(history).not.toContain('已回拨');
  expect(history).not.toContain('5678');
  expect(history).not.toContain('张三');
});
