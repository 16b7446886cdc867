/**
 * Issue 10 "Knowledge base and training" (第二十九条–第三十二条) through HTTP, against a real Temporal dev server, a
 * worker and PostgreSQL: knowledge-base entries with their versions and Chinese search, the maintainer change of
 * 第三十条 reported to 委政务服务处, the late flag of 第二十九条 with its notifications, the monthly filings of 第三十一条
 * (who has not filed, a filing on time, a late one, refusals) and the sealed material of 第三十二条.
 */
import { randomInt } from 'node:crypto';
import type { Db } from '../../lib/db';
import { monthlyFilingDeadlines } from '../../rules/monthly';
import { createWorkingCalendar } from '../../rules/calendar';
import { bearer, principal } from '../helpers/auth';
import { devServerRig } from '../helpers/env';

const taskQueue = 'api-knowledge';
const RTB = 'road-transport-bureau';
const PSB = 'port-shipping-bureau';
const SD = 'service-division';
/** A department of 市道路运输局: in the unit table, not marked owesMonthlyReports (第三十二条 sends sealed material). */
const NOT_OWING = 'passenger-division';
const rig = devServerRig(taskQueue);
let db: Db;
let base: string;

const T: Record<string, string> = {};
/** A word no other test file writes, so that searches see this file's entries only. */
const NONCE = `批次${randomInt(100_000, 999_999)}`;

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

const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

beforeAll(async () => {
  db = rig.db;
  base = await rig.listen();
  const who: [string, string, Parameters<typeof principal>[1]][] = [
    ['rtbHandler', RTB, ['handler']],
    ['rtbLeader', RTB, ['leader']],
    ['rtbAuditor', RTB, ['auditor']],
    ['psbHandler', PSB, ['handler']],
    ['sdSupervisor', SD, ['supervisor']],
    ['sdLeader', SD, ['leader']],
    ['deptHandler', NOT_OWING, ['handler']],
  ];
  for (const [name, unit, roles] of who) T[name] = await bearer(principal(unit, roles, `${unit}.${name}`));
});

