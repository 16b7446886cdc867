/**
 * Issue 10 "Appeals" (第二十七条–第二十八条) end to end, against a real Temporal dev server, a worker and PostgreSQL:
 * tickets are closed through the API and rated through `POST /tickets/:no/rating`, then appealed through
 * `POST /appeals` — eligibility and each exclusion of 第二十八条 judged on the ticket's real record, with its reason and
 * article — and the month's package goes through the leader's sign-off, the seal and the submission over HTTP before
 * 委政务服务处 records the hotline centre's decision (`upheld`, which the statistics read).
 *
 * The appeals of this file are filed now (real time), so they join this month's package; the package driven over HTTP
 * is last month's, as the schedule's workflow opens it on the 1st (one appeal filed now is moved to last month in the
 * database — the only thing not done through the API).
 */
import type { Role } from '../../api/auth';
import type { Dispatch } from '../../api/schemas';
import { ensureAppealPackageSchedule, nextMonth } from '../../activities/appeals';
import type { Db } from '../../lib/db';
import { loadCalendar } from '../../lib/calendar-store';
import { workingDayOnOrAfter } from '../../rules/clock';
import { previousMonth, shanghaiDate } from '../../rules/time';
import { APPEAL_PACKAGE_SCHEDULE } from '../../workflows/appeal-package';
import { draftReplyUpdate } from '../../workflows/messages';
import { bearer, principal } from '../helpers/auth';
import { devServerRig, dispatch, eventually } from '../helpers/env';

const taskQueue = 'api-appeals';
const RTB = 'road-transport-bureau';
const PSB = 'port-shipping-bureau';
const TEC = 'transport-enforcement-corps';
const SD = 'service-division';
const rig = devServerRig(taskQueue);
let db: Db;
let base: string;
const T: Record<string, string> = {};

interface Answer {
  status: number;
  body: any;
  text: string;
}

async function call(method: string, path: string, who: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: T[who]!, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : null };
}

async function ok(method: string, path: string, who: string, body?: unknown): Promise<any> {
  const a = await call(method, path, who, body);
  if (a.status >= 300) throw new Error(`${method} ${path} as ${who}: ${a.status} ${a.text}`);
  return a.body;
}

const second = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
const BASE_TEXT =
  '市道路运输局工作人员李明（联系电话022-23456789）于2026年11月28日10时30分电话联系反映人。经调查核实，涉事出租车司机拒载属实，' +
  '执法人员已依据《天津市客运出租汽车管理条例》对驾驶员处以罚款200元并扣减服务质量信誉考核分。';

/** A reply that passes all six rules of 第十六条; `text`, `result` and `reporterFeedback` may be replaced. */
function reply(contactedAt: string, over: { text?: string; result?: string; reporterFeedback?: string } = {}) {
  return {
    text: `${BASE_TEXT}反映人要求赔偿误工费，已向其解释该诉求无法律依据。`,
    contactedAt,
    staffName: '李明',
    staffPhone: '022-23456789',
    process: '经调查核实，涉事出租车司机拒载属实',
    result: '依据《天津市客运出租汽车管理条例》对驾驶员处以罚款200元并扣减服务质量信誉考核分',
    reporterFeedback: '反映人对不予赔偿误工费表示不认可',
    ...over,
  };
}

interface CloseOptions {
  /** The reporter was reached (default) or only tried. */
  reached?: boolean;
  reply?: Parameters<typeof reply>[1];
  /** Done after the reply is drafted, before it is approved. */
  beforeReview?: (ticketNo: string) => Promise<void>;
}

