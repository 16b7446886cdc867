/**
 * 第二十四条–第二十六条 through HTTP: the month's statistics against a month of fixture tickets whose figures were
 * computed by hand (test/api/fixtures/month.ts), the CSV Excel opens in Chinese, the circular candidates, circulars
 * issued, listed and printed, referrals and good practice, and who sees what.
 *
 * The statistics read PostgreSQL only, so the API runs here without a Temporal server (the client is never called).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import type { Role } from '../../api/auth';
import type { Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { figuresOf, tallyStatistics } from '../../rules/statistics';
import { bearer, principal, TEST_AUTH } from '../helpers/auth';
import { testDb } from '../helpers/env';
import { EXPECTED_CANDIDATES, EXPECTED_HC, EXPECTED_PSB, EXPECTED_RTB, EXPECTED_TEC, EXPECTED_TOTAL, HC, MONTH, PSB, RTB, TEC, clearMonth, fixtureForTally, insertMonth, no } from './fixtures/month';

const SD = 'service-division';
let db: Db;
let server: Server;
let base: string;

interface Answer {
  status: number;
  type: string;
  headers: Headers;
  bytes: Buffer;
  text: string;
  body: any;
}

async function call(method: string, path: string, who: { unit: string; roles: Role[] } | null, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (who) headers.authorization = await bearer(principal(who.unit, who.roles, `${who.unit}.${who.roles.join('-')}`));
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}/api/v1${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // CSV or HTML
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, bytes, text, body };
}

const sdSupervisor = { unit: SD, roles: ['supervisor'] as Role[] };
const sdAdmin = { unit: SD, roles: ['admin'] as Role[] };
const rtbLeader = { unit: RTB, roles: ['leader'] as Role[] };

beforeAll(async () => {
  db = testDb();
  await insertMonth(db);
  const app = createApp({ db, client: {} as Client, namespace: 'default', taskQueue: 'statistics-api', logger: createLogger('silent'), auth: TEST_AUTH, rateLimitPerMinute: 100_000 });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  if (db) {
    await clearMonth(db);
    await db.$disconnect();
  }
});

const unitOf = (body: any, unitId: string) => body.units.find((u: { unitId: string }) => u.unitId === unitId);

describe('GET /statistics (第二十四条): the month’s figures against the hand-computed fixture', () => {
  test('委政务服务处 sees every unit and the Commission total; each figure as computed by hand', async () => {
    const a = await call('GET', `/statistics?month=${MONTH}`, sdSupervisor);
    expect(a.status).toBe(200);
    expect(a.body.period).toEqual({ from: '2025-03-01', to: '2025-03-31', month: MONTH });
    expect(unitOf(a.body, RTB)).toEqual(EXPECTED_RTB);
    expect(unitOf(a.body, PSB)).toEqual(EXPECTED_PSB);
    expect(unitOf(a.body, TEC)).toEqual(EXPECTED_TEC);
    expect(unitOf(a.body, HC)).toEqual(EXPECTED_HC);
    expect(a.body.total).toEqual(EXPECTED_TOTAL);
    // Every unit of the unit table is listed, 委政务服务处 last; the units without tickets show zeros.
    expect(a.body.units.map((u: { unitId: string }) => u.unitId)).toEqual(expect.arrayContaining([RTB, PSB, TEC, HC, 'comprehensive-service-center', SD]));
    expect(a.body.units.at(-1).unitId).toBe(SD);
    expect(unitOf(a.body, SD).received).toBe(0);
  });

  test('第二十四条: the SQL counts what rules/statistics.ts tallyStatistics defines, unit by unit', async () => {
    const a = await call('GET', `/statistics?month=${MONTH}`, sdSupervisor);
    const tally = tallyStatistics(fixtureForTally());
    for (const unit of [RTB, PSB, TEC, HC]) {
      const { unitId: _u, unitName: _n, ...figures } = unitOf(a.body, unit);
      expect({ unit, figures }).toEqual({ unit, figures: JSON.parse(JSON.stringify(figuresOf(tally.get(unit)!))) });
    }
  });

  test('第二十四条: a date range counts Asia/Shanghai days, both ends included', async () => {
    const whole = await call('GET', '/statistics?from=2025-03-01&to=2025-03-31', sdSupervisor);
    expect(whole.body.total).toEqual(EXPECTED_TOTAL);
    expect(whole.body.period).toEqual({ from: '2025-03-01', to: '2025-03-31', month: null });
    // 03-31 23:59:59 is M09 only; 04-01 00:00:00 is M11 (outside the month).
    const last = await call('GET', '/statistics?from=2025-03-31&to=2025-03-31', sdSupervisor);
    expect(unitOf(last.body, RTB)).toMatchObject({ received: 1, acceptance: { accepted: 0, onTime: 0 } });
    const next = await call('GET', '/statistics?from=2025-04-01&to=2025-04-01', sdSupervisor);
    expect(unitOf(next.body, RTB)).toMatchObject({ received: 1, closure: { closed: 1, onTime: 0 }, overdue: { rounds: 1 }, returns: { total: 1, refused: 1 } });
    expect(unitOf(next.body, RTB).supervision.cases).toBe(1);
  });

  test('第二十四条: a unit sees its own figures only, without the Commission total; another unit’s is a 403', async () => {
    const own = await call('GET', `/statistics?month=${MONTH}`, rtbLeader);
    expect(own.status).toBe(200);
    expect(own.body.units).toEqual([EXPECTED_RTB]);
    expect(own.body.total).toBeNull();
    expect((await call('GET', `/statistics?month=${MONTH}&unit=${RTB}`, { unit: RTB, roles: ['handler'] })).body.units).toEqual([EXPECTED_RTB]);
    const other = await call('GET', `/statistics?month=${MONTH}&unit=${PSB}`, rtbLeader);
    expect(other.status).toBe(403);
    expect(other.type).toContain('application/problem+json');
    // A co-handling unit sees its parts' timeliness as its own figures, not the lead unit's tickets.
    const hc = await call('GET', `/statistics?month=${MONTH}`, { unit: HC, roles: ['auditor'] });
    expect(hc.body.units).toEqual([EXPECTED_HC]);
  });

  test('第二十四条: 委政务服务处 may ask for one unit, and still gets the Commission total', async () => {
    const a = await call('GET', `/statistics?month=${MONTH}&unit=${PSB}`, { unit: SD, roles: ['auditor'] });
    expect(a.body.units).toEqual([EXPECTED_PSB]);
    expect(a.body.total).toEqual(EXPECTED_TOTAL);
    expect((await call('GET', `/statistics?month=${MONTH}&unit=no-such-unit`, sdSupervisor)).status).toBe(400);
  });

  test.each([
    ['no period', ''],
    ['month and from', `month=${MONTH}&from=2025-03-01&to=2025-03-02`],
    ['from without to', 'from=2025-03-01'],
    ['a reversed range', 'from=2025-03-10&to=2025-03-01'],
    ['more than 366 days', 'from=2024-01-01&to=2025-01-01'],
    ['not a date', 'from=2025-02-30&to=2025-03-01'],
    ['not a month', 'month=2025-3'],
    ['an unknown parameter', `month=${MONTH}&x=1`],
  ])('第二十四条: %s is a 400 problem', async (_what, qs) => {
    const a = await call('GET', `/statistics?${qs}`, sdSupervisor);
    expect(a.status).toBe(400);
    expect(a.type).toContain('application/problem+json');
  });
});

describe('CSV (第二十四条): Excel opens it in Chinese', () => {
  test('Accept: text/csv answers UTF-8 with a BOM, Chinese headers, one row per unit and the total', async () => {
    const a = await call('GET', `/statistics?month=${MONTH}`, sdSupervisor, { headers: { accept: 'text/csv' } });
    expect(a.status).toBe(200);
    expect(a.type).toBe('text/csv; charset=utf-8');
    expect([...a.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(a.headers.get('content-disposition')).toContain('attachment');
    const lines = a.text.slice(1).split('\r\n').filter(Boolean);
    const header = lines[0]!.split(',');
    expect(header.slice(0, 5)).toEqual(['单位', '受理工单数', '已接单数', '按时接单数', '响应率（按时接单率）']);
    expect(header).toEqual(expect.arrayContaining(['办结率', '满意率', '按时办结率', '超时办理轮次', '退单被平台退回数', '督办逾期未答复', '申诉成立', '协办逾期']));
    const json = await call('GET', `/statistics?month=${MONTH}`, sdSupervisor);
    expect(lines).toHaveLength(1 + json.body.units.length + 1);
    const row = (name: string) => Object.fromEntries(lines.find((l) => l.startsWith(`${name},`))!.split(',').map((v, i) => [header[i], v]));
    expect(row('市道路运输局')).toMatchObject({ 受理工单数: '8', 按时接单数: '3', '响应率（按时接单率）': '37.50%', 办结数: '4', 办结率: '57.14%', 满意率: '100.00%', 退单被平台退回数: '3', 超时办理轮次: '3' });
    expect(row('市公路中心')).toMatchObject({ 受理工单数: '0', 办结率: '', 协办逾期: '1' });
    expect(row('全委合计')).toMatchObject({ 受理工单数: '12', '响应率（按时接单率）': '58.33%', 办结率: '63.64%', 满意率: '83.33%', '督办：第二十二条(一)': '2' });
    expect(lines.at(-1)!.startsWith('全委合计,')).toBe(true);
  });

  test('format=csv serves the same CSV (a download link); a unit’s CSV has its row only', async () => {
    const viaAccept = await call('GET', `/statistics?month=${MONTH}`, sdSupervisor, { headers: { accept: 'text/csv' } });
    const viaFormat = await call('GET', `/statistics?month=${MONTH}&format=csv`, sdSupervisor);
    expect(viaFormat.text).toBe(viaAccept.text);
    const unit = await call('GET', `/statistics?month=${MONTH}&format=csv`, rtbLeader);
    const lines = unit.text.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.startsWith('市道路运输局,8,')).toBe(true);
  });

  test('第二十四条: a request for neither JSON nor CSV is a 406', async () => {
    expect((await call('GET', `/statistics?month=${MONTH}`, sdSupervisor, { headers: { accept: 'application/xml' } })).status).toBe(406);
  });
});

describe('circular candidates (第二十四条)', () => {
  test('第二十四条(一)(二)(三): the units meeting a criterion of the month, with the tickets behind each', async () => {
    const a = await call('GET', `/circulars/candidates?month=${MONTH}`, sdSupervisor);
    expect(a.status).toBe(200);
    expect(a.body.thresholds).toEqual({
      refusedReturns: { value: 2, article: 'spec decision (第二十四条(一))' },
      repeatedReturns: { value: 1, article: 'spec decision (第二十四条(一), 第八条(三)2)' },
      overdueTickets: { value: 3, article: 'spec decision (第二十四条(一))' },
    });
    const byUnit = Object.fromEntries(a.body.candidates.map((c: { unitId: string }) => [c.unitId, c]));
    expect(Object.keys(byUnit).sort()).toEqual([HC, PSB, RTB].sort());
    for (const expected of EXPECTED_CANDIDATES) expect(byUnit[expected.unitId]).toMatchObject({ unitId: expected.unitId, criteria: expected.criteria.map((c) => expect.objectContaining(c)) });
    expect(byUnit[RTB].unitName).toBe('市道路运输局');
    expect(byUnit[RTB].criteria[0].reason).toContain('退单被平台退回3次');
    expect(byUnit[HC].criteria[0].recordId).toMatch(/^\d+$/);
  });

  test('第二十四条: only 委政务服务处’s supervisors and administrators see the candidates', async () => {
    expect((await call('GET', `/circulars/candidates?month=${MONTH}`, sdAdmin)).status).toBe(200);
    expect((await call('GET', `/circulars/candidates?month=${MONTH}`, { unit: SD, roles: ['auditor'] })).status).toBe(403);
    expect((await call('GET', `/circulars/candidates?month=${MONTH}`, { unit: RTB, roles: ['supervisor'] })).status).toBe(403);
    expect((await call('GET', `/circulars/candidates?month=${MONTH}`, rtbLeader)).status).toBe(403);
    expect((await call('GET', '/circulars/candidates', sdSupervisor)).status).toBe(400);
  });
});

describe('circulars (第二十四条): issued, listed, printed', () => {
  const markup = '<script>alert("x")</script>';
  const circular = {
    number: '津交热线通报〔2025〕1号',
    date: '2025-04-03',
    units: [RTB],
    facts: `3月份，市道路运输局退单3次被平台退回，3件工单超时办理。\n反映人原话：${markup}`,
    tickets: [no(4), no(5)],
  };
  let id = '';

  test('第二十四条: 委政务服务处’s supervisor issues a circular: number, date, units, facts and tickets are stored', async () => {
    const a = await call('POST', '/circulars', sdSupervisor, { body: circular });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      kind: 'circular',
      kindName: '通报批评',
      article: '第二十四条',
      number: circular.number,
      date: '2025-04-03',
      month: '2025-04',
      title: '关于2025年4月便民服务热线工单办理情况的通报',
      units: [{ unitId: RTB, unitName: '市道路运输局' }],
      facts: circular.facts,
      tickets: circular.tickets,
      by: `${SD}.supervisor`,
    });
    id = a.body.id;
    const row = await db.circularRecord.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(row).toMatchObject({ kind: 'circular', number: circular.number, month: '2025-04', units: [RTB], tickets: circular.tickets, facts: circular.facts });
  });

  test('第二十四条: the same number again is a 409; unknown units, tickets of other units and future dates are refused', async () => {
    expect((await call('POST', '/circulars', sdSupervisor, { body: circular })).status).toBe(409);
    const unknown = await call('POST', '/circulars', sdSupervisor, { body: { ...circular, number: 'X-2', units: [RTB, 'no-such-unit'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'units.1' })]);
    const stranger = await call('POST', '/circulars', sdSupervisor, { body: { ...circular, number: 'X-3', tickets: [no(4), no(12)] } });
    expect(stranger.status).toBe(422);
    expect(stranger.body.violations).toEqual([expect.objectContaining({ rule: 'circular.ticket-unit', article: '第二十四条', field: 'tickets.1' })]);
    const missing = await call('POST', '/circulars', sdSupervisor, { body: { ...circular, number: 'X-4', tickets: ['NO-SUCH-TICKET'] } });
    expect(missing.status).toBe(400);
    const future = await call('POST', '/circulars', sdSupervisor, { body: { ...circular, number: 'X-5', date: '2099-01-01' } });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'date' })]);
    expect(await db.circularRecord.count({ where: { number: { startsWith: 'X-' } } })).toBe(0);
  });

  test('第二十四条: only a supervisor of 委政务服务处 issues circulars', async () => {
    expect((await call('POST', '/circulars', { unit: RTB, roles: ['supervisor'] }, { body: { ...circular, number: 'Y-1' } })).status).toBe(403);
    expect((await call('POST', '/circulars', sdAdmin, { body: { ...circular, number: 'Y-2' } })).status).toBe(403);
    expect((await call('POST', '/circulars', rtbLeader, { body: { ...circular, number: 'Y-3' } })).status).toBe(403);
  });

  test('第二十四条: the month’s circulars are listed, for 委政务服务处 and the units alike', async () => {
    for (const who of [sdSupervisor, rtbLeader]) {
      const a = await call('GET', '/circulars?month=2025-04', who);
      expect(a.status).toBe(200);
      expect(a.body.items.map((c: { id: string }) => c.id)).toContain(id);
      expect(a.body.items.find((c: { id: string }) => c.id === id)).toMatchObject({ number: circular.number, printUrl: `/api/v1/circulars/${id}/print` });
    }
    expect((await call('GET', `/circulars?month=${MONTH}`, sdSupervisor)).body.items.map((c: { id: string }) => c.id)).not.toContain(id);
  });

  test('第二十四条: the printable page is Chinese HTML with every value escaped', async () => {
    const a = await call('GET', `/circulars/${id}/print`, rtbLeader);
    expect(a.status).toBe(200);
    expect(a.type).toContain('text/html');
    expect(a.text).toContain('<html lang="zh-CN">');
    expect(a.text).toContain('天津市交通运输委员会');
    expect(a.text).toContain('津交热线通报〔2025〕1号');
    expect(a.text).toContain('2025年4月3日');
    expect(a.text).toContain('市道路运输局');
    expect(a.text).toContain(no(4));
    expect(a.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(a.text).not.toContain(markup);
    expect(a.headers.get('content-security-policy')).toBeTruthy();
    expect((await call('GET', '/circulars/999999999/print', sdSupervisor)).status).toBe(404);
    expect((await call('GET', '/circulars/abc/print', sdSupervisor)).status).toBe(400);
  });
});

describe('hand records: 第二十四条(三), referrals (第二十五条), good practice (第二十六条)', () => {
  test('第二十四条(三): a city circular recorded by 委政务服务处 puts the unit among the month’s candidates', async () => {
    const a = await call('POST', '/circular-records', sdSupervisor, {
      body: { kind: 'city-circular', month: MONTH, units: [TEC], title: '市政务服务办通报：执法投诉办理不力', facts: '3月份市政务服务办通报执法总队投诉办理不力。', tickets: [no(14)] },
    });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ kind: 'city-circular', article: '第二十四条(三)', units: [{ unitId: TEC, unitName: '市交通运输执法总队' }] });
    const c = await call('GET', `/circulars/candidates?month=${MONTH}`, sdSupervisor);
    const tec = c.body.candidates.find((x: { unitId: string }) => x.unitId === TEC);
    expect(tec.criteria).toEqual([expect.objectContaining({ rule: 'circular.city-circular', article: '第二十四条(三)', tickets: [no(14)], recordId: a.body.id })]);
  });

  test('第二十五条: a referral records the case, its ground and the tickets behind it', async () => {
    const a = await call('POST', '/circular-records', sdSupervisor, {
      body: { kind: 'referral', month: MONTH, units: [RTB], title: '工单办理弄虚作假线索', facts: '经研判，该单位虚假办结工单属实。', ground: 'falsification', tickets: [no(5)] },
    });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ kind: 'referral', article: '第二十五条', ground: 'falsification', groundText: { article: '第二十五条(二)' }, tickets: [no(5)] });
    const noGround = await call('POST', '/circular-records', sdSupervisor, { body: { kind: 'referral', month: MONTH, units: [RTB], title: '线索', facts: '事实', tickets: [no(5)] } });
    expect(noGround.status).toBe(400);
    expect(noGround.body.errors).toEqual([expect.objectContaining({ field: 'ground' })]);
    expect((await call('POST', '/circular-records', rtbLeader, { body: { kind: 'referral', month: MONTH, units: [RTB], title: '线索', facts: '事实', ground: 'concealment', tickets: [no(5)] } })).status).toBe(403);
    expect((await call('POST', '/circular-records', { unit: RTB, roles: ['supervisor'] }, { body: { kind: 'media-exposure', month: MONTH, units: [RTB], title: '报道', facts: '事实' } })).status).toBe(403);
  });

  test('第二十六条: a unit’s leader submits its own good practice; 委政务服务处 lists every unit’s, a unit its own', async () => {
    const a = await call('POST', '/circular-records', rtbLeader, { body: { kind: 'good-practice', month: MONTH, title: '出租车投诉“当日清”', facts: '当日联系反映人，当日处理。', tickets: [no(1)] } });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ kind: 'good-practice', article: '第二十六条', units: [{ unitId: RTB }], by: `${RTB}.leader` });
    const other = await call('POST', '/circular-records', rtbLeader, { body: { kind: 'good-practice', month: MONTH, units: [PSB], title: '他单位', facts: '事实' } });
    expect(other.status).toBe(422);
    expect(other.body.violations[0]).toMatchObject({ article: '第二十六条' });
    const notOwnTicket = await call('POST', '/circular-records', rtbLeader, { body: { kind: 'good-practice', month: MONTH, title: '他单位工单', facts: '事实', tickets: [no(12)] } });
    expect(notOwnTicket.status).toBe(422);
    expect((await call('POST', '/circular-records', sdSupervisor, { body: { kind: 'good-practice', month: MONTH, title: '做法', facts: '事实' } })).status).toBe(403);
    expect((await call('POST', '/circular-records', rtbLeader, { body: { kind: 'good-practice', month: '2099-01', title: '做法', facts: '事实' } })).status).toBe(400);

    const sd = await call('GET', `/circular-records?kind=good-practice&month=${MONTH}`, sdSupervisor);
    expect(sd.body.items.map((r: { units: { unitId: string }[] }) => r.units[0]!.unitId).sort()).toEqual([RTB, TEC].sort());
    const own = await call('GET', `/circular-records?month=${MONTH}`, rtbLeader);
    expect(own.body.items.map((r: { kind: string; units: { unitId: string }[] }) => [r.kind, r.units[0]!.unitId])).toEqual([['good-practice', RTB]]);
    const referrals = await call('GET', `/circular-records?kind=referral&month=${MONTH}`, { unit: SD, roles: ['auditor'] });
    expect(referrals.body.items).toEqual([expect.objectContaining({ kind: 'referral', ground: 'falsification' })]);
  });
});
