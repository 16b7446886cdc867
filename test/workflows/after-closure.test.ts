/**
 * After closure (issue 9) on the time-skipping server, with real activities and a real local receiver standing in for
 * the hotline platform: ratings, refused returns, urges, the triggers of 第二十二条 that fire by themselves, supervision
 * cases as their own workflows, reopen suggestions, and the platform told of each step.
 */
import * as m from '../../workflows/messages';
import { json, startReceiver, type Receiver } from '../activities/receiver';
import { eventually, timeSkippingRig } from '../helpers/env';
import { lastCase, round, ticketDriver, UNIT } from '../helpers/tickets';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
let platform: Receiver;
const failedOnce = new Set<string>();

beforeAll(async () => {
  // The platform refuses return requests of tickets whose number contains NORETURN, answers 503 once to each first
  // acceptance notice (a retry follows), and takes everything else.
  platform = await startReceiver((req, res) => {
    if (req.path.endsWith('/return-requests') && req.path.includes('NORETURN')) return json(res, 422, { detail: '该工单为不可退回工单' });
    const key = String(req.headers['idempotency-key']);
    if (req.path.endsWith('/acceptance') && !failedOnce.has(key)) {
      failedOnce.add(key);
      return json(res, 503, { error: 'busy' });
    }
    json(res, 200, { receiptId: `R-${key}`, acceptedAt: new Date().toISOString() });
  });
});
afterAll(() => platform?.close());

const t = ticketDriver('after-closure-test', timeSkippingRig('after-closure-test', () => ({ platform: { baseUrl: platform.url, token: 'platform-token' } })));
const { open, update, refused, events, actor, division, handling, contact, draftAndClose, caseUpdate, openCaseOf } = t;
const state = (h: { query: (q: typeof m.getStateQuery) => Promise<m.TicketState> }) => h.query(m.getStateQuery);
const rating = (ratingId: string, satisfaction: m.Satisfaction, words: string, ratedAt: string) => ({ by: 'platform-bridge', ratingId, satisfaction, words, ratedAt });

async function closedTicket(overrides = {}) {
  const ticket = await handling(overrides);
  await contact(ticket.h);
  await draftAndClose(ticket.h);
  return ticket;
}

describe('the platform both ways', () => {
  test('a rating is refused before closure, recorded once after it, and shown in the read model', async () => {
    const { d, h } = await handling();
    const early = await refused(update(h, m.ratingUpdate, rating('RT-1', 'satisfied', '满意', await t.nowSecond())));
    expect(early.rules).toContain('rating.state');
    await contact(h);
    await draftAndClose(h);
    const at = await t.nowSecond();
    await update(h, m.ratingUpdate, rating('RT-1', 'basically-satisfied', '基本满意', at));
    await update(h, m.ratingUpdate, rating('RT-1', 'basically-satisfied', '基本满意', at));
    expect((await events(d.ticketNo)).filter((e) => e === 'rated')).toHaveLength(1);
    const row = await eventually(() => t.rig.db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } }), (r) => r.satisfaction !== null);
    expect(row.satisfaction).toBe('basically-satisfied');
  });

  test('a return the platform refuses goes back to the unit with the reason, its deadline unchanged', async () => {
    const { d, h } = await handling();
    await contact(h);
    const before = await state(h);
    await update(h, m.returnUpdate, { ...actor('acceptor'), ground: 'incomplete-info', evidence: { itemsToVerify: ['事发地点'] } });
    const s = await update(h, m.returnRefusedUpdate, { by: 'platform-bridge', reason: '信息完整，请承办单位继续办理' });
    expect(s.status).toBe('contacted');
    expect(s.deadlines.dueAt).toBe(before.deadlines.dueAt);
    expect(s.returns.at(-1)!.refused?.reason).toBe('信息完整，请承办单位继续办理');
    const told = await eventually(() => t.rig.db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'return-refused' } }), (n) => n.length === 2);
    expect(told.map((n) => n.recipientRole).sort()).toEqual(['service-division', 'unit']);
  });

  test('the platform hears of the acceptance (retried after a 503 with the same key) and of the return request', async () => {
    const { d, h } = await open();
    await update(h, m.acceptUpdate, { unitId: UNIT, acceptedBy: 'acceptor' });
    const acceptance = await eventually(async () => platform.requests.filter((r) => r.path === `/tickets/${d.ticketNo}/acceptance`), (r) => r.length === 2);
    expect(new Set(acceptance.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(JSON.parse(acceptance[1]!.rawBody)).toMatchObject({ unitId: UNIT, acceptedBy: 'acceptor' });
    await update(h, m.returnUpdate, { ...actor('acceptor'), ground: 'incomplete-info', evidence: { itemsToVerify: ['事发地点'] } });
    const request = await eventually(async () => platform.requests.filter((r) => r.path === `/tickets/${d.ticketNo}/return-requests`), (r) => r.length === 1);
    expect(JSON.parse(request[0]!.rawBody)).toMatchObject({ ground: 'incomplete-info', evidence: { itemsToVerify: ['事发地点'] } });
  });

  test('a notice the platform refuses for good reaches the unit with the platform\'s reason', async () => {
    const { d, h } = await open({ ticketNo: `NORETURN${Date.now().toString(36).toUpperCase()}` });
    await update(h, m.returnUpdate, { ...actor('acceptor'), ground: 'incomplete-info', evidence: { itemsToVerify: ['事发地点'] } });
    const told = await eventually(() => t.rig.db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'platform-refused' } }), (n) => n.length === 1);
    expect(told[0]!.payload).toMatchObject({ kind: 'return-request' });
    expect(JSON.stringify(told[0]!.payload)).toContain('该工单为不可退回工单');
  });
});

