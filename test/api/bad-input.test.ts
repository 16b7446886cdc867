/**
 * Issue 5, "a bad-input corpus against every POST": wrong types, missing fields, oversized bodies, invalid dates,
 * unknown enum values, script injection, non-JSON and non-UTF-8 bodies, sent to POST /tickets, /notes and every
 * decision of api/decisions.ts with a token of the right role and unit (so the failure is the input, never
 * authorization), against a real Temporal dev server, a worker and PostgreSQL.
 *
 * Every answer must be a 4xx problem+json (400 naming the field where there is one, 413 for a body over the limit,
 * 415 or 400 for a body that is not UTF-8 JSON), never a 5xx; and after the whole corpus each ticket's read-model
 * row, its TicketEvent rows and the workflow's `getState` are exactly what they were before.
 *
 * Script in text. `<script>alert(1)</script>` in an id (ticket number, unit, department) is refused by the id's
 * pattern; in free text that is otherwise valid it is *data*: a citizen may well quote markup. It is accepted, stored
 * verbatim and served back only as JSON (`application/json`, `nosniff`), never as HTML — escaping is the business of
 * whoever renders it. That is the behaviour asserted here.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { z } from 'zod';
import type { Principal, Role } from '../../api/auth';
import { DECISIONS, noteBody } from '../../api/decisions';
import { resultBody, skipBody, suggestionBody } from '../../api/revisits';
import { relatedBody } from '../../api/related';
import { appealBody, outcomeBody, sealBody, signBody, submitBody } from '../../api/appeals';
import { circularBody, circularRecordBody } from '../../api/statistics';
import { filingBody, knowledgeCreateBody, sealedMaterialBody } from '../../api/knowledge';
import { dispatchSchema, type Dispatch } from '../../api/schemas';
import { devSignInBody } from '../../api/dashboard';
import type { Db } from '../../lib/db';
import { getStateQuery } from '../../workflows/messages';
import { bearer, principal, TEST_AUTH } from '../helpers/auth';
import { devServerRig, dispatch, newTicketNo, eventually } from '../helpers/env';

const taskQueue = 'api-bad-input';
const UNIT = 'road-transport-bureau';
const rig = devServerRig(taskQueue);
let env: TestWorkflowEnvironment;
let db: Db;
let base: string;

beforeAll(async () => {
  ({ env, db } = rig);
  // The corpus is hundreds of requests per token: rate limiting is not what is tested here.
  base = await rig.listen({ rateLimitPerMinute: 100_000, devSignIn: TEST_AUTH });
});

// ---------------------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  type: string;
  headers: Headers;
  text: string;
  body: any;
}

async function send(method: string, path: string, authorization: string | undefined, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(authorization ? { authorization } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, text, body: parsed };
}

const json = { 'content-type': 'application/json' };

/** The token each role acts with: the ticket's own unit, the platform for dispatches, 委政务服务处 for supervisors. */
const tokenCache = new Map<Role, string>();
async function tokenFor(role: Role): Promise<string> {
  if (!tokenCache.has(role)) {
    const p: Principal =
      role === 'dispatcher' ? principal('hotline-platform', ['dispatcher'], 'platform-bridge') : role === 'supervisor' ? principal('service-division', ['supervisor'], 'sd-supervisor') : principal(UNIT, [role], `rtb-${role}`);
    tokenCache.set(role, await bearer(p));
  }
  return tokenCache.get(role)!;
}


// ---------------------------------------------------------------------------------------------------------------
// The routes and a valid body of each
// ---------------------------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const nowIso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

const REPLY_TEXT =
  '市道路运输局工作人员李明（联系电话022-23456789）于2026年11月28日10时30分电话联系反映人。经调查核实，涉事出租车司机拒载属实，' +
  '执法人员已依据《天津市客运出租汽车管理条例》对驾驶员处以罚款200元并扣减服务质量信誉考核分。反映人表示对处理结果满意。';

