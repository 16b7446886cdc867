/**
 * Issue 9, related tickets (第二十二条(二), spec decision "Supervision — (二)"), against a real Temporal dev server, a
 * worker and PostgreSQL, through HTTP: the same reporter (by the keyed hash of the phone number, never the number)
 * reporting to the same unit in the same category is related; another category, unit or an anonymous reporter is
 * not; the platform names related tickets; 委政务服务处 links and unlinks by hand, nobody else; the list filters by
 * `relatedTo`. The phone number reaches neither the link rows nor the workflow's history.
 */
import { randomInt } from 'node:crypto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Dispatch } from '../../api/schemas';
import type { Db } from '../../lib/db';
import { nationalNumber, reporterKey } from '../../lib/reporter-key';
import { loadConfig, LOCAL_DEVELOPMENT_REPORTER_KEY_SECRET } from '../../lib/config';
import type { TicketInput } from '../../workflows/messages';
import { bearer, principal } from '../helpers/auth';
import { devServerRig, dispatch, eventually } from '../helpers/env';

const taskQueue = 'api-related';
const UNIT = 'road-transport-bureau';
const rig = devServerRig(taskQueue);
let db: Db;
let base: string;
const T: Record<string, string> = {};

beforeAll(async () => {
  db = rig.db;
  base = await rig.listen();
  T.dispatcher = await bearer(principal('hotline-platform', ['dispatcher'], 'platform-bridge'));
  T.sd = await bearer(principal('service-division', ['supervisor'], 'sd-supervisor'));
  T.sdAcceptor = await bearer(principal('service-division', ['acceptor'], 'sd-acceptor'));
  T.acceptor = await bearer(principal(UNIT, ['acceptor'], 'rtb-acceptor'));
  T.handler = await bearer(principal(UNIT, ['handler'], 'rtb-handler'));
  T.reviewer = await bearer(principal(UNIT, ['reviewer'], 'rtb-reviewer'));
  T.unitSupervisor = await bearer(principal(UNIT, ['supervisor'], 'rtb-supervisor'));
  T.psbAuditor = await bearer(principal('port-shipping-bureau', ['auditor'], 'psb-auditor'));
});

async function call(method: string, path: string, who: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: T[who]!, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : null };
}