describe('supervision that fires by itself (第二十二条)', () => {
  test('(一) an urge by 委政务服务处 counts as the reminder; the near-deadline point then opens a case', async () => {
    const { h } = await handling();
    await contact(h);
    expect((await refused(update(h, m.urgeUpdate, { ...actor('leader'), note: '请加快办理' }))).rules).toContain('urge.service-division');
    const s0 = await update(h, m.urgeUpdate, { ...division(), note: '群众再次来电，请加快办理' });
    expect(round(s0).reminded).toBe(true);
    // The reminder timer does not fire again: the urge was the reminder.
    await t.rig.env.sleep(Date.parse(s0.deadlines.nearDeadlineAt!) - (await t.rig.env.currentTimeMs()) + 60_000);
    const s = await state(h);
    expect(lastCase(s)?.triggers.map((x) => x.rule)).toEqual(['supervision.slow-after-reminder']);
    expect((await events(s.input.ticketNo)).filter((e) => e === 'reminded')).toHaveLength(0);
  });

  test('(三) a rating whose words say nobody called and nothing was solved, against a reply that says so, opens a case', async () => {
    const { h } = await closedTicket();
    const s = await update(h, m.ratingUpdate, rating('RT-3', 'unsatisfied', '根本没有人联系我，问题也没解决', await t.nowSecond()));
    expect(lastCase(s)?.triggers.map((x) => x.article)).toEqual(['第二十二条(三)']);
  });

  test('(三) an unsatisfied rating that does not contradict the reply opens nothing', async () => {
    const { h } = await closedTicket();
    const s = await update(h, m.ratingUpdate, rating('RT-4', 'unsatisfied', '罚得太少了', await t.nowSecond()));
    expect(s.cases).toEqual([]);
  });

  test('(二) a ticket related to two earlier reports of the problem, one rated unsatisfied, opens a case', async () => {
    const { h } = await handling();
    const related = (no: string, days: number, satisfaction: m.Satisfaction | null): m.RelatedTicket => ({ ticketNo: no, dispatchedAt: new Date(Date.now() - days * DAY).toISOString(), source: 'rule', satisfaction });
    const one = await update(h, m.relatedUpdate, { by: 'sd-officer', related: [related('TJ-EARLIER-1', 20, 'unsatisfied')] });
    expect(one.cases).toEqual([]);
    const two = await update(h, m.relatedUpdate, { by: 'sd-officer', related: [related('TJ-EARLIER-0', 40, 'satisfied'), related('TJ-EARLIER-1', 20, 'unsatisfied')] });
    expect(lastCase(two)?.triggers.map((x) => x.article)).toEqual(['第二十二条(二)']);
    // The evidence behind the trigger stays with the case: the earlier reports and their ratings.
    expect(lastCase(two)?.triggers[0]!.evidence).toMatchObject({ related: [expect.objectContaining({ ticketNo: 'TJ-EARLIER-0' }), expect.objectContaining({ ticketNo: 'TJ-EARLIER-1', satisfaction: 'unsatisfied' })] });
  });

  test('(五) a complaint of the management department\'s own arbitrary fines is escalated from dispatch', async () => {
    const { d, h } = await open({ content: '我在路上被交通执法人员乱罚款200元，没有出具任何票据，执法人员态度恶劣。' });
    const c = await openCaseOf(h);
    expect(c).toMatchObject({ escalated: true, triggers: [expect.objectContaining({ article: '第二十二条(五)' })] });
    const row = await eventually(() => t.rig.db.supervisionCase.findUnique({ where: { id: c.id } }), (r) => r !== null);
    expect(row).toMatchObject({ ticketNo: d.ticketNo, escalated: true, status: 'open' });
    expect(JSON.stringify(await state(h))).not.toContain('乱罚款200元');
  });
});

