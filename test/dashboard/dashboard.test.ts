/// <reference lib="dom" />
/**
 * The division's dashboard (issue 10) in a real headless Chromium — Debian's `chromium`, driven by playwright-core,
 * never a browser downloaded by the library: sign-in (a bearer token, and the development sign-in of local runs), the
 * table's figures against `GET /api/v1/statistics`, each chart rendered from the same figures, the overdue and
 * supervised tickets linked to their detail, the month's deadlines with who has not filed, the circular candidates,
 * and a unit's leader who cannot see another unit. A screenshot of each view goes to test-output/dashboard/.
 *
 * The month is September 2024, which no other test writes: its figures cannot change between the page's request and
 * the test's. The page reads PostgreSQL only, so no Temporal server runs here.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../api/app';
import type { Role } from '../../api/auth';
import type { Prisma } from '../../generated/prisma/client';
import type { Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { bearer, principal, TEST_AUTH } from '../helpers/auth';
import { chromiumPath } from '../helpers/browser';
import { testDb } from '../helpers/env';

const MONTH = '2024-09';
const PREFIX = 'DASH2409-';
const RTB = 'road-transport-bureau';
const PSB = 'port-shipping-bureau';
const SD = 'service-division';
const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'dashboard');

let db: Db;
let server: Server;
let base: string;
let browser: Browser;

const sh = (s: string) => new Date(`${s}+08:00`);
const no = (n: number) => `${PREFIX}${String(n).padStart(2, '0')}`;

interface T {
  n: number;
  unitId: string;
  day: string;
  status: string;
  accepted?: string;
  acceptOverdue?: boolean;
  overdue?: boolean;
  supervised?: boolean;
  closed?: string;
  satisfaction?: string;
  /** `[type, at, payload]` after the dispatch. */
  events?: [string, string, Record<string, unknown>][];
}

/** A month of two units: closed, open, overdue, supervised, rated. */
const TICKETS: T[] = [
  { n: 1, unitId: RTB, day: '2024-09-02', status: 'closed', accepted: '2024-09-02T10:00:00', closed: '2024-09-05T10:00:00', satisfaction: 'satisfied' },
  { n: 2, unitId: RTB, day: '2024-09-03', status: 'closed', accepted: '2024-09-03T13:30:00', acceptOverdue: true, closed: '2024-09-12T10:00:00', overdue: true, satisfaction: 'unsatisfied' },
  { n: 3, unitId: RTB, day: '2024-09-10', status: 'contacted', accepted: '2024-09-10T09:30:00', overdue: true, supervised: true },
  {
    n: 4, unitId: RTB, day: '2024-09-11', status: 'accepted', accepted: '2024-09-11T15:10:00', acceptOverdue: true,
    events: [['returned', '2024-09-11T10:00:00', { ground: 'not-our-duty' }], ['return-refused', '2024-09-11T15:00:00', { reason: '属于承办单位职责' }]],
  },
  { n: 5, unitId: PSB, day: '2024-09-04', status: 'closed', accepted: '2024-09-04T09:20:00', closed: '2024-09-06T16:00:00', satisfaction: 'basically-satisfied' },
  { n: 6, unitId: PSB, day: '2024-09-05', status: 'assigned', accepted: '2024-09-05T10:00:00', overdue: true, supervised: true },
  { n: 7, unitId: PSB, day: '2024-09-18', status: 'dispatched', acceptOverdue: true },
];

async function clear(): Promise<void> {
  const like = { startsWith: PREFIX };
  await db.supervisionCase.deleteMany({ where: { ticketNo: like } });
  await db.ticketEvent.deleteMany({ where: { ticketNo: like } });
  await db.ticket.deleteMany({ where: { ticketNo: like } });
  await db.appealPackage.deleteMany({ where: { month: '2024-08' } });
  await db.circularRecord.deleteMany({ where: { month: MONTH } });
}