/** A body of each decision that passes its schema (by hand, so that every decision of DECISIONS must be listed). */
function validDecisionBody(path: string): { [k: string]: Json } {
  const bodies: Record<string, { [k: string]: Json }> = {
    accept: {},
    assign: { departmentIds: ['passenger-division'] },
    contacts: { at: nowIso(-60_000), staffName: '李明', method: 'phone', reached: true, outcome: '已向反映人了解情况', recordingRef: 'rec-001' },
    opinions: { departmentId: 'passenger-division', opinion: '经核查，该路段出租车管理由本部门负责' },
    return: {
      ground: 'not-our-duty',
      evidence: { reasons: '反映的小区内部道路停车收费不属于交通运输部门职责', basis: '《天津市物业管理条例》第六十条', proposedTransferee: '属地街道办事处', itemsToVerify: ['收费主体'] },
      citesDifficulty: false,
      reporterContactedAt: nowIso(-60_000),
    },
    redispatch: { unitId: UNIT, dispatchedToUnitAt: nowIso(), note: '平台重新派单' },
    withdraw: { note: '平台收回工单' },
    extension: { requestedDueAt: nowIso(20 * 86_400_000), reason: '需现场勘验', reporterConsent: true, reporterContactedAt: nowIso(-60_000), reporterOpinion: '同意延期' },
    'extension/decision': { approved: true, note: '同意延期' },
    'return/late-approval': { note: '经会商确属其他部门职责，同意逾期退单' },
    'supervision/approval': { approved: true, note: '同意结案' },
    urge: { note: '请加快办理' },
    parts: { unitId: 'highway-center', demands: ['公路养护问题'] },
    'help-requests': { unitId: 'highway-center', demands: ['公路养护问题'], reason: '需市公路中心协办' },
    'help-requests/decision': { approved: true, note: '同意' },
    'parts/accept': {},
    'parts/contacts': { at: nowIso(-1000), staffName: '赵六', method: 'phone', reached: true, outcome: '已联系' },
    'parts/result': { result: '已处理' },
    'parts/dispute': { reason: '不属本单位职责' },
    'parts/reassign': { fromUnitId: 'port-shipping-bureau', toUnitId: 'highway-center', note: '改派' },
    rating: { ratingId: 'RT-CORPUS', satisfaction: 'unsatisfied', words: '不满意', ratedAt: nowIso(-1000) },
    'return/refusal': { reason: '信息完整，请继续办理' },
    flag: { sensitive: true, majorPublicOpinion: false, note: '涉及媒体关注' },
    mediation: { outcome: '双方达成和解' },
    reply: {
      text: REPLY_TEXT,
      contactedAt: nowIso(-60_000),
      staffName: '李明',
      staffPhone: '022-23456789',
      process: '经调查核实，涉事出租车司机拒载属实',
      result: '依据《天津市客运出租汽车管理条例》对驾驶员处以罚款200元并扣减服务质量信誉考核分',
      reporterFeedback: '反映人表示对处理结果满意',
      sealedReport: { documentRef: 'RTB-2026-001', sealed: true, submittedTo: 'service-division' },
    },
    'reply/review': { approved: true, note: '同意' },
    revisits: { satisfaction: 'satisfied', reporterSaysNotContacted: false, note: '反映人表示满意' },
    reopen: { reasons: ['反映人表示问题未解决'] },
    supervision: { trigger: 'other', note: '群众多次反映' },
    'supervision/answer': { report: { documentRef: 'RTB-2026-118', sealed: true, submittedTo: 'service-division' }, text: '经核查，已对相关执法人员批评教育' },
  };
  const b = bodies[path];
  if (!b) throw new Error(`no valid body for the decision "${path}": add one to this corpus`);
  return b;
}

interface Route {
  name: string;
  /** Below /api/v1, `:no` standing for the ticket. */
  path: string;
  role: Role;
  schema: z.ZodType;
  valid: () => { [k: string]: Json };
  /** A route outside /api/v1, taken without a token (the dashboard's development sign-in). */
  root?: true;
}

/** A revisit task drawn by the unit of one of its tickets (made in a beforeAll below), for the revisit routes. */
let revisitTaskId = '1';

/** The revisit routes (api/revisits.ts) and a valid body of each. */
function revisitRoutes(): Route[] {
  return [
    { name: 'POST /revisits/:id/skip', path: `/revisits/${revisitTaskId}/skip`, role: 'revisitor', schema: skipBody, valid: () => ({ ground: 'anonymous', note: '反映人匿名，无法回访' }) },
    {
      name: 'POST /revisits/:id/result',
      path: `/revisits/${revisitTaskId}/result`,
      role: 'revisitor',
      schema: resultBody,
      valid: () => ({
        satisfaction: 'unsatisfied',
        reporterSaysNotContacted: false,
        reporterSaysNotSolved: true,
        newQuestions: true,
        note: '反映人对处理结果不满意',
        verifiedReason: '反映人称罚款决定未告知其本人',
        otherQuestions: ['罚款是否已执行'],
        answeredDirectly: ['罚款是否已执行'],
        dispatchedToUnit: ['驾驶员是否被停运'],
        assessment: { dutyInsufficient: false, reporterAskedAuthority: true },
      }),
    },
    { name: 'POST /revisits/:id/suggestion', path: `/revisits/${revisitTaskId}/suggestion`, role: 'revisitor', schema: suggestionBody, valid: () => ({ confirmed: true, note: '同意派回重新办理' }) },
  ];
}

/** 委政务服务处 links a related ticket by hand (api/related.ts, 第二十二条(二)); the number need not exist for the corpus. */
function relatedRoutes(): Route[] {
  return [{ name: 'POST /tickets/:no/related', path: '/tickets/:no/related', role: 'supervisor', schema: relatedBody, valid: () => ({ relatedNo: 'RELATED-CORPUS-0001' }) }];
}

/**
 * 委政务服务处's month (api/statistics.ts), by its supervisor: a circular (第二十四条) and a referral (第二十五条). No bad
 * body reaches the database, so neither needs its units or tickets to exist.
 */
