/**
 * Defects of the ticket core found by driving the API as its users do (issue "The ticket core", items 15, 16, 21), on
 * a real Temporal dev server through HTTP only.
 */
import { devServerRig, dispatch, eventually, QUOTED_REPORTER } from '../helpers/env';
import { bearer, principal } from '../helpers/auth';

const rig = devServerRig('ticket-core-api');
let base: string;
const tokens = { dispatcher: '', acceptor: '', acceptor2: '', handler: '' };
const WRITES_PER_HOUR = 6;

beforeAll(async () => {
  base = await rig.listen({ ticketWritesPerUserPerHour: WRITES_PER_HOUR });
  tokens.dispatcher = await bearer(principal('hotline-platform', ['dispatcher'], 'platform-bridge'));
  tokens.acceptor = await bearer(principal('road-transport-bureau', ['acceptor'], 'rtb-acceptor'));
  tokens.acceptor2 = await bearer(principal('road-transport-bureau', ['acceptor'], 'rtb-acceptor-2'));
  tokens.handler = await bearer(principal('road-transport-bureau', ['handler'], 'rtb-handler'));
});

async function call(method: string, path: string, who: keyof typeof tokens, body?: unknown) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: tokens[who], ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function fresh() {
  const now = Date.now();
  const d = dispatch({ dispatchedAt: new Date(now - 600_000).toISOString(), dispatchedToUnitAt: new Date(now - 300_000).toISOString(), reporter: QUOTED_REPORTER });
  expect((await call('POST', '/tickets', 'dispatcher', d)).status).toBe(201);
  return d;
}

test('defect 15: an unknown unit or department is a 400 naming the field, and the ticket goes on', async () => {
  const d = await fresh();
  expect((await call('POST', `/tickets/${d.ticketNo}/accept`, 'acceptor', {})).status).toBe(200);
  const dept = await call('POST', `/tickets/${d.ticketNo}/assign`, 'acceptor', { departmentIds: ['no-such-department'] });
  expect(dept.status).toBe(400);
  expect(dept.body.errors).toEqual([expect.objectContaining({ field: 'departmentIds' })]);
  // A department of another unit is not one of this ticket's.
  expect((await call('POST', `/tickets/${d.ticketNo}/assign`, 'acceptor', { departmentIds: ['waterway-division'] })).status).toBe(400);
  expect((await call('POST', `/tickets/${d.ticketNo}/return`, 'acceptor', { ground: 'incomplete-info', evidence: { itemsToVerify: ['事发地点'] } })).status).toBe(200);
  const wrong = await call('POST', `/tickets/${d.ticketNo}/redispatch`, 'dispatcher', { unitId: 'no-such-unit', dispatchedToUnitAt: new Date().toISOString(), note: '错派' });
  expect(wrong.status).toBe(400);
  expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'unitId' })]);
  const withdrawn = await call('POST', `/tickets/${d.ticketNo}/withdraw`, 'dispatcher', { note: '平台收回' });
  expect([withdrawn.status, withdrawn.body.status]).toEqual([200, 'withdrawn']);
});

test.each([
  ['full-width digits', '已回拨１３８１２３４５６７８，无人接听'],
  ['spaced number', '已回拨138 1234 5678，无人接听'],
  ['dotted number', '已回拨138.1234.5678，无人接听'],
  ['a name with a space inside', '已与张 三约定现场核查'],
])('defect 16 (个人信息保护法): a note quoting the reporter with %s is refused and never stored', async (_what, text) => {
  const d = await fresh();
  const a = await call('POST', `/tickets/${d.ticketNo}/notes`, 'acceptor', { text });
  expect(a.status).toBe(422);
  expect(a.body.violations).toEqual([expect.objectContaining({ rule: 'privacy.reporter-identity', field: 'text' })]);
  expect(await rig.db.ticketNote.count({ where: { ticketNo: d.ticketNo } })).toBe(0);
});

test('defect 21: notes stay out of the workflow, one user cannot flood a ticket, and a terminated workflow shows as such', async () => {
  const d = await fresh();
  for (let i = 0; i < WRITES_PER_HOUR; i++) expect((await call('POST', `/tickets/${d.ticketNo}/notes`, 'acceptor', { text: `第${i + 1}次回拨，无人接听` })).status).toBe(202);
  const flood = await call('POST', `/tickets/${d.ticketNo}/notes`, 'acceptor', { text: '再次回拨' });
  expect(flood.status).toBe(429);
  // Another user of the unit is not held back by the first one's notes.
  expect((await call('POST', `/tickets/${d.ticketNo}/notes`, 'handler', { text: '已安排现场核查' })).status).toBe(202);
  const handle = rig.env.client.workflow.getHandle(d.ticketNo);
  const history = (await handle.fetchHistory()).events ?? [];
  expect(history.some((e) => e.workflowExecutionSignaledEventAttributes)).toBe(false);
  const trail = await call('GET', `/tickets/${d.ticketNo}/history`, 'acceptor');
  expect(trail.body.events.filter((e: { type: string }) => e.type === 'note')).toHaveLength(WRITES_PER_HOUR + 1);

  await handle.terminate('operator test');
  const refused = await call('POST', `/tickets/${d.ticketNo}/accept`, 'handler', {});
  expect(refused.status).toBe(403);
  // The flooding user is held back before anything else; another acceptor learns the workflow ended.
  expect((await call('POST', `/tickets/${d.ticketNo}/accept`, 'acceptor', {})).status).toBe(429);
  const accept = await call('POST', `/tickets/${d.ticketNo}/accept`, 'acceptor2', {});
  expect(accept.status).toBe(409);
  expect(accept.body.violations).toEqual([expect.objectContaining({ rule: 'workflow.ended' })]);
  const view = await eventually(() => call('GET', `/tickets/${d.ticketNo}`, 'handler'), (a) => a.body?.workflowStatus === 'terminated');
  expect(view.body.workflowStatus).toBe('terminated');
});

test('a burst of 60 dispatches at once is taken whole: every one answers 201 with its deadlines (found under two parallel suites)', async () => {
  const burst = Array.from({ length: 60 }, () => {
    const now = Date.now();
    return dispatch({ dispatchedAt: new Date(now - 600_000).toISOString(), dispatchedToUnitAt: new Date(now - 300_000).toISOString() });
  });
  const answers = await Promise.all(burst.map((d) => call('POST', '/tickets', 'dispatcher', d)));
  expect(answers.map((a) => a.status)).toEqual(burst.map(() => 201));
  expect(answers.every((a) => a.body.ticket.deadlines.dueAt !== null)).toBe(true);
});