describe('knowledge-base entries (第二十九条–第三十条)', () => {
  test('第二十九条: a unit’s staff add an entry; its unit and maintainer come from the token; version 1 is kept', async () => {
    const created = await call('POST', '/api/v1/knowledge', 'rtbHandler', { title: `网约车驾驶员证办理 ${NONCE}`, body: '申请网约车驾驶员证，须持有本市核发的机动车驾驶证满三年。' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      unitId: RTB,
      maintainer: `${RTB}.rtbHandler`,
      version: 1,
      lateForRelease: false,
      policyTitle: null,
      policyReleaseAt: null,
      violations: [],
      versions: [{ version: 1, title: `网约车驾驶员证办理 ${NONCE}`, maintainer: `${RTB}.rtbHandler`, editedBy: `${RTB}.rtbHandler` }],
      maintainerChanges: [],
    });
    const got = await ok('GET', `/api/v1/knowledge/${created.body.id}`, 'psbHandler');
    expect(got).toMatchObject({ id: created.body.id, body: '申请网约车驾驶员证，须持有本市核发的机动车驾驶证满三年。' });
    // A maintainer named in the body.
    const named = await ok('POST', '/api/v1/knowledge', 'rtbLeader', { title: `公交线路调整 ${NONCE}`, body: '线路调整以公告为准。', maintainer: '王维护' });
    expect(named).toMatchObject({ unitId: RTB, maintainer: '王维护', versions: [{ editedBy: `${RTB}.rtbLeader` }] });
  });

  test('第二十九条: search over title and body works in Chinese: every term matches, full-width spaces and 、 separate terms', async () => {
    const add = (unit: string, title: string, body: string) => ok('POST', '/api/v1/knowledge', unit, { title: `${title} ${NONCE}`, body });
    const taxi = await add('rtbHandler', '出租车拒载投诉处理', '乘客反映出租车拒载的，由市交通运输执法总队依法查处。');
    const etc = await add('psbHandler', '港口ETC通行费用', '货车通过港区道路时，ETC扣费标准见附件，夜间优惠5%。');
    const ferry = await add('psbHandler', '轮渡时刻', '冬季轮渡停航期间，乘客可改乘公交。');
    const search = async (q: string, extra = '') => (await ok('GET', `/api/v1/knowledge?q=${encodeURIComponent(`${q} ${NONCE}`)}${extra}`, 'rtbAuditor')).items.map((i: { id: string }) => i.id);

    expect(await search('拒载')).toEqual([taxi.id]);
    // In the body only.
    expect(await search('执法总队')).toEqual([taxi.id]);
    // Several terms: all must match, in the title or the body.
    expect(await search('乘客 出租车')).toEqual([taxi.id]);
    expect((await search('乘客')).sort()).toEqual([taxi.id, ferry.id].sort());
    expect(await search('乘客　公交')).toEqual([ferry.id]);
    expect(await search('乘客、公交')).toEqual([ferry.id]);
    expect(await search('乘客 地铁')).toEqual([]);
    // Latin letters ignore case.
    expect(await search('etc')).toEqual([etc.id]);
    // %, _ and \ are text, not wildcards.
    expect(await search('%')).toEqual([etc.id]);
    expect(await search('优惠5%')).toEqual([etc.id]);
    expect(await search('_')).toEqual([]);
    expect(await search('\\')).toEqual([]);
    // The unit filter.
    expect((await search('乘客', `&unit=${PSB}`))).toEqual([ferry.id]);
  });

  test('the list pages with a cursor, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await ok('POST', '/api/v1/knowledge', 'rtbHandler', { title: `分页条目${i} ${NONCE}分页`, body: '分页' })).id);
    const first = await ok('GET', `/api/v1/knowledge?q=${encodeURIComponent(`${NONCE}分页`)}&limit=2`, 'rtbAuditor');
    expect(first.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    const second = await ok('GET', `/api/v1/knowledge?q=${encodeURIComponent(`${NONCE}分页`)}&limit=2&cursor=${first.nextCursor}`, 'rtbAuditor');
    expect(second.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    expect((await call('GET', '/api/v1/knowledge?cursor=not-a-cursor', 'rtbAuditor')).status).toBe(400);
  });

  test('第二十九条: each update is a new version kept with its content; a stale version is a 409, an identical PUT makes none', async () => {
    const e = await ok('POST', '/api/v1/knowledge', 'rtbHandler', { title: `驾驶员从业资格 ${NONCE}`, body: '第一版内容' });
    const v2 = await call('PUT', `/api/v1/knowledge/${e.id}`, 'rtbLeader', { title: `驾驶员从业资格证 ${NONCE}`, body: '第二版内容', version: 1 });
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ version: 2, title: `驾驶员从业资格证 ${NONCE}`, body: '第二版内容', maintainer: `${RTB}.rtbHandler` });
    expect(v2.body.versions).toEqual([
      expect.objectContaining({ version: 1, title: `驾驶员从业资格 ${NONCE}`, body: '第一版内容', editedBy: `${RTB}.rtbHandler` }),
      expect.objectContaining({ version: 2, title: `驾驶员从业资格证 ${NONCE}`, body: '第二版内容', editedBy: `${RTB}.rtbLeader` }),
    ]);
    const stale = await call('PUT', `/api/v1/knowledge/${e.id}`, 'rtbHandler', { title: 'x', body: '基于第一版的修改', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.violations).toEqual([expect.objectContaining({ rule: 'knowledge.version', field: 'version' })]);
    const same = await ok('PUT', `/api/v1/knowledge/${e.id}`, 'rtbHandler', { title: `驾驶员从业资格证 ${NONCE}`, body: '第二版内容' });
    expect(same.version).toBe(2);
    expect(await db.knowledgeEntryVersion.count({ where: { entryId: BigInt(e.id) } })).toBe(2);
  });

  test('第二十九条 谁提供、谁维护: another unit may not change the entry (422); read-only roles may not write (403); unknown and bad ids', async () => {
    const e = await ok('POST', '/api/v1/knowledge', 'rtbHandler', { title: `车辆年审 ${NONCE}`, body: '年审须知' });
    const other = await call('PUT', `/api/v1/knowledge/${e.id}`, 'psbHandler', { title: '改', body: '改' });
    expect(other.status).toBe(422);
    expect(other.body.violations).toEqual([expect.objectContaining({ rule: 'knowledge.owner', article: '第二十九条' })]);
    expect((await call('PUT', `/api/v1/knowledge/${e.id}`, 'rtbAuditor', { title: '改', body: '改' })).status).toBe(403);
    expect((await call('POST', '/api/v1/knowledge', 'sdSupervisor', { title: '改', body: '改' })).status).toBe(403);
    expect((await call('GET', '/api/v1/knowledge/999999999999', 'rtbAuditor')).status).toBe(404);
    expect((await call('PUT', '/api/v1/knowledge/999999999999', 'rtbHandler', { title: '改', body: '改' })).status).toBe(404);
    const bad = await call('GET', '/api/v1/knowledge/abc', 'rtbAuditor');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    expect((await ok('GET', `/api/v1/knowledge/${e.id}`, 'rtbAuditor')).version).toBe(1);
  });

  test('第三十条: a change of maintainer is recorded and reported to 委政务服务处 through the outbox', async () => {
    const e = await ok('POST', '/api/v1/knowledge', 'rtbHandler', { title: `停车收费标准 ${NONCE}`, body: '收费标准', maintainer: '李原' });
    const changed = await ok('PUT', `/api/v1/knowledge/${e.id}`, 'rtbLeader', { title: `停车收费标准 ${NONCE}`, body: '收费标准', maintainer: '赵新' });
    expect(changed).toMatchObject({ version: 2, maintainer: '赵新', maintainerChanges: [{ fromUser: '李原', toUser: '赵新', changedBy: `${RTB}.rtbLeader` }] });
    const rows = await db.maintainerChange.findMany({ where: { entryId: BigInt(e.id) } });
    expect(rows).toEqual([expect.objectContaining({ unitId: RTB, fromUser: '李原', toUser: '赵新', changedBy: `${RTB}.rtbLeader` })]);
    const notes = await db.notification.findMany({ where: { idempotencyKey: { startsWith: `knowledge-maintainer:${e.id}:` } } });
    expect(notes).toEqual([
      expect.objectContaining({
        idempotencyKey: `knowledge-maintainer:${e.id}:2`,
        kind: 'knowledge-maintainer-changed',
        recipientRole: 'service-division',
        recipientUnit: SD,
        payload: expect.objectContaining({ entryId: e.id, unitId: RTB, fromUser: '李原', toUser: '赵新', article: '第三十条' }),
      }),
    ]);
    // The same maintainer again: no change, nothing reported.
    await ok('PUT', `/api/v1/knowledge/${e.id}`, 'rtbLeader', { title: `停车收费标准 ${NONCE}`, body: '收费标准（修订）', maintainer: '赵新' });
    expect(await db.maintainerChange.count({ where: { entryId: BigInt(e.id) } })).toBe(1);
  });

  test('第二十九条: an entry less than one day before its policy’s release is flagged, and its unit and 委政务服务处 are notified', async () => {
    const onTime = await ok('POST', '/api/v1/knowledge', 'rtbHandler', { title: `新能源出租车补贴 ${NONCE}`, body: '政策解读', policyTitle: '新能源出租车补贴办法', policyReleaseAt: inHours(72) });
    expect(onTime).toMatchObject({ lateForRelease: false, violations: [] });
    expect(Date.parse(onTime.updateDueAt)).toBe(Date.parse(onTime.policyReleaseAt) - 24 * 3600_000);
    expect(await db.notification.count({ where: { idempotencyKey: { startsWith: `knowledge-late:${onTime.id}:` } } })).toBe(0);

    const late = await call('POST', '/api/v1/knowledge', 'rtbHandler', { title: `公交票价调整 ${NONCE}`, body: '票价调整解读', policyTitle: '公交票价调整方案', policyReleaseAt: inHours(12) });
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ lateForRelease: true, violations: [expect.objectContaining({ rule: 'knowledge-base.pre-publication', article: '第二十九条' })] });
    const notes = await db.notification.findMany({ where: { idempotencyKey: { startsWith: `knowledge-late:${late.body.id}:` } }, orderBy: { idempotencyKey: 'asc' } });
    expect(notes.map((n) => [n.kind, n.recipientRole, n.recipientUnit])).toEqual([
      ['knowledge-late-for-release', 'service-division', SD],
      ['knowledge-late-for-release', 'unit', RTB],
    ]);
    expect(notes[0]!.payload).toMatchObject({ entryId: late.body.id, policyTitle: '公交票价调整方案', maintainer: `${RTB}.rtbHandler`, article: '第二十九条' });

    // The on-time entry's policy is brought forward to tomorrow morning: this update is less than a day before it.
    const moved = await ok('PUT', `/api/v1/knowledge/${onTime.id}`, 'rtbHandler', { title: `新能源出租车补贴 ${NONCE}`, body: '政策解读（修订）', policyReleaseAt: inHours(20) });
    expect(moved).toMatchObject({ version: 2, lateForRelease: true, violations: [expect.objectContaining({ article: '第二十九条' })] });
    expect(await db.notification.count({ where: { idempotencyKey: { startsWith: `knowledge-late:${onTime.id}:2:` } } })).toBe(2);
    // Postponed again to next week and updated now: on time, the flag is lifted.
    const postponed = await ok('PUT', `/api/v1/knowledge/${onTime.id}`, 'rtbHandler', { title: `新能源出租车补贴 ${NONCE}`, body: '政策解读（再修订）', policyReleaseAt: inHours(24 * 7) });
    expect(postponed).toMatchObject({ version: 3, lateForRelease: false, violations: [] });

    // An entry brought in after its policy's release is late too; a later correction is not judged again.
    const after = await ok('POST', '/api/v1/knowledge', 'rtbHandler', { title: `已发布政策 ${NONCE}`, body: '解读', policyTitle: '已发布的办法', policyReleaseAt: inHours(-48) });
    expect(after.lateForRelease).toBe(true);
    const corrected = await ok('PUT', `/api/v1/knowledge/${after.id}`, 'rtbHandler', { title: `已发布政策 ${NONCE}`, body: '解读（更正错别字）' });
    expect(corrected).toMatchObject({ version: 2, lateForRelease: true, violations: [] });
    expect(await db.notification.count({ where: { idempotencyKey: { startsWith: `knowledge-late:${after.id}:2:` } } })).toBe(0);
  });

  test('bad input is a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ title: '', body: '正文' }, 'title'],
      [{ title: '标题' }, 'body'],
      [{ title: '标题', body: '正文', policyReleaseAt: '2026-12-01 10:00' }, 'policyReleaseAt'],
      [{ title: '标题', body: '正文', maintainer: 'a b' }, 'maintainer'],
      [{ title: '标题', body: '正文', unitId: PSB }, '(body)'],
    ];
    for (const [body, field] of cases) {
      const a = await call('POST', '/api/v1/knowledge', 'rtbHandler', body);
      expect([a.status, a.body.errors?.map((e: { field: string }) => e.field)]).toEqual([400, [field]]);
    }
    expect((await call('GET', `/api/v1/knowledge?q=${encodeURIComponent('一 二 三 四 五 六 七 八 九 十 十一')}`, 'rtbAuditor')).status).toBe(400);
  });
});