function monthRoutes(): Route[] {
  return [
    {
      name: 'POST /circulars',
      path: '/circulars',
      role: 'supervisor',
      schema: circularBody,
      valid: () => ({ number: '津交热线通报〔2025〕9号', date: '2025-04-03', title: '关于3月份工单办理情况的通报', units: [UNIT], facts: '3月份退单3次被平台退回。', tickets: ['CORPUS-0001'] }),
    },
    {
      name: 'POST /circular-records',
      path: '/circular-records',
      role: 'supervisor',
      schema: circularRecordBody,
      valid: () => ({ kind: 'referral', month: '2025-03', units: [UNIT], title: '移交问题线索', facts: '经研判，办理过程中弄虚作假属实。', ground: 'falsification', tickets: ['CORPUS-0001'] }),
    },
  ];
}

/**
 * Appeals (api/appeals.ts, 第二十七条–第二十八条): an appeal by the unit's leader, the hotline centre's decision by
 * 委政务服务处's supervisor, and the unit's package steps. No bad body gets past its schema, so neither the ticket, the
 * appeal nor the package needs to exist.
 */
function appealRoutes(): Route[] {
  const pkg = `/appeal-packages/${UNIT}:2026-01`;
  return [
    {
      name: 'POST /appeals',
      path: '/appeals',
      role: 'leader',
      schema: appealBody,
      valid: () => ({ ticketNo: 'APPEAL-CORPUS-0001', reason: '反映人要求赔偿误工费，无法律依据，已解释', evidence: { refs: ['通话录音 REC-001'], completedAt: nowIso(-60_000) } }),
    },
    { name: 'POST /appeals/:id/outcome', path: '/appeals/APPEAL-CORPUS-0001/outcome', role: 'supervisor', schema: outcomeBody, valid: () => ({ upheld: true, note: '市便民专线服务中心认定申诉成立' }) },
    { name: 'POST /appeal-packages/:id/sign', path: `${pkg}/sign`, role: 'leader', schema: signBody, valid: () => ({ note: '同意报送' }) },
    { name: 'POST /appeal-packages/:id/seal', path: `${pkg}/seal`, role: 'leader', schema: sealBody, valid: () => ({ documentRef: '津道运〔2026〕1号' }) },
    { name: 'POST /appeal-packages/:id/submit', path: `${pkg}/submit`, role: 'leader', schema: submitBody, valid: () => ({ note: '按时报送' }) },
  ];
}

/**
 * The knowledge base and the monthly reports (api/knowledge.ts, 第二十九条–第三十二条), by the unit's handler. A filing
 * of a month far ahead, so no valid body could ever be late; no bad body reaches the database.
 */
function knowledgeRoutes(): Route[] {
  return [
    {
      name: 'POST /knowledge',
      path: '/knowledge',
      role: 'handler',
      schema: knowledgeCreateBody,
      valid: () => ({ title: '网约车驾驶员证办理', body: '申请网约车驾驶员证，须持有本市核发的机动车驾驶证满三年。', maintainer: 'rtb-zhang', policyTitle: '网约车管理办法', policyReleaseAt: nowIso(3 * 86_400_000) }),
    },
    { name: 'POST /filings/:id', path: '/filings/road-transport-bureau:training:2035-07', role: 'handler', schema: filingBody, valid: () => ({ nothingNew: false, note: '本月新增培训材料2份' }) },
    { name: 'POST /sealed-materials', path: '/sealed-materials', role: 'handler', schema: sealedMaterialBody, valid: () => ({ kind: 'training', title: '培训材料', documentRef: '津运客〔2026〕12号' }) },
  ];
}

/** The dashboard's development sign-in (api/dashboard.ts), outside /api/v1 and without a token. */
function dashboardRoutes(): Route[] {
  return [{ name: 'POST /dashboard/dev-sign-in', path: '/dashboard/dev-sign-in', role: 'leader', schema: devSignInBody, valid: () => ({ unit: UNIT, roles: ['leader'] }), root: true }];
}

function routes(dispatchBase: () => Dispatch): Route[] {
  return [
    { name: 'POST /tickets', path: '/tickets', role: 'dispatcher', schema: dispatchSchema, valid: () => dispatchBase() as unknown as { [k: string]: Json } },
    { name: 'POST /tickets/:no/notes', path: '/tickets/:no/notes', role: 'acceptor', schema: noteBody, valid: () => ({ text: '已电话联系反映人' }) },
    ...DECISIONS.map((d) => ({ name: `POST /tickets/:no/${d.path}`, path: `/tickets/:no/${d.path}`, role: d.roles[0] as Role, schema: d.body as z.ZodType, valid: () => validDecisionBody(d.path) })),
    ...revisitRoutes(),
    ...relatedRoutes(),
    ...monthRoutes(),
    ...appealRoutes(),
    ...knowledgeRoutes(),
    ...dashboardRoutes(),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------------------------

interface Case {
  what: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** The statuses that are right for it. */
  status: number[];
  /** The field the problem must name (`errors[].field`, or a parent or child of it). */
  field?: string;
  /** The path segment standing for the ticket number, when not the ticket. */
  ticketNo?: string;
}

const SCRIPT = '<script>alert(1)</script>';
const ENUM_KEYS = new Set(['channel', 'category', 'urgency', 'labels', 'method', 'ground', 'duty', 'satisfaction', 'trigger']);
const ID_KEYS = new Set(['ticketNo', 'departmentIds', 'departmentId', 'unitId', 'relatedNo']);
const INVALID_DATES: Json[] = ['2026-02-30T10:00:00+08:00', '2026-13-01T10:00:00+08:00', '2026-09-30T24:00:01+08:00', '2026-09-30 16:00', '2026-09-30T16:00:00', '2026-09-30', 'yesterday', '', 1_790_000_000_000];

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Every node of a JSON value below the root: its path and value. */
function* nodes(v: Json, path: (string | number)[] = []): Generator<{ path: (string | number)[]; value: Json }> {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      yield { path: [...path, i], value: v[i]! };
      yield* nodes(v[i]!, [...path, i]);
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) {
      yield { path: [...path, k], value: child };
      yield* nodes(child, [...path, k]);
    }
  }
}