/** A ticket of `unitId` (市道路运输局 or 市港航局) closed through the API. */
async function closed(overrides: Partial<Dispatch> = {}, o: CloseOptions = {}): Promise<string> {
  const now = Date.now();
  const d = dispatch({ dispatchedAt: new Date(now - 11 * 60_000).toISOString(), dispatchedToUnitAt: new Date(now - 10 * 60_000).toISOString(), ...overrides });
  const u = d.unitId === PSB ? 'psb' : 'rtb';
  const no = d.ticketNo;
  await ok('POST', '/tickets', 'dispatcher', d);
  await ok('POST', `/tickets/${no}/accept`, `${u}Acceptor`, {});
  await ok('POST', `/tickets/${no}/assign`, `${u}Acceptor`, { departmentIds: [u === 'rtb' ? 'passenger-division' : 'port-operations-division'] });
  const at = second();
  const reached = o.reached ?? true;
  await ok('POST', `/tickets/${no}/contacts`, `${u}Handler`, { at, staffName: '李明', method: 'phone', reached, outcome: reached ? '已向反映人了解情况' : '电话无人接听' });
  await ok('POST', `/tickets/${no}/reply`, `${u}Handler`, reply(at, o.reply));
  await o.beforeReview?.(no);
  await ok('POST', `/tickets/${no}/reply/review`, `${u}Reviewer`, { approved: true });
  const done = await eventually(() => call('GET', `/tickets/${no}`, 'sdSupervisor'), (a) => a.body?.status === 'closed' && !!a.body?.closedAt);
  if (done.body?.status !== 'closed') throw new Error(`ticket ${no} did not close: ${done.text.slice(0, 300)}`);
  return no;
}

/** The platform's rating (spec decision "satisfaction"), once the read model has it. */
async function rate(ticketNo: string, satisfaction: 'satisfied' | 'basically-satisfied' | 'unsatisfied', words: string): Promise<void> {
  await ok('POST', `/tickets/${ticketNo}/rating`, 'dispatcher', { ratingId: `rating-${ticketNo}`, satisfaction, words, ratedAt: second() });
  const row = await eventually(() => db.ticket.findUnique({ where: { ticketNo }, select: { satisfaction: true } }), (r) => r?.satisfaction === satisfaction);
  if (row?.satisfaction !== satisfaction) throw new Error(`the rating of ${ticketNo} did not reach the read model`);
}

/** An appeal's body: the unit's statement and its evidence. */
const appeal = (ticketNo: string, evidence: { completedAt?: string } = {}) => ({
  ticketNo,
  reason: '反映人要求赔偿误工费，无法律依据；我单位已依法查处驾驶员并向反映人解释，确已履职尽责。',
  evidence: { refs: ['通话录音 REC-20261128-001', '行政处罚决定书 津道运罚〔2026〕88号'], ...evidence },
});

/** A 422 of POST /appeals: the rules and articles it names. */
async function refusal(who: string, body: unknown): Promise<{ status: number; rules: string[]; articles: string[] }> {
  const a = await call('POST', '/appeals', who, body);
  return { status: a.status, rules: (a.body?.violations ?? []).map((v: { rule: string }) => v.rule), articles: (a.body?.violations ?? []).map((v: { article: string }) => v.article) };
}

const UNSATISFIED = '要求赔偿误工费没有得到支持，不满意';
const thisMonth = () => shanghaiDate(new Date()).slice(0, 7);

beforeAll(async () => {
  ({ db } = rig);
  base = await rig.listen({ rateLimitPerMinute: 100_000 });
  const tokens: [string, string, Role][] = [
    ['dispatcher', 'hotline-platform', 'dispatcher'],
    ['rtbAcceptor', RTB, 'acceptor'],
    ['rtbHandler', RTB, 'handler'],
    ['rtbReviewer', RTB, 'reviewer'],
    ['rtbLeader', RTB, 'leader'],
    ['rtbSupervisor', RTB, 'supervisor'],
    ['psbAcceptor', PSB, 'acceptor'],
    ['psbHandler', PSB, 'handler'],
    ['psbReviewer', PSB, 'reviewer'],
    ['psbLeader', PSB, 'leader'],
    ['psbSupervisor', PSB, 'supervisor'],
    ['tecAcceptor', TEC, 'acceptor'],
    ['tecHandler', TEC, 'handler'],
    ['sdLeader', SD, 'leader'],
    ['sdSupervisor', SD, 'supervisor'],
  ];
  for (const [key, unit, role] of tokens) T[key] = await bearer(principal(unit, [role], `${key}-user`));
});