describe('a supervision case as its own process (第二十三条)', () => {
  test('reminder before the due date, late mark after it, and the ticket lives until the answer', async () => {
    const { d, h } = await closedTicket();
    await update(h, m.superviseUpdate, { ...division(), trigger: 'other', note: '群众多次来电反映' });
    const c = await openCaseOf(h);
    const caseState = await t.rig.env.client.workflow.getHandle(c.id).query(m.caseQuery);
    await t.rig.env.sleep(Date.parse(caseState.remindAt!) - (await t.rig.env.currentTimeMs()) + 60_000);
    expect((await t.rig.env.client.workflow.getHandle(c.id).query(m.caseQuery)).reminded).toBe(true);
    await t.rig.env.sleep(Date.parse(c.answerDueAt!) - (await t.rig.env.currentTimeMs()) + 60_000);
    const late = await eventually(() => state(h), (x) => lastCase(x)?.late === true);
    expect(lastCase(late)?.status).toBe('open');
    const row = await t.rig.db.supervisionCase.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ late: true, reminded: true });
    expect(await events(d.ticketNo)).toEqual(expect.arrayContaining(['supervision-opened', 'supervision-reminded', 'supervision-answer-overdue']));
    await caseUpdate(h, m.caseAnswerUpdate, { ...actor('leader'), report: { documentRef: 'RTB-S-9', sealed: true, submittedTo: m.SERVICE_DIVISION_UNIT }, text: '已说明处理情况' });
    await eventually(async () => (await h.describe()).status.name, (x) => x === 'COMPLETED', 60_000);
  });

  test('(五) an escalated case closes only when 委政务服务处 approves; a unit cannot approve, and a sent-back answer is answered again', async () => {
    const { h } = await handling();
    await update(h, m.superviseUpdate, { ...division(), trigger: 'management-misconduct', note: '群众举报执法人员乱罚款' });
    const report = { documentRef: 'RTB-S-5', sealed: true, submittedTo: m.SERVICE_DIVISION_UNIT };
    await caseUpdate(h, m.caseAnswerUpdate, { ...actor('leader'), report, text: '经核查，已退还罚款' });
    const c = await openCaseOf(h);
    expect(c.status).toBe('answered');
    const byUnit = await refused(t.rig.env.client.workflow.getHandle(c.id).executeUpdate(m.caseApprovalUpdate, { args: [{ ...actor('leader'), approved: true, note: '同意' }] }));
    expect(byUnit.rules).toContain('supervision-approval.service-division');
    const back = await caseUpdate(h, m.caseApprovalUpdate, { ...division(), approved: false, note: '请补充对执法人员的处理情况' });
    expect(lastCase(back)?.status).toBe('open');
    await caseUpdate(h, m.caseAnswerUpdate, { ...actor('leader'), report, text: '经核查，已退还罚款，并对执法人员给予通报批评' });
    const closed = await caseUpdate(h, m.caseApprovalUpdate, { ...division(), approved: true, note: '同意结案' });
    expect(lastCase(closed)?.status).toBe('closed');
    expect(closed.cases).toHaveLength(1);
  });
});