function setAt(root: Json, path: (string | number)[], value: Json | undefined): Json {
  const copy = clone(root);
  let parent: any = copy;
  for (const seg of path.slice(0, -1)) parent = parent[seg];
  const last = path.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy;
}

function wrongType(v: Json): Json {
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return 'not-a-number';
  if (typeof v === 'boolean') return 'yes';
  if (Array.isArray(v)) return 'not-an-array';
  if (v === null) return [];
  return 'not-an-object';
}

/** 出租车拒载 in GBK: what a platform misconfigured for GB2312 would send. */
const GBK = [0xb3, 0xf6, 0xd7, 0xe2, 0xb3, 0xb5, 0xbe, 0xdc, 0xd4, 0xd8];
const INVALID_UTF8: [string, number[]][] = [
  ['bytes 0xFF 0xFE', [0xff, 0xfe]],
  ['GBK text labelled UTF-8', GBK],
  ['overlong "<" (0xC0 0xBC)', [0xc0, 0xbc, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0xc0, 0xbe]],
  ['UTF-8-encoded surrogate (0xED 0xA0 0x80)', [0xed, 0xa0, 0x80]],
  ['truncated sequence (0xE5 0xA4)', [0xe5, 0xa4]],
];

/** The path of the first free-text string of a body. */
function firstTextPath(valid: Json): (string | number)[] {
  const n = [...nodes(valid)].find((x) => typeof x.value === 'string' && !/At$/.test(String(x.path.at(-1))) && !ID_KEYS.has(String(x.path.at(-1))) && !ENUM_KEYS.has(String(x.path.at(-1))));
  return n ? n.path : ['text'];
}

/** `valid` as UTF-8 JSON with `bytes` in place of the string at `path`. */
function withBytes(path: (string | number)[], bytes: number[], valid: Json = {}): Buffer {
  const marker = 'MARK-7f3a9c';
  const [before, after] = JSON.stringify(setAt(valid, path, marker)).split(marker);
  return Buffer.concat([Buffer.from(before!, 'utf8'), Buffer.from(bytes), Buffer.from(after!, 'utf8')]);
}