describe('第二十七条 filing an appeal', () => {
  let appealed = '';

  test('第二十七条: a closed ticket rated 不满意 for an unreasonable demand is appealable; it joins this month’s package, due by the 6th of the next month (postponed to the first working day)', async () => {
    appealed = await closed();
    await rate(appealed, 'unsatisfied', UNSATISFIED);
    const a = await call('POST', '/appeals', 'rtbLeader', appeal(appealed));
    expect([a.status, a.text.slice(0, 300)]).toEqual([201, expect.any(String)]);
    const month = thisMonth();
    const due = workingDayOnOrAfter(await loadCalendar(db), `${nextMonth(month)}-06`);
    expect(a.body).toMatchObject({ ticketNo: appealed, unitId: RTB, packageMonth: month, packageId: `${RTB}:${month}`, status: 'filed', upheld: null, decision: null, filedBy: 'rtbLeader-user', packageDueDate: due });
    expect(await db.appeal.findUnique({ where: { ticketNo: appealed } })).toMatchObject({ unitId: RTB, packageMonth: month, status: 'filed' });
  });

  test('第二十七条: a ticket is appealed once (409)', async () => {
    const again = await call('POST', '/appeals', 'rtbAcceptor', appeal(appealed));
    expect(again.status).toBe(409);
    expect(again.body.violations[0]).toMatchObject({ rule: 'appeal.duplicate.state', article: '第二十七条' });
  });

  test('第二十七条: the unit sees its own appeals, 委政务服务处 all, another unit none of them', async () => {
    const q = `?month=${thisMonth()}&status=filed&limit=200`;
    const numbers = async (who: string) => {
      const items: { ticketNo: string; unitId: string }[] = [];
      let after: string | null = null;
      do {
        const page = await ok('GET', `/appeals${q}${after ? `&after=${after}` : ''}`, who);
        items.push(...page.items);
        after = page.next;
      } while (after);
      return items;
    };
    expect((await numbers('rtbAcceptor')).map((i) => i.ticketNo)).toContain(appealed);
    expect((await numbers('sdSupervisor')).map((i) => i.ticketNo)).toContain(appealed);
    const psb = await numbers('psbLeader');
    expect(psb.map((i) => i.ticketNo)).not.toContain(appealed);
    expect(psb.every((i) => i.unitId === PSB)).toBe(true);
    expect((await call('GET', '/appeals?month=2026-13', 'rtbLeader')).status).toBe(400);
  });

  test('第二十七条: only the ticket’s own (lead) unit appeals — another unit, 委政务服务处, a co-handling unit or an unknown ticket a 422 alike, a handler a 403', async () => {
    // The co-handling unit handles its part first, then the lead unit closes.
    const ticket = await coHandledAndClosed();
    await rate(ticket, 'unsatisfied', UNSATISFIED);
    expect(await refusal('psbLeader', appeal(ticket))).toEqual({ status: 422, rules: ['appeal.unit'], articles: ['第二十七条'] });
    expect(await refusal('rtbLeader', appeal('NO-SUCH-TICKET-0001'))).toEqual({ status: 422, rules: ['appeal.unit'], articles: ['第二十七条'] });
    expect(await refusal('sdLeader', appeal(ticket))).toEqual({ status: 422, rules: ['appeal.unit'], articles: ['第二十七条'] });
    expect(await refusal('tecAcceptor', appeal(ticket))).toEqual({ status: 422, rules: ['appeal.unit'], articles: ['第二十七条'] });
    expect((await call('POST', '/appeals', 'rtbHandler', appeal(ticket))).status).toBe(403);
    // 第二十八条(六): every demand handled (the co-handling part submitted) — the lead unit may appeal.
    expect((await call('POST', '/appeals', 'rtbAcceptor', appeal(ticket))).status).toBe(201);
  });
});