describe('revisits (第十七条–第二十一条)', () => {
  test('a revisit with new questions proposes a reopen; confirmed, the ticket is re-handled item by item and closes again', async () => {
    const { d, h } = await closedTicket();
    const unverified = await refused(update(h, m.revisitUpdate, { ...division('sd-revisitor'), orderedBy: 'service-division', satisfaction: 'unsatisfied', note: '不满意' }));
    expect(unverified.fields).toContain('verifiedReason');
    const s = await update(h, m.revisitUpdate, {
      ...division('sd-revisitor'),
      orderedBy: 'service-division',
      satisfaction: 'unsatisfied',
      newQuestions: true,
      note: '反映人提出罚款去向问题',
      verifiedReason: '反映人认为未告知罚款去向',
      otherQuestions: ['罚款去向', '司机是否被停运'],
      answeredDirectly: ['罚款去向'],
      dispatchedToUnit: ['司机是否被停运'],
    });
    expect(s.revisits.at(-1)!.suggestion.map((f) => f.article)).toEqual(['第十七条']);
    const byUnit = await refused(update(h, m.decideReopenSuggestionUpdate, { ...actor('unit-revisitor'), confirmed: true, note: '同意' }));
    expect(byUnit.rules).toContain('reopen-suggestion.service-division');
    const reopened = await update(h, m.decideReopenSuggestionUpdate, { ...division('sd-revisitor'), confirmed: true, note: '同意派回重办' });
    expect(reopened.status).toBe('assigned');
    expect(round(reopened).items).toHaveLength(1);
    await contact(h);
    const again = await draftAndClose(h, { itemAnswers: ['已向反映人说明司机已被停运整改'], sealedReport: { documentRef: 'RTB-R-9', sealed: true, submittedTo: m.SERVICE_DIVISION_UNIT } });
    expect(again.rounds).toHaveLength(2);
    expect(await events(d.ticketNo)).toEqual(expect.arrayContaining(['revisited', 'reopen-suggestion-confirmed', 'reopened', 'closed']));
    const toUnit = await t.rig.db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'revisit-questions' } });
    expect(toUnit[0]!.payload).toMatchObject({ questions: ['司机是否被停运'] });
  });

  test('第十八条: a company answered what the reporter asked the management department to investigate; confirmed, the ticket goes back to be assigned to that department', async () => {
    const { h } = await closedTicket();
    const s = await update(h, m.revisitUpdate, {
      ...division('sd-revisitor'),
      orderedBy: 'service-division',
      satisfaction: 'unsatisfied',
      verifiedReason: '反映人要求运管部门调查，答复却由出租车公司作出',
      note: '企业代为答复',
      assessment: { reporterAskedAuthority: true, answeredByCompany: true },
    });
    expect(s.revisits.at(-1)!.suggestion.map((f) => f.article)).toEqual(['第十八条']);
    const reopened = await update(h, m.decideReopenSuggestionUpdate, { ...division('sd-revisitor'), confirmed: true, note: '派回由管理部门重新办理' });
    expect(reopened.status).toBe('accepted');
    expect(round(reopened)).toMatchObject({ toManagementDepartment: true, orderedBy: 'service-division' });
    expect((await update(h, m.assignUpdate, { ...actor('acceptor'), departmentIds: ['taxi-division'] })).status).toBe('assigned');
  });

  test('a dismissed suggestion is recorded and cannot be decided twice', async () => {
    const { h } = await closedTicket();
    await update(h, m.revisitUpdate, { ...division('sd-revisitor'), orderedBy: 'service-division', satisfaction: 'satisfied', newQuestions: true, note: '有新疑问但已当场解答' });
    const s = await update(h, m.decideReopenSuggestionUpdate, { ...division('sd-revisitor'), confirmed: false, note: '新疑问已当场解答，无需重办' });
    expect(s.status).toBe('closed');
    expect(s.revisits.at(-1)!.suggestionDecision).toMatchObject({ confirmed: false });
    expect((await refused(update(h, m.decideReopenSuggestionUpdate, { ...division('sd-revisitor'), confirmed: true, note: '改为重办' }))).rules).toContain('reopen-suggestion.none.state');
  });
});