/** A mobile number no other test uses, so the rule finds only this test's tickets. */
const newPhone = () => `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

/** A dispatch reaching the unit now, by `phone`, dispatched to the Commission `ageMs` earlier. */
function fresh(phone: string, overrides: Partial<Dispatch> = {}, ageMs = 600_000): Dispatch {
  const now = Date.now();
  return dispatch({
    reporter: { anonymous: false, name: '赵六', phone },
    dispatchedAt: new Date(now - ageMs).toISOString(),
    dispatchedToUnitAt: new Date(now - ageMs + 60_000).toISOString(),
    ...overrides,
  });
}

/** Dispatches through the API and waits for the workflow's first event; answers the created ticket. */
async function dispatched(d: Dispatch) {
  const a = await call('POST', '/api/v1/tickets', 'dispatcher', d);
  if (a.status !== 201) throw new Error(`dispatch: ${a.status} ${a.text}`);
  await eventually(() => db.ticketEvent.count({ where: { ticketNo: d.ticketNo } }), (n) => n >= 1);
  return a.body.ticket;
}

/** Closes a ticket through the API (accept, assign, contact, reply, review) and gives it the platform's rating. */
async function closeAndRate(no: string, satisfaction: 'satisfied' | 'basically-satisfied' | 'unsatisfied') {
  const ok = async (who: string, path: string, body: unknown) => {
    const a = await call('POST', `/api/v1/tickets/${no}/${path}`, who, body);
    if (a.status !== 200) throw new Error(`${path}: ${a.status} ${a.text.slice(0, 300)}`);
  };
  await ok('acceptor', 'accept', {});
  await ok('acceptor', 'assign', { departmentIds: ['passenger-division'] });
  const contactedAt = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  await ok('handler', 'contacts', { at: contactedAt, staffName: '李明', method: 'phone', reached: true, outcome: '已向反映人了解情况' });
  await ok('handler', 'reply', {
    text:
      '市道路运输局工作人员李明（联系电话022-23456789）于2026年11月28日10时30分电话联系反映人。经调查核实，涉事出租车司机拒载属实，' +
      '执法人员已依据《天津市客运出租汽车管理条例》对驾驶员处以罚款200元并扣减服务质量信誉考核分。反映人表示对处理结果满意。',
    contactedAt,
    staffName: '李明',
    staffPhone: '022-23456789',
    process: '经调查核实，涉事出租车司机拒载属实',
    result: '依据《天津市客运出租汽车管理条例》对驾驶员处以罚款200元并扣减服务质量信誉考核分',
    reporterFeedback: '反映人表示对处理结果满意',
  });
  await ok('reviewer', 'reply/review', { approved: true });
  await eventually(() => view(no), (t) => t?.status === 'closed');
  await ok('dispatcher', 'rating', { ratingId: `rating-${no}`, satisfaction, words: '对处理结果不满意', ratedAt: new Date().toISOString() });
  const row = await eventually(() => db.ticket.findUnique({ where: { ticketNo: no }, select: { satisfaction: true } }), (r) => r?.satisfaction === satisfaction);
  if (row?.satisfaction !== satisfaction) throw new Error(`the rating of ${no} did not reach the read model`);
}

const relatedOf = (ticket: { related: { ticketNo: string; source: string }[] }) => ticket.related.map((r) => [r.ticketNo, r.source]);
const view = async (no: string, who = 'sd') => (await call('GET', `/api/v1/tickets/${no}`, who)).body;

/** Every payload of a workflow's history, decoded: what the Temporal UI shows. */
async function historyText(no: string): Promise<string> {
  const json = JSON.parse(historyToJSON(await rig.env.client.workflow.getHandle(no).fetchHistory()));
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === 'data' && typeof x === 'string') out.push(Buffer.from(x, 'base64').toString('utf8'));
        else walk(x);
      }
  };
  walk(json);
  return out.join('\n');
}

/** The workflow's input as its history recorded it. */
async function startInput(no: string): Promise<TicketInput> {
  const history = await rig.env.client.workflow.getHandle(no).fetchHistory();
  const data = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!.data!;
  return JSON.parse(Buffer.from(data).toString('utf8')) as TicketInput;
}

describe('the reporter key (lib/reporter-key.ts)', () => {
  test('every way of writing one number gives one key; another number or secret another', () => {
    const secret = 'a-test-reporter-key-secret-of-32-characters';
    const key = reporterKey('13812345678', secret);
    for (const written of ['+86 13812345678', '+8613812345678', '008613812345678', '86-13812345678', ' 13812345678 ']) expect(reporterKey(written, secret)).toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(reporterKey('13812345679', secret)).not.toBe(key);
    expect(reporterKey('13812345678', `${secret}!`)).not.toBe(key);
    expect(nationalNumber('+86 022-23456789')).toBe('02223456789');
    expect(nationalNumber('022-23456789')).toBe('02223456789');
    // An 8-digit local number that begins with 86 keeps its 86.
    expect(nationalNumber('86123456')).toBe('86123456');
  });

  test('REPORTER_KEY_SECRET: at least 32 characters; the development default runs locally and is refused in production', () => {
    const deployment = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-deployment-secret-of-at-least-32-chars' };
    expect(loadConfig({}).REPORTER_KEY_SECRET).toBe(LOCAL_DEVELOPMENT_REPORTER_KEY_SECRET);
    expect(() => loadConfig(deployment)).toThrow(/REPORTER_KEY_SECRET: must be set in production/);
    expect(loadConfig({ ...deployment, REPORTER_KEY_SECRET: 'a-deployment-reporter-key-of-32-chars!' }).REPORTER_KEY_SECRET).toBe('a-deployment-reporter-key-of-32-chars!');
    expect(() => loadConfig({ REPORTER_KEY_SECRET: 'short' })).toThrow(/REPORTER_KEY_SECRET: must be at least 32 characters/);
  });
});

describe('related at dispatch (第二十二条(二))', () => {
  test('the same reporter, unit and category: the second ticket shows the first (rule) and the first the second; no number in the links or the history', async () => {
    const phone = newPhone();
    const first = fresh(phone, {}, 3 * 86_400_000);
    await dispatched(first);
    // The same number written as the platform may: with the country code.
    const second = fresh(`+86 ${phone}`, { subject: '出租车再次拒载' });
    const created = await dispatched(second);

    expect(relatedOf(created)).toEqual([[first.ticketNo, 'rule']]);
    expect(created.related[0]).toEqual({ ticketNo: first.ticketNo, source: 'rule', dispatchedAt: new Date(first.dispatchedAt).toISOString(), status: expect.any(String), satisfaction: null });
    // Links read both ways.
    expect(relatedOf(await view(first.ticketNo))).toEqual([[second.ticketNo, 'rule']]);
    expect(relatedOf(await view(second.ticketNo, 'acceptor'))).toEqual([[first.ticketNo, 'rule']]);

    // One row, from the new ticket to the earlier one, by the system; the number is in none of it.
    const links = await db.ticketLink.findMany({ where: { OR: [{ ticketNo: { in: [first.ticketNo, second.ticketNo] } }, { relatedNo: { in: [first.ticketNo, second.ticketNo] } }] } });
    expect(links).toEqual([expect.objectContaining({ ticketNo: second.ticketNo, relatedNo: first.ticketNo, source: 'rule', createdBy: 'system', removedAt: null })]);
    expect(JSON.stringify(links)).not.toContain(phone.slice(3));
    // The key is an HMAC of the national number, the same for both, and not the number.
    const rows = await db.ticket.findMany({ where: { ticketNo: { in: [first.ticketNo, second.ticketNo] } }, select: { reporterKey: true } });
    expect(rows.map((r) => r.reporterKey)).toEqual([reporterKey(phone, LOCAL_DEVELOPMENT_REPORTER_KEY_SECRET), reporterKey(phone, LOCAL_DEVELOPMENT_REPORTER_KEY_SECRET)]);
    expect(rows[0]!.reporterKey).not.toContain(phone);

    // The workflow was started with the related ticket (number, time, source, rating) and nothing of the reporter.
    expect((await startInput(second.ticketNo)).relatedReports).toEqual([{ ticketNo: first.ticketNo, dispatchedAt: new Date(first.dispatchedAt).toISOString(), source: 'rule', satisfaction: null }]);
    const history = await historyText(second.ticketNo);
    expect(history).toContain(first.ticketNo);
    for (const secret of [phone, phone.slice(3), '赵六', second.content, rows[0]!.reporterKey!]) expect(history).not.toContain(secret);
  });

  test('the earlier ticket’s rating travels with the link; a report more than 90 days earlier is outside the window', async () => {
    const phone = newPhone();
    // Only a dispatch time in the future is refused (第十一条(四)): one 91 days old is taken.
    const old = fresh(phone, {}, 91 * 86_400_000);
    await dispatched(old);
    const rated = fresh(phone, {}, 11 * 60_000);
    await dispatched(rated);
    await closeAndRate(rated.ticketNo, 'unsatisfied');
    const now = fresh(phone);
    const created = await dispatched(now);
    expect(relatedOf(created)).toEqual([[rated.ticketNo, 'rule']]);
    expect(created.related[0]).toMatchObject({ status: 'closed', satisfaction: 'unsatisfied' });
    expect((await startInput(now.ticketNo)).relatedReports).toEqual([{ ticketNo: rated.ticketNo, dispatchedAt: new Date(rated.dispatchedAt).toISOString(), source: 'rule', satisfaction: 'unsatisfied' }]);
  });

  test('another category, another unit or an anonymous reporter: not related', async () => {
    const phone = newPhone();
    const complaint = fresh(phone);
    await dispatched(complaint);
    const consultation = await dispatched(fresh(phone, { category: 'consultation' }));
    const otherUnit = await dispatched(fresh(phone, { unitId: 'port-shipping-bureau' }));
    const anonymous = fresh(phone, { reporter: { anonymous: true } });
    const anon = await dispatched(anonymous);
    expect([consultation.related, otherUnit.related, anon.related]).toEqual([[], [], []]);
    expect((await view(complaint.ticketNo)).related).toEqual([]);
    expect((await db.ticket.findUniqueOrThrow({ where: { ticketNo: anonymous.ticketNo } })).reporterKey).toBeNull();
    expect((await startInput(consultation.ticketNo)).relatedReports).toEqual([]);
  });

  test('a ticket the platform names is related (platform); an unknown number is left out; named and found is the platform’s', async () => {
    const named = fresh(newPhone());
    await dispatched(named);
    const phone = newPhone();
    const both = fresh(phone);
    await dispatched(both);
    const d = fresh(phone, { relatedTicketNos: [named.ticketNo, both.ticketNo, 'NO-SUCH-TICKET-1'] });
    const created = await dispatched(d);
    expect(relatedOf(created).sort()).toEqual([[named.ticketNo, 'platform'], [both.ticketNo, 'platform']].sort());
    const links = await db.ticketLink.findMany({ where: { ticketNo: d.ticketNo } });
    expect(links.map((l) => [l.relatedNo, l.source, l.createdBy]).sort()).toEqual([[named.ticketNo, 'platform', 'platform'], [both.ticketNo, 'platform', 'platform']].sort());
    expect(relatedOf(await view(named.ticketNo))).toEqual([[d.ticketNo, 'platform']]);
  });

  test('第二十二条(五): the complaint’s wording is judged at dispatch; the workflow gets the finding, not the text', async () => {
    const d = fresh(newPhone(), { subject: '举报执法人员', content: '执法人员在天津站违规执法、乱罚款，未出具任何票据。' });
    await dispatched(d);
    const input = await startInput(d.ticketNo);
    expect(input.managementMisconductReported).toBe(true);
    const plain = fresh(newPhone());
    await dispatched(plain);
    expect((await startInput(plain.ticketNo)).managementMisconductReported).toBe(false);
    // The finding's own wording (a supervision case's trigger) may be in the history; the complaint is not.
    const history = await historyText(d.ticketNo);
    expect(history).not.toContain('未出具任何票据');
  });
});

describe('委政务服务处 links and unlinks by hand', () => {
  test('link (manual), shown both ways and sent to the workflow; unlink keeps the row, removed; a re-link restores it', async () => {
    const a = fresh(newPhone());
    const b = fresh(newPhone());
    await dispatched(a);
    await dispatched(b);

    const linked = await call('POST', `/api/v1/tickets/${a.ticketNo}/related`, 'sd', { relatedNo: b.ticketNo });
    expect([linked.status, linked.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
    expect(relatedOf(linked.body)).toEqual([[b.ticketNo, 'manual']]);
    expect(relatedOf(await view(b.ticketNo))).toEqual([[a.ticketNo, 'manual']]);
    expect(await db.ticketLink.findUniqueOrThrow({ where: { ticketNo_relatedNo: { ticketNo: a.ticketNo, relatedNo: b.ticketNo } } })).toMatchObject({ source: 'manual', createdBy: 'sd-supervisor', removedAt: null });
    // The workflow got the list as it now is.
    const history = await historyText(a.ticketNo);
    expect(history).toContain(b.ticketNo);

    // Linking again changes nothing; linking from the other side finds the same pair.
    expect(relatedOf((await call('POST', `/api/v1/tickets/${a.ticketNo}/related`, 'sd', { relatedNo: b.ticketNo })).body)).toEqual([[b.ticketNo, 'manual']]);
    expect(relatedOf((await call('POST', `/api/v1/tickets/${b.ticketNo}/related`, 'sd', { relatedNo: a.ticketNo })).body)).toEqual([[a.ticketNo, 'manual']]);
    expect(await db.ticketLink.count({ where: { OR: [{ ticketNo: a.ticketNo }, { ticketNo: b.ticketNo }] } })).toBe(1);

    const unlinked = await call('DELETE', `/api/v1/tickets/${b.ticketNo}/related/${a.ticketNo}`, 'sd');
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.related).toEqual([]);
    expect((await view(a.ticketNo)).related).toEqual([]);
    const removed = await db.ticketLink.findUniqueOrThrow({ where: { ticketNo_relatedNo: { ticketNo: a.ticketNo, relatedNo: b.ticketNo } } });
    expect(removed).toMatchObject({ removedBy: 'sd-supervisor', removedAt: expect.any(Date) });
    // Unlinking again answers the same.
    expect((await call('DELETE', `/api/v1/tickets/${a.ticketNo}/related/${b.ticketNo}`, 'sd')).body.related).toEqual([]);

    const relinked = await call('POST', `/api/v1/tickets/${b.ticketNo}/related`, 'sd', { relatedNo: a.ticketNo });
    expect(relatedOf(relinked.body)).toEqual([[a.ticketNo, 'manual']]);
    expect(await db.ticketLink.findUniqueOrThrow({ where: { ticketNo_relatedNo: { ticketNo: a.ticketNo, relatedNo: b.ticketNo } } })).toMatchObject({ removedAt: null, removedBy: null });
  });

  test('a link the ticket’s workflow refuses (it has ended) is undone: 409 and no link', async () => {
    const a = fresh(newPhone());
    const b = fresh(newPhone());
    await dispatched(a);
    await dispatched(b);
    const returned = await call('POST', `/api/v1/tickets/${a.ticketNo}/return`, 'acceptor', {
      ground: 'not-our-duty',
      evidence: { reasons: '该事项不属于本单位职责', basis: '《天津市客运出租汽车管理条例》', proposedTransferee: '市交通运输执法总队' },
    });
    expect([returned.status, returned.text.slice(0, 200)]).toEqual([200, expect.any(String)]);
    expect((await call('POST', `/api/v1/tickets/${a.ticketNo}/withdraw`, 'dispatcher', { note: '平台收回工单' })).status).toBe(200);
    const handle = rig.env.client.workflow.getHandle(a.ticketNo);
    expect(await eventually(async () => (await handle.describe()).status.name, (s) => s === 'COMPLETED')).toBe('COMPLETED');

    const refused = await call('POST', `/api/v1/tickets/${a.ticketNo}/related`, 'sd', { relatedNo: b.ticketNo });
    expect(refused.status).toBe(409);
    expect(await db.ticketLink.count({ where: { OR: [{ ticketNo: a.ticketNo }, { relatedNo: a.ticketNo }] } })).toBe(0);
    expect((await view(b.ticketNo)).related).toEqual([]);
  });

  test('a link the rule made can be unlinked', async () => {
    const phone = newPhone();
    const first = fresh(phone, {}, 86_400_000);
    await dispatched(first);
    const second = fresh(phone);
    expect(relatedOf(await dispatched(second))).toEqual([[first.ticketNo, 'rule']]);
    const a = await call('DELETE', `/api/v1/tickets/${second.ticketNo}/related/${first.ticketNo}`, 'sd');
    expect([a.status, a.body.related]).toEqual([200, []]);
    expect((await view(first.ticketNo)).related).toEqual([]);
  });

  test('only 委政务服务处: a unit’s supervisor or acceptor gets 403, another 委政务服务处 role 403; itself 400; an unknown ticket 404', async () => {
    const a = fresh(newPhone());
    const b = fresh(newPhone());
    await dispatched(a);
    await dispatched(b);
    for (const who of ['unitSupervisor', 'acceptor', 'sdAcceptor', 'dispatcher']) {
      expect([who, (await call('POST', `/api/v1/tickets/${a.ticketNo}/related`, who, { relatedNo: b.ticketNo })).status]).toEqual([who, 403]);
      expect([who, (await call('DELETE', `/api/v1/tickets/${a.ticketNo}/related/${b.ticketNo}`, who)).status]).toEqual([who, 403]);
    }
    const self = await call('POST', `/api/v1/tickets/${a.ticketNo}/related`, 'sd', { relatedNo: a.ticketNo });
    expect([self.status, self.body.errors]).toEqual([400, [expect.objectContaining({ field: 'relatedNo' })]]);
    expect((await call('POST', `/api/v1/tickets/${a.ticketNo}/related`, 'sd', { relatedNo: 'NO-SUCH-TICKET-2' })).status).toBe(404);
    expect((await call('POST', '/api/v1/tickets/NO-SUCH-TICKET-3/related', 'sd', { relatedNo: a.ticketNo })).status).toBe(404);
    expect((await call('DELETE', `/api/v1/tickets/${a.ticketNo}/related/NO-SUCH-TICKET-4`, 'sd')).status).toBe(404);
    expect((await call('POST', `/api/v1/tickets/${a.ticketNo}/related`, 'sd', { relatedNo: '<script>' })).status).toBe(400);
    expect(await db.ticketLink.count({ where: { OR: [{ ticketNo: a.ticketNo }, { relatedNo: a.ticketNo }] } })).toBe(0);
  });
});

describe('GET /tickets?relatedTo=', () => {
  test('lists the tickets linked either way, not unlinked ones, within what the caller may see', async () => {
    const phone = newPhone();
    const hub = fresh(phone, {}, 2 * 86_400_000);
    await dispatched(hub);
    const later = fresh(phone); // links to hub (rule)
    await dispatched(later);
    const named = fresh(newPhone(), { relatedTicketNos: [hub.ticketNo] }); // links to hub (platform)
    await dispatched(named);
    const elsewhere = fresh(newPhone(), { unitId: 'port-shipping-bureau' });
    await dispatched(elsewhere);
    const unrelated = fresh(newPhone());
    await dispatched(unrelated);
    // hub → elsewhere by hand, then one more unlinked.
    expect((await call('POST', `/api/v1/tickets/${hub.ticketNo}/related`, 'sd', { relatedNo: elsewhere.ticketNo })).status).toBe(200);
    expect((await call('POST', `/api/v1/tickets/${hub.ticketNo}/related`, 'sd', { relatedNo: unrelated.ticketNo })).status).toBe(200);
    expect((await call('DELETE', `/api/v1/tickets/${hub.ticketNo}/related/${unrelated.ticketNo}`, 'sd')).status).toBe(200);

    const list = async (who: string, no: string) => {
      const a = await call('GET', `/api/v1/tickets?relatedTo=${no}&sort=dispatchedAt&limit=200`, who);
      expect(a.status).toBe(200);
      return a.body.items.map((i: { ticketNo: string }) => i.ticketNo).sort();
    };
    expect(await list('sd', hub.ticketNo)).toEqual([later.ticketNo, named.ticketNo, elsewhere.ticketNo].sort());
    expect(await list('sd', later.ticketNo)).toEqual([hub.ticketNo]);
    // 市道路运输局 sees its own tickets only; 市港航局 only its own.
    expect(await list('acceptor', hub.ticketNo)).toEqual([later.ticketNo, named.ticketNo].sort());
    expect(await list('psbAuditor', hub.ticketNo)).toEqual([elsewhere.ticketNo]);
    // The list shows each item's related tickets as the detail does.
    const items = (await call('GET', `/api/v1/tickets?relatedTo=${later.ticketNo}`, 'sd')).body.items;
    expect(items[0].related).toEqual((await view(hub.ticketNo)).related);

    const bad = await call('GET', '/api/v1/tickets?relatedTo=%3Cscript%3E', 'sd');
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'relatedTo']);
  });
});