/** The bad-input corpus for a route whose valid body is `valid`. */
function corpus(route: Route, valid: { [k: string]: Json }): Case[] {
  const cases: Case[] = [];
  const accepts = (b: Json) => route.schema.safeParse(b).success;
  if (!accepts(valid)) throw new Error(`${route.name}: the "valid" body does not pass its schema: ${JSON.stringify(route.schema.safeParse(valid).error?.issues)}`);
  const bad = (what: string, body: Json, field?: string, status = [400]) => cases.push({ what, body: JSON.stringify(body), headers: json, status, ...(field ? { field } : {}) });

  for (const { path, value } of nodes(valid)) {
    const field = path.join('.');
    const key = String(typeof path.at(-1) === 'number' ? path.at(-2) : path.at(-1));
    // wrong types
    bad(`${field}: wrong type`, setAt(valid, path, wrongType(value)), field);
    const asNull = setAt(valid, path, null);
    if (!accepts(asNull)) bad(`${field}: null`, asNull, field);
    // missing fields (those the schema requires)
    const missing = setAt(valid, path, undefined);
    if (!accepts(missing)) bad(`${field}: missing`, missing, typeof path.at(-1) === 'number' ? path.slice(0, -1).join('.') : field);
    if (typeof value === 'string') {
      bad(`${field}: 20001 characters`, setAt(valid, path, 'x'.repeat(20_001)), field);
      const blank = setAt(valid, path, '   ');
      if (!accepts(blank)) bad(`${field}: blank`, blank, field);
    }
    if (Array.isArray(value)) {
      const empty = setAt(valid, path, []);
      if (!accepts(empty)) bad(`${field}: empty list`, empty, field);
      const many = setAt(valid, path, Array.from({ length: 60 }, () => value[0] ?? 'x'));
      if (!accepts(many)) bad(`${field}: 60 items`, many, field);
    }
    // invalid dates
    if (/At$/.test(key) && typeof value === 'string') for (const d of INVALID_DATES) bad(`${field}: invalid date ${JSON.stringify(d)}`, setAt(valid, path, d), field);
    // unknown enum values
    if (ENUM_KEYS.has(key) && typeof value === 'string') {
      bad(`${field}: unknown value`, setAt(valid, path, 'no-such-value'), field);
      bad(`${field}: upper case`, setAt(valid, path, value.toUpperCase() === value ? `${value}x` : value.toUpperCase()), field);
    }
    // script injection and path tricks in identifiers
    if (ID_KEYS.has(key) && typeof value === 'string') {
      for (const evil of [SCRIPT, '../../etc/passwd', 'a b', "x' OR '1'='1"]) bad(`${field}: ${evil}`, setAt(valid, path, evil), field);
    }
  }

  // the body as a whole
  for (const raw of ['[]', '"text"', '42', 'null', 'true', '{', '{"a":1,}', "{'text':'x'}", '{"text":"x"}{"text":"y"}', '\u0000'])
    cases.push({ what: `body ${JSON.stringify(raw)}`, body: raw, headers: json, status: [400] });
  if (!accepts({})) cases.push({ what: 'empty JSON body', body: '', headers: json, status: [400] });
  bad('unknown field', { ...valid, extra: 1 }, undefined);
  bad('unknown field holding a script', { ...valid, [SCRIPT]: SCRIPT }, undefined);
  const rest = JSON.stringify(valid).slice(1);
  for (const key of ['__proto__', 'constructor', 'prototype'])
    cases.push({ what: `"${key}" key`, body: `{"${key}":{"roles":["admin"],"polluted":true}${rest === '}' ? '' : ','}${rest}`, headers: json, status: [400] });
  cases.push({ what: 'nested 5000 levels deep', body: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, headers: json, status: [400] });

  // oversized bodies (the limit is 256 kB)
  cases.push({ what: 'oversized body (300 kB ASCII)', body: JSON.stringify({ ...valid, padding: 'x'.repeat(300 * 1024) }), headers: json, status: [413] });
  cases.push({ what: 'oversized body (100 000 CJK characters, 300 kB)', body: JSON.stringify({ ...valid, padding: '天'.repeat(100_000) }), headers: json, status: [413] });

  // not JSON (a body that is not JSON on a decision whose body may be empty is a known defect: below)
  if (!accepts({})) cases.push({ what: 'text/plain', body: JSON.stringify(valid) + ' trailing words', headers: { 'content-type': 'text/plain' }, status: [400, 415] });
  if (!accepts({})) cases.push({ what: 'form-urlencoded', body: 'text=abc&approved=true', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: [400, 415] });
  if (!accepts({})) cases.push({ what: 'XML', body: '<note><text>x</text></note>', headers: { 'content-type': 'application/xml' }, status: [400, 415] });
  if (!accepts({})) cases.push({ what: 'multipart', body: '--b\r\nContent-Disposition: form-data; name="text"\r\n\r\nx\r\n--b--\r\n', headers: { 'content-type': 'multipart/form-data; boundary=b' }, status: [400, 415] });

  // not UTF-8: charsets other than UTF-8 are refused (415). Invalid UTF-8 *labelled* UTF-8 is a known defect: below.
  cases.push({ what: 'charset=gbk', body: withBytes(firstTextPath(valid), GBK, valid), headers: { 'content-type': 'application/json; charset=gbk' }, status: [415] });
  cases.push({ what: 'charset=latin1', body: JSON.stringify(valid), headers: { 'content-type': 'application/json; charset=iso-8859-1' }, status: [415] });

  // a bad Idempotency-Key on an otherwise valid-looking request that is bad anyway (so nothing can run)
  // (the routes outside /api/v1 take no Idempotency-Key)
  if (!route.root) cases.push({ what: 'bad Idempotency-Key', body: JSON.stringify({ ...valid, extra: 1 }), headers: { ...json, 'idempotency-key': 'has spaces in it' }, status: [400], field: 'Idempotency-Key' });
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// The tickets and their snapshots
// ---------------------------------------------------------------------------------------------------------------

async function snapshot(ticketNo: string) {
  const row = await db.ticket.findUnique({ where: { ticketNo } });
  const events = await db.ticketEvent.findMany({ where: { ticketNo }, orderBy: { sequence: 'asc' } });
  const state = await env.client.workflow.getHandle(ticketNo).query(getStateQuery);
  const intakes = await db.ticketIntake.findMany({ where: { ticketNo } });
  return JSON.parse(JSON.stringify({ row, events, state, intakes }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

/** A snapshot once the workflow's activities have settled (two readings a moment apart agree). */
async function settled(ticketNo: string) {
  let last = await snapshot(ticketNo);
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await snapshot(ticketNo);
    if (JSON.stringify(now) === JSON.stringify(last) && now.row) return now;
    last = now;
  }
  throw new Error(`ticket ${ticketNo} did not settle`);
}

async function post(path: string, role: Role, body: unknown) {
  const a = await send('POST', `/api/v1${path}`, await tokenFor(role), JSON.stringify(body), json);
  if (a.status >= 300) throw new Error(`${path}: ${a.status} ${a.text}`);
  return a;
}

/** A ticket that has just reached the unit (status dispatched: acceptance would succeed). */
async function dispatchedTicket(): Promise<Dispatch> {
  const now = Date.now();
  // Reached the unit five minutes ago: the corpus's contact times (a minute ago) lie after the arrival.
  const d = dispatch({ dispatchedAt: new Date(now - 600_000).toISOString(), dispatchedToUnitAt: new Date(now - 300_000).toISOString() });
  await post('/tickets', 'dispatcher', d);
  await eventually(() => db.ticketEvent.count({ where: { ticketNo: d.ticketNo } }), (n) => n === 1);
  return d;
}

/** A ticket accepted, assigned and with the reporter reached (status contacted: most decisions would succeed). */
async function contactedTicket(): Promise<Dispatch> {
  const d = await dispatchedTicket();
  await post(`/tickets/${d.ticketNo}/accept`, 'acceptor', {});
  await post(`/tickets/${d.ticketNo}/assign`, 'acceptor', { departmentIds: ['passenger-division'] });
  await post(`/tickets/${d.ticketNo}/contacts`, 'handler', validDecisionBody('contacts'));
  await eventually(() => db.ticketEvent.count({ where: { ticketNo: d.ticketNo } }), (n) => n === 4);
  return d;
}

function fieldsOf(body: any): string[] {
  return Array.isArray(body?.errors) ? body.errors.map((e: { field: string }) => e.field) : [];
}

const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/** Runs the corpus of every route against `ticketNo`; returns what was wrong, one line each. */
async function runCorpus(ticketNo: string, dispatchBase: () => Dispatch, only?: string): Promise<{ failures: string[]; count: number; statuses: Record<number, number> }> {
  const failures: string[] = [];
  const statuses: Record<number, number> = {};
  let count = 0;
  for (const route of routes(dispatchBase).filter((r) => only === undefined || r.name === only)) {
    const token = route.root ? undefined : await tokenFor(route.role);
    const cases = corpus(route, route.valid());
    // the ticket number in the path is bad input too
    if (route.path.includes(':no'))
      for (const evil of ['%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'ab', 'x'.repeat(65), '..%2F..%2Fetc', "T1'%20OR%20'1'%3D'1"])
        cases.push({ what: `ticket number ${evil}`, ticketNo: evil, body: JSON.stringify(route.valid()), headers: json, status: [400], field: 'ticketNo' });
    for (const c of cases) {
      const path = `${route.root ? '' : '/api/v1'}${route.path.replace(':no', c.ticketNo ?? ticketNo)}`;
      const a = await send('POST', path, token, c.body, c.headers);
      count++;
      statuses[a.status] = (statuses[a.status] ?? 0) + 1;
      const where = `${route.name} [${c.what}]`;
      if (!c.status.includes(a.status)) failures.push(`${where}: ${a.status} (expected ${c.status.join(' or ')}) ${a.text.slice(0, 300)}`);
      else if (!a.type.startsWith('application/problem+json')) failures.push(`${where}: content-type ${a.type}`);
      else if (a.body?.status !== a.status || typeof a.body?.title !== 'string') failures.push(`${where}: not a problem document: ${a.text.slice(0, 200)}`);
      else if (c.field && !fieldsOf(a.body).some((f) => related(f, c.field!)) && a.body?.field !== c.field)
        failures.push(`${where}: the problem names ${JSON.stringify(fieldsOf(a.body))}, not ${c.field}`);
      // An answer may quote the bad input (an unknown key, an unknown unit): it is JSON, never rendered as HTML.
      else if (a.headers.get('x-content-type-options') !== 'nosniff') failures.push(`${where}: no X-Content-Type-Options: nosniff`);
    }
  }
  return { failures, count, statuses };
}

// ---------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  // The revisit routes' task, as the morning's draw makes it (activities/revisit-sampling.ts): no bad body reaches it.
  const d = await dispatchedTicket();
  const task = await db.revisitTask.create({ data: { ticketNo: d.ticketNo, day: new Date().toISOString().slice(0, 10), sampler: UNIT, unitId: UNIT } });
  revisitTaskId = task.id.toString();
});

describe('the bad-input corpus against every POST', () => {
  test('every decision of DECISIONS, /notes and POST /tickets are in the corpus', () => {
    const names = routes(() => dispatch()).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['POST /tickets', 'POST /tickets/:no/notes', ...DECISIONS.map((d) => `POST /tickets/:no/${d.path}`)]));
    expect(names).toEqual(expect.arrayContaining(revisitRoutes().map((r) => r.name)));
    expect(names).toEqual(expect.arrayContaining(relatedRoutes().map((r) => r.name)));
    expect(names).toEqual(expect.arrayContaining(monthRoutes().map((r) => r.name)));
    expect(names).toEqual(expect.arrayContaining(appealRoutes().map((r) => r.name)));
    expect(names).toEqual(expect.arrayContaining(knowledgeRoutes().map((r) => r.name)));
    expect(names).toEqual(expect.arrayContaining(dashboardRoutes().map((r) => r.name)));
    expect(names).toHaveLength(DECISIONS.length + 2 + revisitRoutes().length + relatedRoutes().length + monthRoutes().length + appealRoutes().length + knowledgeRoutes().length + dashboardRoutes().length);
  });

  test.each([
    ['a ticket just dispatched (acceptance would succeed)', dispatchedTicket],
    ['a ticket with the reporter reached (most decisions would succeed)', contactedTicket],
  ])('only 4xx problem answers, and %s is unchanged: row, events, getState', async (_what, make) => {
    const d = await make();
    const before = await settled(d.ticketNo);
    const fresh = newTicketNo('BAD');
    // POST /tickets twice: with a new number (nothing may be stored) and with this ticket's own dispatch.
    const result = await runCorpus(d.ticketNo, () => ({ ...dispatch({ dispatchedAt: d.dispatchedAt, dispatchedToUnitAt: d.dispatchedToUnitAt }), ticketNo: fresh }));
    const own = await runCorpus(d.ticketNo, () => d, 'POST /tickets');
    const failures = [...result.failures, ...own.failures];
    expect(failures).toEqual([]);
    expect(Object.keys(result.statuses).filter((s) => Number(s) >= 500)).toEqual([]);
    expect(result.count).toBeGreaterThan(500);
    // Give anything that did slip through the time to reach the database, then compare.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await snapshot(d.ticketNo)).toEqual(before);
    expect(await db.ticketIntake.count({ where: { ticketNo: fresh } })).toBe(0);
    expect(await db.ticket.count({ where: { ticketNo: fresh } })).toBe(0);
  });
});


describe('script in free text is data: stored verbatim, served back only as JSON', () => {
  test('a note and a dispatch carrying markup are accepted, kept byte for byte, and answered as application/json with nosniff', async () => {
    const markup = `${SCRIPT}<img src=x onerror="alert('x')">&lt;b&gt;`;
    const d = await dispatchedTicket();
    // A dispatch whose subject and content quote markup (a citizen may).
    const quoted = dispatch({ dispatchedAt: d.dispatchedAt, dispatchedToUnitAt: d.dispatchedToUnitAt, subject: `投诉 ${SCRIPT}`, content: `反映人原话：${markup}` });
    const created = await send('POST', '/api/v1/tickets', await tokenFor('dispatcher'), JSON.stringify(quoted), json);
    expect(created.status).toBe(201);
    const note = await send('POST', `/api/v1/tickets/${d.ticketNo}/notes`, await tokenFor('acceptor'), JSON.stringify({ text: markup }), json);
    expect(note.status).toBe(202);

    const history = await eventually(
      () => send('GET', `/api/v1/tickets/${d.ticketNo}/history`, tokenCache.get('acceptor')),
      (a) => a.body?.events?.some((e: { type: string }) => e.type === 'note'),
    );
    expect(history.type).toMatch(/^application\/json/);
    expect(history.headers.get('x-content-type-options')).toBe('nosniff');
    expect(history.body.events.find((e: { type: string }) => e.type === 'note').payload).toEqual({ text: markup });
    expect(history.text).not.toMatch(/<html/i);
    const row = await db.ticketNote.findFirstOrThrow({ where: { ticketNo: d.ticketNo } });
    expect(row.text).toBe(markup);

    const got = await send('GET', `/api/v1/tickets/${quoted.ticketNo}`, await tokenFor('acceptor'));
    expect(got.status).toBe(200);
    expect(got.type).toMatch(/^application\/json/);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.body).toMatchObject({ subject: `投诉 ${SCRIPT}`, content: `反映人原话：${markup}` });
    expect((await db.ticket.findUniqueOrThrow({ where: { ticketNo: quoted.ticketNo } })).content).toBe(`反映人原话：${markup}`);
  });
});