/** A ticket of 市道路运输局 with a part of 市交通运输执法总队, which handles it before the lead unit closes. */
async function coHandledAndClosed(): Promise<string> {
  const now = Date.now();
  const d = dispatch({ dispatchedAt: new Date(now - 11 * 60_000).toISOString(), dispatchedToUnitAt: new Date(now - 10 * 60_000).toISOString(), parts: [{ unitId: TEC, demands: ['执法人员现场处置'] }] });
  const no = d.ticketNo;
  await ok('POST', '/tickets', 'dispatcher', d);
  await ok('POST', `/tickets/${no}/accept`, 'rtbAcceptor', {});
  await ok('POST', `/tickets/${no}/parts/accept`, 'tecAcceptor', {});
  await ok('POST', `/tickets/${no}/parts/result`, 'tecHandler', { result: '已对现场执法人员处置情况进行核查并答复' });
  await ok('POST', `/tickets/${no}/assign`, 'rtbAcceptor', { departmentIds: ['passenger-division'] });
  const at = second();
  await ok('POST', `/tickets/${no}/contacts`, 'rtbHandler', { at, staffName: '李明', method: 'phone', reached: true, outcome: '已向反映人了解情况' });
  await ok('POST', `/tickets/${no}/reply`, 'rtbHandler', reply(at));
  await ok('POST', `/tickets/${no}/reply/review`, 'rtbReviewer', { approved: true });
  await eventually(() => call('GET', `/tickets/${no}`, 'sdSupervisor'), (a) => a.body?.status === 'closed');
  return no;
}