describe('monthly filings (第三十一条)', () => {
  const calendar = createWorkingCalendar();
  /** A month whose reports are still to come for years (the workflow tests use the months just ahead). */
  const ahead = '2035-06';

  test('第三十一条: who has not filed — 委政务服务处 sees every owing unit of the unit table, a unit its own', async () => {
    const all = await ok('GET', '/api/v1/filings?month=2026-09', 'sdLeader');
    expect(all.deadlines).toMatchObject({
      // 2026-09-05 is a Saturday: due Friday 09-04 (moved earlier, 第三十一条(四)); the training report on the make-up working Sunday 09-20.
      knowledgeBase: { assessmentMonth: '2026-08', dueDate: '2026-09-04', dueAt: '2026-09-04T16:00:00.000Z', moved: 'earlier', article: '第三十一条(一)(四)' },
      training: { assessmentMonth: '2026-09', dueDate: '2026-09-20', dueAt: '2026-09-20T16:00:00.000Z', moved: 'none' },
    });
    const units = ['comprehensive-service-center', 'highway-center', PSB, RTB, SD, 'transport-enforcement-corps'];
    expect(all.filings.map((f: { id: string }) => f.id)).toEqual([...units.map((u) => `${u}:knowledge-base:2026-08`), ...units.map((u) => `${u}:training:2026-09`)]);
    expect(all.filings.every((f: { filed: boolean; overdue: boolean }) => !f.filed && f.overdue)).toBe(true);
    expect(all.notFiled).toHaveLength(12);
    expect(all.filings.some((f: { unitId: string }) => f.unitId === NOT_OWING)).toBe(false);
    const own = await ok('GET', '/api/v1/filings?month=2026-09', 'rtbAuditor');
    expect(own.filings.map((f: { id: string }) => f.id)).toEqual([`${RTB}:knowledge-base:2026-08`, `${RTB}:training:2026-09`]);
    // A unit asking for another unit gets nothing.
    expect((await ok('GET', `/api/v1/filings?month=2026-09&unit=${PSB}`, 'rtbAuditor')).filings).toEqual([]);
    expect((await ok('GET', `/api/v1/filings?month=2026-09&unit=${PSB}&kind=training`, 'sdSupervisor')).filings.map((f: { id: string }) => f.id)).toEqual([`${PSB}:training:2026-09`]);
  });

  test('第三十一条(三): a report with nothing new is filed as a confirmation, on time; filing it twice is a 409', async () => {
    const id = `${RTB}:training:${ahead}`;
    const filed = await call('POST', `/api/v1/filings/${id}`, 'rtbHandler', { nothingNew: true });
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({ id, unitId: RTB, kind: 'training', assessmentMonth: ahead, filingMonth: ahead, filed: true, nothingNew: true, note: null, late: false, overdue: false, filedBy: `${RTB}.rtbHandler` });
    expect(filed.body.dueAt).toBe(monthlyFilingDeadlines(ahead, calendar).training.dueAt.toISOString());
    const again = await call('POST', `/api/v1/filings/${id}`, 'rtbLeader', { nothingNew: false, note: '补充' });
    expect(again.status).toBe(409);
    expect(again.body.violations).toEqual([expect.objectContaining({ rule: 'monthly-filing.state', article: '第三十一条' })]);
    const list = await ok('GET', `/api/v1/filings?month=${ahead}`, 'sdSupervisor');
    expect(list.filings.find((f: { id: string }) => f.id === id)).toMatchObject({ opened: true, filed: true });
    expect(list.notFiled.map((f: { id: string }) => f.id)).not.toContain(id);
    expect(list.notFiled).toHaveLength(11);
  });

  test('第三十一条(四): a report filed after its due time is recorded late', async () => {
    const id = `${PSB}:knowledge-base:2026-08`;
    const filed = await ok('POST', `/api/v1/filings/${id}`, 'psbHandler', { nothingNew: false, note: '8月新增知识库条目3条，修订1条' });
    expect(filed).toMatchObject({ id, filed: true, late: true, overdue: false, nothingNew: false, note: '8月新增知识库条目3条，修订1条', dueAt: '2026-09-04T16:00:00.000Z', filingMonth: '2026-09' });
    const row = await db.monthlyFiling.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ unitId: PSB, kind: 'knowledge-base', month: '2026-08', late: true, filedBy: `${PSB}.psbHandler` });
  });

  test('第三十一条: only the owing unit files its report; a 第三十二条 unit owes none; unknown and malformed ids', async () => {
    const other = await call('POST', `/api/v1/filings/${RTB}:knowledge-base:${ahead}`, 'psbHandler', { nothingNew: true });
    expect(other.status).toBe(422);
    expect(other.body.violations).toEqual([expect.objectContaining({ rule: 'monthly-filing.unit', article: '第三十一条' })]);
    const sd = await call('POST', `/api/v1/filings/${RTB}:knowledge-base:${ahead}`, 'sdLeader', { nothingNew: true });
    expect(sd.status).toBe(422);
    const notOwing = await call('POST', `/api/v1/filings/${NOT_OWING}:training:${ahead}`, 'deptHandler', { nothingNew: true });
    expect(notOwing.status).toBe(422);
    expect(notOwing.body.violations).toEqual([expect.objectContaining({ rule: 'monthly-filing.not-owing', article: '第三十二条' })]);
    expect((await call('POST', `/api/v1/filings/no-such-unit:training:${ahead}`, 'rtbHandler', { nothingNew: true })).status).toBe(404);
    const malformed = await call('POST', `/api/v1/filings/${RTB}:report:${ahead}`, 'rtbHandler', { nothingNew: true });
    expect([malformed.status, malformed.body.errors?.[0]?.field]).toEqual([400, 'id']);
    const noNote = await call('POST', `/api/v1/filings/${RTB}:knowledge-base:${ahead}`, 'rtbHandler', { nothingNew: false });
    expect([noNote.status, noNote.body.errors?.[0]?.field]).toEqual([400, 'note']);
    expect((await call('POST', `/api/v1/filings/${RTB}:knowledge-base:${ahead}`, 'rtbAuditor', { nothingNew: true })).status).toBe(403);
    expect((await call('GET', '/api/v1/filings?month=2026-13', 'rtbAuditor')).status).toBe(400);
    expect((await call('GET', '/api/v1/filings', 'rtbAuditor')).status).toBe(400);
    // None of the refusals opened or filed anything.
    expect(await db.monthlyFiling.findUnique({ where: { id: `${RTB}:knowledge-base:${ahead}` } })).toBeNull();
    expect(await db.monthlyFiling.findUnique({ where: { id: `${NOT_OWING}:training:${ahead}` } })).toBeNull();
  });
});