/** Bodies that used to slip through (found by this corpus, fixed in api/body.ts and api/schemas.ts). */
describe('text that is not UTF-8 JSON, or cannot be stored, never reaches a workflow or the database', () => {
  test('invalid UTF-8 labelled as UTF-8, or a UTF-7 body, is refused (400/415) and nothing is recorded', async () => {
    const d = await dispatchedTicket();
    const before = await settled(d.ticketNo);
    const answers: string[] = [];
    for (const [what, bytes] of INVALID_UTF8) {
      const a = await send('POST', `/api/v1/tickets/${d.ticketNo}/notes`, await tokenFor('acceptor'), withBytes(['text'], bytes, { text: '' }), json);
      answers.push(`${what}: ${a.status}`);
    }
    // UTF-7 is decoded too (body-parser admits every "utf-*" charset): the UTF-8 bytes of 反映人 turn into mojibake.
    const utf7 = await send('POST', `/api/v1/tickets/${d.ticketNo}/notes`, await tokenFor('acceptor'), JSON.stringify({ text: '已联系反映人' }), { 'content-type': 'application/json; charset=utf-7' });
    answers.push(`charset=utf-7: ${utf7.status}`);
    expect(answers.filter((a) => !/: 4(00|15)$/.test(a))).toEqual([]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await snapshot(d.ticketNo)).toEqual(before);
  });

  test('a body that is not JSON on /accept (whose body may be empty) is refused with 415 and the ticket stays unaccepted', async () => {
    const d = await dispatchedTicket();
    const a = await send('POST', `/api/v1/tickets/${d.ticketNo}/accept`, await tokenFor('acceptor'), 'accept it please', { 'content-type': 'text/plain' });
    expect(a.status).toBe(415);
    expect((await db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } })).status).toBe('dispatched');
  });

  test('a NUL character or a lone surrogate in a dispatch is a 400 naming the field', async () => {
    const statuses: number[] = [];
    for (const bad of ['\\u0000', '\\ud800']) {
      const raw = JSON.stringify({ ...dispatch(), content: 'MARK-7f3a9c' }).replace('MARK-7f3a9c', `车牌${bad}津A12345`);
      const a = await send('POST', '/api/v1/tickets', await tokenFor('dispatcher'), raw, json);
      statuses.push(a.status);
      if (a.status === 400) expect(fieldsOf(a.body)).toContain('content');
    }
    expect(statuses).toEqual([400, 400]);
  });

  test('a NUL character in a note is a 400, so no activity can fail on it for ever', async () => {
    const d = await dispatchedTicket();
    const a = await send('POST', `/api/v1/tickets/${d.ticketNo}/notes`, await tokenFor('acceptor'), '{"text":"已联系\\u0000反映人"}', json);
    expect(a.status).toBe(400);
  });

  test('a dispatch dated outside the calendar years (2000–2099) is a 400 naming dispatchedAt', async () => {
    const d = dispatch({ dispatchedAt: '1900-01-01T08:00:00+08:00', dispatchedToUnitAt: '1900-01-01T08:10:00+08:00' });
    const a = await send('POST', '/api/v1/tickets', await tokenFor('dispatcher'), JSON.stringify(d), json);
    expect(a.status).toBe(400);
    expect(fieldsOf(a.body)).toContain('dispatchedAt');
  });
});