describe('第二十七条–第二十八条 refusals, each with its reason and article, on the ticket’s real record', () => {
  test('第二十七条: a ticket not yet closed (the bug: it was approved)', async () => {
    const d = dispatch({ dispatchedAt: new Date(Date.now() - 11 * 60_000).toISOString(), dispatchedToUnitAt: new Date(Date.now() - 10 * 60_000).toISOString() });
    await ok('POST', '/tickets', 'dispatcher', d);
    await ok('POST', `/tickets/${d.ticketNo}/accept`, 'rtbAcceptor', {});
    await eventually(() => db.ticket.findUnique({ where: { ticketNo: d.ticketNo } }), (r) => r?.status === 'accepted');
    const r = await refusal('rtbLeader', appeal(d.ticketNo));
    expect(r.status).toBe(422);
    expect(r.rules).toEqual(['appeal.not-closed', 'appeal.not-unsatisfied']);
    expect(await db.appeal.count({ where: { ticketNo: d.ticketNo } })).toBe(0);
  });

  test('第二十七条: a ticket rated 基本满意, or not rated at all', async () => {
    const [basically, unrated] = await Promise.all([closed(), closed()]);
    await rate(basically, 'basically-satisfied', '基本满意');
    expect(await refusal('rtbLeader', appeal(basically))).toEqual({ status: 422, rules: ['appeal.not-unsatisfied'], articles: ['第二十七条'] });
    expect(await refusal('rtbLeader', appeal(unrated))).toEqual({ status: 422, rules: ['appeal.not-unsatisfied'], articles: ['第二十七条'] });
  });

  test('第二十八条: a rating older than last month is out of this month’s package', async () => {
    const no = await closed();
    await rate(no, 'unsatisfied', UNSATISFIED);
    // The rating as if it had been given two months ago.
    const old = new Date(Date.now() - 70 * 86_400_000);
    await db.ticket.update({ where: { ticketNo: no }, data: { ratedAt: old, closedAt: new Date(old.getTime() - 3_600_000) } });
    expect(await refusal('rtbLeader', appeal(no))).toEqual({ status: 422, rules: ['appeal.window'], articles: ['第二十八条'] });
  });

  test('第二十八条(一): closed without reaching the reporter', async () => {
    const no = await closed({}, { reached: false, reply: { reporterFeedback: '多次致电反映人均无人接听，未能取得反馈' } });
    expect((await db.ticket.findUniqueOrThrow({ where: { ticketNo: no } })).closedWithoutContact).toBe(true);
    await rate(no, 'unsatisfied', UNSATISFIED);
    expect(await refusal('rtbLeader', appeal(no))).toEqual({ status: 422, rules: ['appeal.excluded.not-contacted'], articles: ['第二十八条(一)'] });
  });

  test('第二十八条(二): the reporter’s dissatisfaction is about the staff’s attitude — but praise of the attitude is no exclusion', async () => {
    const [rude, praised] = await Promise.all([closed(), closed()]);
    await rate(rude, 'unsatisfied', '接电话的工作人员态度很差，很不耐烦');
    await rate(praised, 'unsatisfied', '工作人员服务态度很好，但是我的误工费没有赔');
    expect(await refusal('rtbLeader', appeal(rude))).toEqual({ status: 422, rules: ['appeal.excluded.staff-attitude'], articles: ['第二十八条(二)'] });
    expect((await call('POST', '/appeals', 'rtbLeader', appeal(praised))).status).toBe(201);
  });

  test('第二十八条(三): re-handled after the problem came back', async () => {
    const no = await closed();
    await ok('POST', `/tickets/${no}/reopen`, 'sdSupervisor', { reasons: ['反映人称该车辆拒载问题再次出现'] });
    await eventually(() => db.ticket.findUnique({ where: { ticketNo: no } }), (r) => r?.status === 'assigned');
    const at = (await db.ticketEvent.findFirstOrThrow({ where: { ticketNo: no, type: 'contact-recorded' } })).payload as { at: string };
    // 第二十一条: the re-closure answers each item of the reopen (`itemAnswers`), which POST /tickets/:no/reply does not
    // take yet: the draft goes to the ticket's workflow as the API would send it, the rest through HTTP.
    await rig.env.client.workflow.getHandle(no).executeUpdate(draftReplyUpdate, {
      args: [
        {
          by: 'rtbHandler-user',
          unitId: RTB,
          ...reply(at.at),
          sealedReport: { documentRef: '津道运〔2026〕120号', sealed: true, submittedTo: 'service-division' },
          itemAnswers: ['已再次约谈涉事企业并对驾驶员停运处理'],
        },
      ],
    });
    await ok('POST', `/tickets/${no}/reply/review`, 'rtbReviewer', { approved: true });
    await eventually(() => db.ticket.findUnique({ where: { ticketNo: no } }), (r) => r?.status === 'closed' && r.closedAt !== null);
    await rate(no, 'unsatisfied', UNSATISFIED);
    expect(await refusal('rtbLeader', appeal(no))).toEqual({ status: 422, rules: ['appeal.excluded.recurred'], articles: ['第二十八条(三)'] });
  });

  test('第二十八条(四): closed while the matter was still being handled — refused until the unit shows it finished before the appeal', async () => {
    const ongoing = `${BASE_TEXT}已责令涉事企业整改，预计于2026年12月底前完成整改。`;
    const no = await closed({}, { reply: { text: ongoing } });
    await rate(no, 'unsatisfied', UNSATISFIED);
    expect(await refusal('rtbLeader', appeal(no))).toEqual({ status: 422, rules: ['appeal.excluded.unfinished'], articles: ['第二十八条(四)'] });
    const done = await call('POST', '/appeals', 'rtbLeader', appeal(no, { completedAt: new Date(Date.now() - 60_000).toISOString() }));
    expect(done.status).toBe(201);
  });

  test('第二十八条(五): the reply sent the reporter to court', async () => {
    const no = await closed({}, { reply: { text: `${BASE_TEXT}反映人要求赔偿误工费，建议反映人通过法律途径解决。` } });
    await rate(no, 'unsatisfied', UNSATISFIED);
    expect(await refusal('rtbLeader', appeal(no))).toEqual({ status: 422, rules: ['appeal.excluded.legal-route'], articles: ['第二十八条(五)'] });
  });

  test('第二十八条(六): a co-handling unit’s part was never handled when the lead unit closed', async () => {
    // The system no longer lets such a ticket close (the reply and its review wait for every part); tickets closed
    // before it did carry the record below, and their appeals are still judged on it.
    const no = await closed({});
    await rate(no, 'unsatisfied', UNSATISFIED);
    await db.ticket.update({ where: { ticketNo: no }, data: { parts: [{ unitId: TEC, demands: ['执法人员现场处置'], status: 'dispatched' }] } });
    expect(await refusal('rtbLeader', appeal(no))).toEqual({ status: 422, rules: ['appeal.excluded.lead-unit'], articles: ['第二十八条(六)'] });
  });

  test('第二十七条 the body is validated first (400 naming the field)', async () => {
    const a = await call('POST', '/appeals', 'rtbLeader', { ticketNo: '<script>', reason: ' ', evidence: { refs: [] } });
    expect(a.status).toBe(400);
    expect(a.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['evidence.refs', 'reason', 'ticketNo']);
  });
});