describe('sealed material (第三十二条)', () => {
  test('第三十二条: any unit sends sealed material, recorded and reported to 委政务服务处; 委政务服务处 sees all, a unit its own', async () => {
    const sent = await call('POST', '/api/v1/sealed-materials', 'deptHandler', { kind: 'training', title: `客运管理处培训材料 ${NONCE}`, documentRef: '津运客〔2026〕12号' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ unitId: NOT_OWING, kind: 'training', title: `客运管理处培训材料 ${NONCE}`, documentRef: '津运客〔2026〕12号', submittedBy: `${NOT_OWING}.deptHandler` });
    const note = await db.notification.findUniqueOrThrow({ where: { idempotencyKey: `sealed-material:${sent.body.id}` } });
    expect(note).toMatchObject({ kind: 'sealed-material-submitted', recipientRole: 'service-division', recipientUnit: SD, payload: expect.objectContaining({ id: sent.body.id, article: '第三十二条' }) });
    const psb = await ok('POST', '/api/v1/sealed-materials', 'psbHandler', { kind: 'knowledge-base', title: `港航知识库更新 ${NONCE}`, documentRef: '津港航〔2026〕3号' });

    const sd = (await ok('GET', '/api/v1/sealed-materials?limit=200', 'sdSupervisor')).items.map((m: { id: string }) => m.id);
    expect(sd).toEqual(expect.arrayContaining([sent.body.id, psb.id]));
    const own = (await ok('GET', '/api/v1/sealed-materials?limit=200', 'psbHandler')).items;
    expect(own.map((m: { id: string }) => m.id)).toContain(psb.id);
    expect(own.every((m: { unitId: string }) => m.unitId === PSB)).toBe(true);
    expect((await ok('GET', `/api/v1/sealed-materials?kind=training&unit=${NOT_OWING}`, 'sdLeader')).items.map((m: { id: string }) => m.id)).toContain(sent.body.id);

    // 委政务服务处 receives the material; it does not send it to itself.
    const self = await call('POST', '/api/v1/sealed-materials', 'sdLeader', { kind: 'training', title: '自报', documentRef: 'X-1' });
    expect(self.status).toBe(422);
    expect(self.body.violations).toEqual([expect.objectContaining({ article: '第三十二条' })]);
    const bad = await call('POST', '/api/v1/sealed-materials', 'psbHandler', { kind: 'other', title: '材料', documentRef: 'X-1' });
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'kind']);
  });
});