/** Related tickets (issue 9, api/related.ts): the numbers in DELETE's path and in a dispatch's `relatedTicketNos`. */
describe('related tickets: bad numbers in the unlink path or in relatedTicketNos are a 400 naming them, and change nothing', () => {
  test('DELETE /tickets/:no/related/:relatedNo and POST /tickets with relatedTicketNos', async () => {
    const d = await dispatchedTicket();
    const before = await settled(d.ticketNo);
    const links = () => db.ticketLink.findMany({ where: { OR: [{ ticketNo: d.ticketNo }, { relatedNo: d.ticketNo }] }, orderBy: [{ ticketNo: 'asc' }, { relatedNo: 'asc' }] });
    const linksBefore = await links();
    const failures: string[] = [];
    const expectProblem = (what: string, a: Answer, field: string) => {
      if (a.status !== 400 || !a.type.startsWith('application/problem+json') || !fieldsOf(a.body).some((f) => related(f, field))) failures.push(`${what}: ${a.status} ${a.text.slice(0, 200)}`);
    };
    const evils = ['%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'ab', 'x'.repeat(65), '..%2F..%2Fetc', "T1'%20OR%20'1'%3D'1"];
    for (const evil of evils) {
      expectProblem(`DELETE related/${evil}`, await send('DELETE', `/api/v1/tickets/${d.ticketNo}/related/${evil}`, await tokenFor('supervisor')), 'relatedNo');
      expectProblem(`DELETE ${evil}/related`, await send('DELETE', `/api/v1/tickets/${evil}/related/${d.ticketNo}`, await tokenFor('supervisor')), 'ticketNo');
    }
    const fresh = newTicketNo('BADREL');
    const base = () => ({ ...dispatch({ dispatchedAt: d.dispatchedAt, dispatchedToUnitAt: d.dispatchedToUnitAt }), ticketNo: fresh });
    const bodies: [string, unknown, string][] = [
      ['a script', { ...base(), relatedTicketNos: [SCRIPT] }, 'relatedTicketNos.0'],
      ['a path', { ...base(), relatedTicketNos: [d.ticketNo, '../../etc/passwd'] }, 'relatedTicketNos.1'],
      ['not a list', { ...base(), relatedTicketNos: d.ticketNo }, 'relatedTicketNos'],
      ['a number', { ...base(), relatedTicketNos: [12345] }, 'relatedTicketNos.0'],
      ['21 numbers', { ...base(), relatedTicketNos: Array.from({ length: 21 }, (_, i) => `REL-${i}-0000`) }, 'relatedTicketNos'],
    ];
    for (const [what, body, field] of bodies) expectProblem(`relatedTicketNos: ${what}`, await send('POST', '/api/v1/tickets', await tokenFor('dispatcher'), JSON.stringify(body), json), field);
    expect(failures).toEqual([]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await snapshot(d.ticketNo)).toEqual(before);
    expect(await db.ticketIntake.count({ where: { ticketNo: fresh } })).toBe(0);
    expect(await links()).toEqual(linksBefore);
    expect(await db.ticketLink.count({ where: { ticketNo: fresh } })).toBe(0);
  });
});