async function insert(): Promise<void> {
  await clear();
  await db.ticket.createMany({
    data: TICKETS.map((t) => ({
      ticketNo: no(t.n),
      channel: '12345',
      category: 'complaint',
      labels: [],
      unitId: t.unitId,
      status: t.status,
      reporterAnonymous: true,
      subject: `看板测试工单${t.n}`,
      content: '看板测试工单内容',
      dispatchedAt: sh(`${t.day}T09:00:00`),
      dispatchedToUnitAt: sh(`${t.day}T09:00:00`),
      acceptDueAt: sh(`${t.day}T12:00:00`),
      acceptedAt: t.accepted ? sh(t.accepted) : null,
      acceptOverdue: t.acceptOverdue ?? false,
      handlingOverdue: t.overdue ?? false,
      supervised: t.supervised ?? false,
      satisfaction: t.satisfaction ?? null,
      ratedAt: t.satisfaction ? sh(t.closed!) : null,
      closedAt: t.closed ? sh(t.closed) : null,
      dueAt: sh(`${t.day}T09:00:00`),
      rounds: [{ orderedBy: 'platform', items: [], extension: null, reminded: false, nearDeadlinePassed: false, startedAt: sh(`${t.day}T09:00:00`).toISOString(), dueAt: sh(`${t.day}T18:00:00`).toISOString(), closedAt: t.closed ? sh(t.closed).toISOString() : null, overdue: t.overdue ?? false }] as Prisma.InputJsonValue,
      parts: [],
      involvedUnits: [t.unitId],
    })),
  });
  await db.ticketEvent.createMany({
    data: TICKETS.flatMap((t) => [
      { ticketNo: no(t.n), sequence: 1, type: 'dispatched', actor: 'platform', at: sh(`${t.day}T09:00:00`), payload: {} },
      ...(t.events ?? []).map(([type, at, payload], i) => ({ ticketNo: no(t.n), sequence: i + 2, type, actor: 'fixture', at: sh(at), payload: payload as Prisma.InputJsonValue })),
    ]),
  });
  await db.supervisionCase.createMany({
    data: TICKETS.filter((t) => t.supervised).map((t) => ({
      id: `${no(t.n)}:1`,
      ticketNo: no(t.n),
      unitId: t.unitId,
      triggers: [{ rule: 'fixture', article: '第二十二条(一)', reason: '看板测试' }],
      openedBy: 'system',
      openedAt: sh(`${t.day}T18:00:00`),
      answerDueAt: sh(`${t.day}T23:00:00`),
      late: true,
      status: 'open',
    })),
  });
  // Last month's appeals: RTB's package is not yet submitted.
  await db.appealPackage.create({ data: { id: `${RTB}:2024-08`, unitId: RTB, month: '2024-08', dueAt: sh('2024-09-06T23:59:59.999') } });
  // 第二十四条(三): a media exposure of PSB makes it a candidate.
  await db.circularRecord.create({ data: { kind: 'media-exposure', month: MONTH, units: [PSB], title: '看板测试：媒体曝光', facts: '媒体报道港口服务问题。', tickets: [no(6)], by: 'sd-supervisor' } });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  db = testDb();
  await insert();
  const app = createApp({
    db,
    client: {} as Client,
    namespace: 'default',
    taskQueue: 'dashboard',
    logger: createLogger('silent'),
    auth: TEST_AUTH,
    rateLimitPerMinute: 100_000,
    devSignIn: TEST_AUTH,
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  if (db) {
    await clear();
    await db.$disconnect();
  }
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

async function apiGet(token: string, p: string) {
  const res = await fetch(`${base}/api/v1${p}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.json() as Promise<any>;
}

/** The statistics as the table writes them. */
const pct = (r: { value: number | null }) => (r.value === null ? '—' : `${(r.value * 100).toFixed(2)}%`);
const cellsOf = (f: any): Record<string, string> => ({
  received: String(f.received),
  'acceptance.onTime': String(f.acceptance.onTime),
  'threeRates.response': pct(f.threeRates.response),
  'closure.toClose': String(f.closure.toClose),
  'closure.closed': String(f.closure.closed),
  'threeRates.completion': pct(f.threeRates.completion),
  'closure.onTimeRate': pct(f.closure.onTimeRate),
  'overdue.tickets': String(f.overdue.tickets),
  'returns.total': String(f.returns.total),
  'returns.refused': String(f.returns.refused),
  'extensions.approved': String(f.extensions.approved),
  'reopens.reopens': String(f.reopens.reopens),
  'supervision.cases': String(f.supervision.cases),
  'ratings.rated': String(f.ratings.rated),
  'threeRates.satisfaction': pct(f.threeRates.satisfaction),
  appeals: `${f.appeals.filed}/${f.appeals.upheld}`,
});

/** Each row of the table: unit → field → text. */
async function tableOf(page: Page): Promise<Record<string, Record<string, string>>> {
  return page.$$eval('#figures tbody tr', (rows) =>
    Object.fromEntries(
      rows.map((r) => [
        r.getAttribute('data-unit')!,
        Object.fromEntries(Array.from(r.querySelectorAll('td[data-field]')).map((td) => [td.getAttribute('data-field')!, td.textContent ?? ''])),
      ]),
    ),
  );
}

async function signInWithToken(page: Page, token: string, month = MONTH): Promise<void> {
  await page.goto(`${base}/dashboard?month=${month}`);
  await page.fill('#token', token);
  await page.click('#sign-in-submit');
}

const tokenOf = async (unit: string, roles: Role[]) => (await bearer(principal(unit, roles, `${unit}.${roles.join('-')}`))).slice('Bearer '.length);

describe('the dashboard in Chromium', () => {
  test('委政务服务处 signs in with the development sign-in and sees every unit: the table equals the API, every chart renders its figures', async () => {
    const page = await newPage();
    await page.goto(`${base}/dashboard?month=${MONTH}`);
    await expect(page.title()).resolves.toContain('便民服务热线月度看板');
    await page.selectOption('#dev-unit', SD);
    await page.selectOption('#dev-role', 'supervisor');
    await page.click('#dev-sign-in-submit');
    await page.waitForSelector('body[data-ready="month"]');
    await expect(page.textContent('#who-name')).resolves.toContain('委政务服务处');

    // The page's own token, so the API answers for the very same user.
    const token = await page.evaluate(() => sessionStorage.getItem('hotline.dashboard.token'));
    expect(token).toBeTruthy();
    const api = await apiGet(token!, `/statistics?month=${MONTH}`);
    const table = await tableOf(page);
    const expected = Object.fromEntries([...api.units.map((u: any) => [u.unitId, cellsOf(u)]), ['total', cellsOf(api.total)]]);
    expect(table).toEqual(expected);
    // The fixture's figures, so that the comparison is not of two empty tables.
    expect(table[RTB]).toMatchObject({ received: '4', 'acceptance.onTime': '2', 'closure.closed': '2', 'overdue.tickets': '2', 'returns.total': '1', 'returns.refused': '1', 'threeRates.satisfaction': '50.00%' });
    expect(table[PSB]).toMatchObject({ received: '3', 'closure.closed': '1', 'supervision.cases': '1' });
    expect(table.total).toMatchObject({ received: '7', 'closure.closed': '3' });

    // Each chart drew on its canvas, from the same figures.
    for (const id of ['chart-rates', 'chart-volume', 'chart-returns', 'chart-supervision']) {
      const drawn = await page.$eval(`#${id}`, (el) => {
        const canvas = el.querySelector('canvas');
        if (!canvas || el.getAttribute('data-rendered') !== 'true') return 0;
        const ctx = canvas.getContext('2d')!;
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
        return painted;
      });
      expect({ id, painted: drawn > 1000 }).toEqual({ id, painted: true });
    }
    const series = await page.evaluate(() => {
      const option = (window as any).echarts.getInstanceByDom(document.getElementById('chart-rates')).getOption();
      const volume = (window as any).echarts.getInstanceByDom(document.getElementById('chart-volume')).getOption();
      const returns = (window as any).echarts.getInstanceByDom(document.getElementById('chart-returns')).getOption();
      return { units: option.xAxis[0].data, rates: option.series.map((s: any) => [s.name, s.data]), received: volume.series[0].data, returns: returns.series[0].data };
    });
    const units = api.units as any[];
    expect(series.units).toEqual(units.map((u) => u.unitName));
    const asPct = (r: { value: number | null }) => (r.value === null ? null : Math.round(r.value * 10000) / 100);
    expect(series.rates).toEqual([
      ['响应率', units.map((u) => asPct(u.threeRates.response))],
      ['办结率', units.map((u) => asPct(u.threeRates.completion))],
      ['满意率', units.map((u) => asPct(u.threeRates.satisfaction))],
    ]);
    expect(series.received).toEqual(units.map((u) => u.received));
    // The pie: the Commission's returns by ground, the grounds with none left out.
    expect(series.returns).toEqual([{ name: '非本单位职责', value: api.total.returns.byGround['not-our-duty'].total }]);
    expect(api.total.returns.byGround['not-our-duty'].total).toBe(1);

    // The overdue and supervised tickets of both units, each linked to its detail.
    const overdue = await page.$$eval('#overdue a.ticket-link', (as) => as.map((a) => a.textContent));
    expect(overdue).toEqual(expect.arrayContaining([no(3), no(6)]));
    const supervised = await page.$$eval('#supervised a.ticket-link', (as) => as.map((a) => a.textContent));
    expect(supervised).toEqual(expect.arrayContaining([no(3), no(6)]));

    // The month's deadlines, and RTB's appeal package of August not yet submitted.
    const filings = await apiGet(token!, `/filings?month=${MONTH}`);
    const deadlines = await page.textContent('#deadlines');
    // Each report's last day as the API plans it (第三十一条), written as that day's 24:00.
    expect(deadlines).toContain(`${filings.deadlines.knowledgeBase.dueDate.replaceAll('-', '/')} 24:00`);
    expect(deadlines).toContain(`${filings.deadlines.training.dueDate.replaceAll('-', '/')} 24:00`);
    expect(deadlines).toContain('知识库');
    expect(deadlines).toContain('培训');
    expect(deadlines).toContain('2024年8月申诉材料');
    const notFiled = await page.$$eval('#not-filed tbody tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent)));
    expect(notFiled).toContainEqual(['市道路运输局', '2024年8月申诉材料', expect.any(String), '已逾期']);
    expect(notFiled.filter((r) => r[1] !== '2024年8月申诉材料')).toHaveLength(filings.notFiled.length);

    // The circular candidates: PSB for the media exposure (第二十四条(三)), as the API lists them.
    const candidates = await apiGet(token!, `/circulars/candidates?month=${MONTH}`);
    const shown = await page.$$eval('#candidates .candidate', (els) => els.map((e) => e.getAttribute('data-unit')));
    expect(shown).toEqual(candidates.candidates.map((c: any) => c.unitId));
    expect(shown).toContain(PSB);
    await expect(page.textContent(`#candidates .candidate[data-unit="${PSB}"]`)).resolves.toContain('第二十四条(三)');
    await page.screenshot({ path: path.join(SHOTS, 'month-service-division.png'), fullPage: true });

    // A ticket's detail, from its link.
    await page.click(`#overdue a.ticket-link:text("${no(6)}")`);
    await page.waitForSelector('#ticket');
    await expect(page.textContent('#ticket')).resolves.toContain('看板测试工单6');
    await page.screenshot({ path: path.join(SHOTS, 'ticket.png'), fullPage: true });
    await page.context().close();
  });

  test('a unit’s leader signs in with a bearer token and sees only their own unit, not another unit’s ticket', async () => {
    const page = await newPage();
    const token = await tokenOf(RTB, ['leader']);
    await signInWithToken(page, token);
    await page.waitForSelector('body[data-ready="month"]');
    const table = await tableOf(page);
    expect(Object.keys(table)).toEqual([RTB]);
    const api = await apiGet(token, `/statistics?month=${MONTH}`);
    expect(table[RTB]).toEqual(cellsOf(api.units[0]));
    const overdue = await page.$$eval('#overdue a.ticket-link', (as) => as.map((a) => a.textContent));
    expect(overdue).toContain(no(3));
    expect(overdue).not.toContain(no(6));
    const pageText = await page.textContent('main');
    expect(pageText).not.toContain('市港航局');
    expect(await page.$('#candidates')).toBeNull();
    await page.screenshot({ path: path.join(SHOTS, 'month-unit-leader.png'), fullPage: true });

    // Another unit's ticket, asked for by its address: not shown, and not said to exist.
    await page.goto(`${base}/dashboard?month=${MONTH}#/ticket/${no(6)}`);
    await page.waitForSelector('#ticket-missing');
    await expect(page.textContent('#ticket-missing')).resolves.not.toContain('看板测试工单6');
    await page.screenshot({ path: path.join(SHOTS, 'other-unit-ticket.png'), fullPage: true });
    // Its own ticket is there.
    await page.goto(`${base}/dashboard?month=${MONTH}#/ticket/${no(3)}`);
    await page.waitForSelector('#ticket');
    await expect(page.textContent('#ticket')).resolves.toContain('看板测试工单3');
    await page.context().close();
  });

  test('a bad token is refused with the reason, and a handler (not a leader) is told the page is not theirs', async () => {
    const page = await newPage();
    await signInWithToken(page, 'not-a-token');
    await page.waitForSelector('#sign-in-error');
    await expect(page.textContent('#sign-in-error')).resolves.toContain('令牌');
    await page.screenshot({ path: path.join(SHOTS, 'sign-in-refused.png'), fullPage: true });

    await page.fill('#token', await tokenOf(PSB, ['handler']));
    await page.click('#sign-in-submit');
    await page.waitForSelector('#not-for-you');
    expect(await page.$('#figures')).toBeNull();
    await page.context().close();
  });
});