describe('第二十八条 last month’s package over HTTP, then the hotline centre’s decision', () => {
  let ticket = '';
  let month = '';
  let id = '';

  beforeAll(async () => {
    // A ticket of 市港航局, appealed now; moved to last month's package as if filed then.
    ticket = await closed({ unitId: PSB });
    await rate(ticket, 'unsatisfied', UNSATISFIED);
    await ok('POST', '/appeals', 'psbLeader', appeal(ticket));
    month = previousMonth(thisMonth());
    id = `${PSB}:${month}`;
    await db.appeal.update({ where: { ticketNo: ticket }, data: { packageMonth: month } });
    // What the `appeal-packages` schedule does on the 1st.
    const opened = await rig.env.client.workflow.execute('openAppealPackagesWorkflow', { taskQueue, workflowId: `appeal-packages-opening-${Date.now()}`, args: [{ month }] });
    expect(opened).toMatchObject({ month, opened: expect.arrayContaining([PSB]) });
    await eventually(() => db.appealPackage.findUnique({ where: { id } }), (r) => r !== null);
  }, 120_000);

  test('第二十八条: the unit sees its package with its appeal (late at once: its due day has passed), 委政务服务处 every package, another unit not this one', async () => {
    const own = await ok('GET', `/appeal-packages?month=${month}`, 'psbAcceptor');
    expect(own.items).toHaveLength(1);
    expect(own.items[0]).toMatchObject({ id, unitId: PSB, month, status: 'open', signedAt: null, appeals: { total: 1, filed: 1, upheld: 0, rejected: 0 } });
    expect(await eventually(() => db.appealPackage.findUnique({ where: { id } }), (r) => r!.late)).toMatchObject({ late: true });
    expect((await ok('GET', `/appeal-packages?month=${month}`, 'sdSupervisor')).items.map((i: { id: string }) => i.id)).toContain(id);
    expect((await ok('GET', `/appeal-packages?month=${month}`, 'rtbLeader')).items.map((i: { id: string }) => i.id)).not.toContain(id);
    expect((await ok('GET', `/appeal-packages?month=${month}&late=true`, 'psbLeader')).items.map((i: { id: string }) => i.id)).toEqual([id]);
  });

  test('第二十七条: no decision before the package reaches 委政务服务处; only 委政务服务处 records it', async () => {
    const early = await call('POST', `/appeals/${ticket}/outcome`, 'sdSupervisor', { upheld: true, note: '中心认定申诉成立' });
    expect([early.status, early.body.violations[0].rule]).toEqual([409, 'appeal.not-submitted.state']);
    const unit = await call('POST', `/appeals/${ticket}/outcome`, 'psbSupervisor', { upheld: true, note: '中心认定申诉成立' });
    expect([unit.status, unit.body.violations[0].rule]).toEqual([422, 'appeal.outcome.service-division']);
    expect((await call('POST', `/appeals/${ticket}/outcome`, 'rtbSupervisor', { upheld: true, note: 'x' })).status).toBe(404);
    expect((await call('POST', `/appeals/${ticket}/outcome`, 'psbLeader', { upheld: true, note: 'x' })).status).toBe(403);
  });

  test('第二十八条: the seal needs the sign-off, the submission both; another unit’s leader cannot sign; an acceptor cannot sign', async () => {
    const seal = await call('POST', `/appeal-packages/${id}/seal`, 'psbAcceptor', { documentRef: '津港航〔2026〕7号' });
    expect([seal.status, seal.body.violations[0].rule]).toEqual([409, 'appeal-package.unsigned.state']);
    const submit = await call('POST', `/appeal-packages/${id}/submit`, 'psbAcceptor', {});
    expect([submit.status, submit.body.violations[0].rule]).toEqual([409, 'appeal-package.incomplete.state']);
    const other = await call('POST', `/appeal-packages/${id}/sign`, 'rtbLeader', {});
    expect([other.status, other.body.violations[0].rule]).toEqual([422, 'appeal-package.unit']);
    expect((await call('POST', `/appeal-packages/${id}/sign`, 'psbAcceptor', {})).status).toBe(403);
    const none = await call('POST', `/appeal-packages/${PSB}:2026-01/sign`, 'psbLeader', {});
    expect([none.status, none.body.violations[0].rule]).toEqual([409, 'appeal-package.none.state']);
    expect((await call('POST', `/appeal-packages/${PSB}:2026-13/sign`, 'psbLeader', {})).status).toBe(400);
  });

  test('第二十八条: the leader in charge signs, once; the seal; the submission (late, its due day past); then nothing more', async () => {
    const signed = await ok('POST', `/appeal-packages/${id}/sign`, 'psbLeader', { note: '同意报送' });
    expect(signed).toMatchObject({ id, signedBy: 'psbLeader-user', status: 'open' });
    expect((await call('POST', `/appeal-packages/${id}/sign`, 'psbLeader', {})).status).toBe(409);
    const sealed = await ok('POST', `/appeal-packages/${id}/seal`, 'psbAcceptor', { documentRef: '津港航〔2026〕7号' });
    expect(sealed).toMatchObject({ sealRef: '津港航〔2026〕7号' });
    const submitted = await ok('POST', `/appeal-packages/${id}/submit`, 'psbLeader', {});
    expect(submitted).toMatchObject({ status: 'submitted', late: true, appeals: { total: 1 } });
    expect(submitted.submittedAt).not.toBeNull();
    const again = await eventually(() => call('POST', `/appeal-packages/${id}/submit`, 'psbLeader', {}), (a) => a.status === 409);
    expect(again.body.violations[0].rule).toBe('appeal-package.submitted.state');
    const told = await eventually(() => db.notification.findMany({ where: { kind: 'appeal-package-submitted', recipientRole: 'service-division', payload: { path: ['packageId'], equals: id } } }), (n) => n.length === 1);
    expect(told[0]!.payload).toMatchObject({ appeals: [ticket], late: true, documentRef: '津港航〔2026〕7号' });
  });

  test('第二十七条: 委政务服务处 records the centre’s decision once; an upheld appeal is shown as such for the statistics', async () => {
    const decided = await ok('POST', `/appeals/${ticket}/outcome`, 'sdSupervisor', { upheld: true, note: '市便民专线服务中心认定申诉成立' });
    expect(decided).toMatchObject({ ticketNo: ticket, status: 'upheld', upheld: true, decision: { by: 'sdSupervisor-user', note: '市便民专线服务中心认定申诉成立' } });
    const again = await call('POST', `/appeals/${ticket}/outcome`, 'sdSupervisor', { upheld: false, note: '改判' });
    expect([again.status, again.body.violations[0].rule]).toEqual([409, 'appeal.decided.state']);
    const none = await call('POST', `/appeals/NO-SUCH-TICKET-1/outcome`, 'sdSupervisor', { upheld: true, note: 'x' });
    expect(none.status).toBe(404);
    expect((await ok('GET', `/appeals?status=upheld&unit=${PSB}&month=${month}`, 'psbAcceptor')).items).toEqual([expect.objectContaining({ ticketNo: ticket, upheld: true })]);
    expect((await ok('GET', `/appeal-packages?month=${month}`, 'psbAcceptor')).items[0].appeals).toEqual({ total: 1, filed: 0, upheld: 1, rejected: 0 });
  });
});

test('第二十八条 the monthly packages are opened by the `appeal-packages` schedule at 00:30 on the 1st (Asia/Shanghai), created once', async () => {
  expect(await ensureAppealPackageSchedule(rig.env.client, taskQueue)).toBe('created');
  expect(await ensureAppealPackageSchedule(rig.env.client, taskQueue)).toBe('exists');
  const schedule = await rig.env.client.schedule.getHandle(APPEAL_PACKAGE_SCHEDULE).describe();
  expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'openAppealPackagesWorkflow', taskQueue });
  expect(schedule.spec.timezone).toBe('Asia/Shanghai');
  expect(schedule.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }], hour: [{ start: 0, end: 0, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
});