describe('the dashboard’s development sign-in', () => {
  test('is off when the API has no development key (production): config says so and the route is a 404', async () => {
    const app = createApp({ db, client: {} as Client, namespace: 'default', taskQueue: 'dashboard-prod', logger: createLogger('silent'), auth: TEST_AUTH });
    const prod: Server = app.listen(0, '127.0.0.1');
    await new Promise((r) => prod.once('listening', r));
    const at = `http://127.0.0.1:${(prod.address() as AddressInfo).port}`;
    try {
      const config = await (await fetch(`${at}/dashboard/config.json`)).json();
      expect(config).toMatchObject({ devSignIn: false, units: [] });
      const res = await fetch(`${at}/dashboard/dev-sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ unit: SD, roles: ['supervisor'] }) });
      expect(res.status).toBe(404);
    } finally {
      await new Promise((r) => prod.close(r));
    }
  });

  test('names the field of a bad request: an unknown unit or role', async () => {
    const post = (body: unknown) => fetch(`${base}/dashboard/dev-sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const unknownUnit = await post({ unit: 'no-such-unit', roles: ['leader'] });
    expect(unknownUnit.status).toBe(400);
    expect(JSON.stringify(await unknownUnit.json())).toContain('unit');
    const badRole = await post({ unit: RTB, roles: ['emperor'] });
    expect(badRole.status).toBe(400);
    expect(JSON.stringify(await badRole.json())).toContain('roles');
    const ok = await post({ unit: RTB, roles: ['leader'] });
    expect(ok.status).toBe(200);
    const me = await apiGet(((await ok.json()) as { token: string }).token, '/me');
    expect(me).toMatchObject({ unitId: RTB, unitName: '市道路运输局', roles: ['leader'], seesAllUnits: false });
  });
});
