import { checkAppeal } from '../../rules/appeals';
import type { TicketFacts } from '../../rules/facts';
import type { Verdict } from '../../rules/types';
import { ticketFacts } from './facts';
import { sh } from './support';

const rules = (v: Verdict) => (v.ok ? [] : v.violations.map((x) => `${x.article} ${x.rule}`));
const appealAt = sh('2026-11-05 10:00');
const appealable = (over: Partial<TicketFacts> = {}, assessment: TicketFacts['assessment'] = {}) =>
  ticketFacts({
    satisfaction: 'unsatisfied',
    closedAt: sh('2026-10-12 16:00'),
    reply: { text: '2026年10月9日，工作人员张伟（022-23456789）与反映人联系，告知其：根据《天津市客运出租汽车管理条例》规定，出租车不得拒载，但反映人要求赔偿误工费的诉求无法律依据。', repliedAt: sh('2026-10-12 16:00') },
    ...over,
    assessment: { demandUnreasonable: true, dutyFulfilled: true, ...assessment },
  });

describe('第二十七条 who may appeal', () => {
  it('第二十七条: an unsatisfied 12345 ticket, unreasonable demand, duty fulfilled, none of the exclusions', () => {
    expect(checkAppeal(appealable(), appealAt)).toEqual({ ok: true });
  });

  it.each([
    ['第二十八条: not a 12345 ticket', appealable({ channel: 'zmlj', category: 'complaint' }), '第二十八条 appeal.channel'],
    ['第二十七条: not rated unsatisfied', appealable({ satisfaction: 'basically-satisfied' }), '第二十七条 appeal.not-unsatisfied'],
    ['第二十七条: the demand was reasonable', appealable({}, { demandUnreasonable: false }), '第二十七条 appeal.demand-not-unreasonable'],
    ['第二十七条: duty not fulfilled', appealable({}, { dutyFulfilled: false }), '第二十七条 appeal.duty-not-fulfilled'],
  ])('%s → refused', (_, facts, expected) => {
    expect(rules(checkAppeal(facts, appealAt))).toEqual([expected]);
  });
});

describe('第二十八条 (一)–(七) may not be appealed', () => {
  it.each([
    ['第二十八条(一): closed without reaching the reporter', appealable({ contacts: [{ at: sh('2026-10-09 14:30'), reached: false }] }), '第二十八条(一) appeal.excluded.not-contacted'],
    ['第二十八条(一): reached only after closing', appealable({ contacts: [{ at: sh('2026-10-13 10:00'), reached: true }] }), '第二十八条(一) appeal.excluded.not-contacted'],
    ['第二十八条(二): about staff attitude (recorded)', appealable({}, { aboutStaffAttitude: true }), '第二十八条(二) appeal.excluded.staff-attitude'],
    ['第二十八条(二): about staff attitude (in the complaint)', appealable({ content: '反映市道路运输局窗口工作人员服务态度恶劣。' }), '第二十八条(二) appeal.excluded.staff-attitude'],
    ['第二十八条(二): about staff attitude (said at the revisit)', appealable({ revisits: [{ at: sh('2026-10-14'), by: 'service-division', satisfaction: 'unsatisfied', reason: '接电话的人不耐烦' }] }), '第二十八条(二) appeal.excluded.staff-attitude'],
    ['第二十八条(三): recurred (recorded)', appealable({}, { recurred: true }), '第二十八条(三) appeal.excluded.recurred'],
    ['第二十八条(三): recurred (same problem reported again after closing)', appealable({ relatedReports: [{ ticketNo: 'TJ2', at: sh('2026-10-25'), sameProblem: true }] }), '第二十八条(三) appeal.excluded.recurred'],
    ['第二十八条(四): closed before fully solved, still not done', appealable({}, { completeAtClosure: false }), '第二十八条(四) appeal.excluded.unfinished'],
    ['第二十八条(四): completed only after the appeal date', appealable({}, { completeAtClosure: false, completedAt: sh('2026-11-06') }), '第二十八条(四) appeal.excluded.unfinished'],
    ['第二十八条(五): sent to court without coordinating (recorded)', appealable({}, { advisedLegalRoute: true }), '第二十八条(五) appeal.excluded.legal-route'],
    ['第二十八条(五): the reply tells the reporter to go to court', appealable({ reply: { text: '经核实，建议反映人通过法律途径解决。', repliedAt: sh('2026-10-12 16:00') } }), '第二十八条(五) appeal.excluded.legal-route'],
    ['第二十八条(六): lead unit handled only its own demand', appealable({}, { demandsWithinCommission: 2, allDemandsHandled: false }), '第二十八条(六) appeal.excluded.lead-unit'],
    ['第二十八条(七): outside the hotline centre’s appeal scope', appealable({}, { inAppealScope: false }), '第二十八条(七) appeal.excluded.out-of-scope'],
  ])('%s', (_, facts, expected) => {
    expect(rules(checkAppeal(facts, appealAt))).toEqual([expected]);
  });

  it.each([
    ['第二十八条(三): a same-problem report before closing is not a recurrence', appealable({ relatedReports: [{ ticketNo: 'TJ0', at: sh('2026-09-01'), sameProblem: true }] })],
    ['第二十八条(四): closed before fully solved but completed before the appeal', appealable({}, { completeAtClosure: false, completedAt: sh('2026-11-01') })],
    ['第二十八条(五): legal route advised after coordinating', appealable({}, { advisedLegalRoute: true, coordinated: true })],
    ['第二十八条(六): several demands, all handled', appealable({}, { demandsWithinCommission: 3, allDemandsHandled: true })],
  ])('%s → appealable', (_, facts) => {
    expect(checkAppeal(facts, appealAt)).toEqual({ ok: true });
  });

  it('第二十七条–第二十八条: every exclusion at once', () => {
    const facts = appealable(
      { contacts: [], content: '反映工作人员态度差' },
      { recurred: true, completeAtClosure: false, advisedLegalRoute: true, demandsWithinCommission: 2, allDemandsHandled: false, inAppealScope: false },
    );
    expect(rules(checkAppeal(facts, appealAt)).map((r) => r.split(' ')[0])).toEqual([
      '第二十八条(一)',
      '第二十八条(二)',
      '第二十八条(三)',
      '第二十八条(四)',
      '第二十八条(五)',
      '第二十八条(六)',
      '第二十八条(七)',
    ]);
  });
});

describe('第二十七条 the premises, on the record', () => {
  it('第二十七条: a ticket never closed is not appealable, even with a reply drafted', () => {
    const facts = appealable({ closedAt: undefined });
    expect(rules(checkAppeal(facts, appealAt))).toEqual(['第二十七条 appeal.not-closed']);
  });

  it('第二十七条: a ticket reopened since its closure is not appealable until closed again', () => {
    const facts = appealable({ events: [...appealable().events, { type: 'reopened', at: sh('2026-10-20 09:00') }] });
    expect(rules(checkAppeal(facts, appealAt))).toEqual(['第二十七条 appeal.not-closed']);
  });

  it('第二十七条: an unsatisfied rating of an earlier closure does not carry over to the re-closure', () => {
    const facts = { ...appealable(), ratedAt: sh('2026-10-01 10:00') };
    expect(rules(checkAppeal(facts, appealAt))).toEqual(['第二十七条 appeal.rating-before-closure']);
  });

  it.each([
    ['第二十八条: rated last month, appealed in this month’s package', sh('2026-10-20 10:00'), sh('2026-11-05 10:00'), []],
    ['第二十八条: rated this month', sh('2026-11-01 08:00'), sh('2026-11-30 23:59'), []],
    ['第二十八条: rated the month before last: out of the window', sh('2026-10-31 23:00'), sh('2026-12-01 00:30'), ['第二十八条 appeal.window']],
    ['第二十八条: rated three months before', sh('2026-10-13 09:00'), sh('2027-01-04 09:00'), ['第二十八条 appeal.window']],
  ])('%s', (_, ratedAt, at, expected) => {
    expect(rules(checkAppeal({ ...appealable(), ratedAt }, at))).toEqual(expected);
  });
});

const closedAt = sh('2026-10-12 16:00');
const ratedWith = (words: string, at = sh('2026-10-13 10:00')) => appealable({ ratings: [{ at, satisfaction: 'unsatisfied', words }] });

describe('第二十八条(二) staff attitude: when the dissatisfaction is about the staff’s attitude, not whenever 态度 is written', () => {
  it.each([
    ['工作人员态度很差'],
    ['接线员服务态度恶劣，说话难听'],
    ['对工作人员的态度非常不满意'],
    ['不满意你们的服务态度'],
    ['打电话的人很不耐烦'],
    ['回访人员爱答不理'],
    ['语气很冲，像是我欠他钱'],
    ['态度有问题'],
    ['问题解决了，但是工作人员态度也很差'],
    ['司机拒载我理解，你们工作人员态度差我不能接受'],
  ])('第二十八条(二): “%s” → not appealable', (words) => {
    expect(rules(checkAppeal(ratedWith(words), appealAt))).toEqual(['第二十八条(二) appeal.excluded.staff-attitude']);
  });

  it.each([
    ['服务态度很好，但是问题没有解决'],
    ['工作人员态度不错，就是处理结果不满意'],
    ['态度还可以，我要的赔偿没有给'],
    ['态度不差，但是没有用'],
    ['不是态度问题，是没解决'],
    ['工作人员并没有不耐烦，只是结果我不接受'],
    ['对处理结果不满意'],
    ['司机态度恶劣，你们只罚了200元'],
    ['对司机的态度不满，处罚太轻'],
    ['不满意的不是态度，是结果'],
  ])('第二十八条(二): “%s” → appealable', (words) => {
    expect(checkAppeal(ratedWith(words), appealAt)).toEqual({ ok: true });
  });

  it('第二十八条(二): the words of a rating before the closure, or of a satisfied rating, do not count', () => {
    const facts = appealable({
      ratings: [
        { at: sh('2026-10-01 10:00'), satisfaction: 'unsatisfied', words: '工作人员态度很差' },
        { at: sh('2026-10-13 10:00'), satisfaction: 'unsatisfied', words: '赔偿要求没有满足' },
      ],
    });
    expect(checkAppeal(facts, appealAt)).toEqual({ ok: true });
    expect(checkAppeal(appealable({ ratings: [{ at: sh('2026-10-13 10:00'), satisfaction: 'satisfied', words: '态度差' }] }), appealAt)).toEqual({ ok: true });
  });

  it('第二十八条(二): a complaint about a driver’s attitude is not about the staff’s', () => {
    expect(checkAppeal(appealable({ content: '出租车司机拒载，态度恶劣。' }), appealAt)).toEqual({ ok: true });
  });
});

describe('第二十八条(一)(三)(四)(六) on the ticket’s record', () => {
  it.each([
    ['第二十八条(一): the closure records that the reporter was never reached', { closedWithoutContact: true }, ['第二十八条(一) appeal.excluded.not-contacted']],
    ['第二十八条(一): the closure records a reached reporter', { closedWithoutContact: false, contacts: [] }, []],
    ['第二十八条(三): re-handled because the problem came back', { reopens: [{ at: sh('2026-10-05 09:00'), reasons: ['反映人称拒载问题再次出现'] }] }, ['第二十八条(三) appeal.excluded.recurred']],
    ['第二十八条(三): re-handled after a 回潮', { reopens: [{ at: sh('2026-10-05 09:00'), reasons: ['整治后出现回潮'] }] }, ['第二十八条(三) appeal.excluded.recurred']],
    ['第二十八条(三): re-handled for another reason is no recurrence', { reopens: [{ at: sh('2026-10-05 09:00'), reasons: ['未与反映人本人核实'] }] }, []],
    ['第二十八条(三): “did not come back” is no recurrence', { reopens: [{ at: sh('2026-10-05 09:00'), reasons: ['核实整改后问题未再次出现'] }] }, []],
    ['第二十八条(六): a co-handling part never submitted', { parts: [{ unitId: 'highway-center', status: 'submitted' as const }, { unitId: 'transport-enforcement-corps', status: 'dispatched' as const }] }, ['第二十八条(六) appeal.excluded.lead-unit']],
    ['第二十八条(六): every part submitted', { parts: [{ unitId: 'highway-center', status: 'submitted' as const }] }, []],
  ])('%s', (_, over, expected) => {
    expect(rules(checkAppeal({ ...appealable(), ...over }, appealAt))).toEqual(expected);
  });

  const ongoing = { text: '经核实，已责令涉事企业整改，预计于2026年12月底前完成整改。', repliedAt: closedAt };
  it('第二十八条(四): the reply closed a matter still being handled, not finished by the appeal date', () => {
    expect(rules(checkAppeal(appealable({ reply: ongoing }), appealAt))).toEqual(['第二十八条(四) appeal.excluded.unfinished']);
    expect(rules(checkAppeal(appealable({ reply: { ...ongoing, text: '目前正在协调施工单位。' } }), appealAt))).toEqual(['第二十八条(四) appeal.excluded.unfinished']);
  });

  it('第二十八条(四): finished before the appeal date, as the unit states', () => {
    expect(checkAppeal(appealable({ reply: ongoing }, { completedAt: sh('2026-11-01') }), appealAt)).toEqual({ ok: true });
  });

  it('第二十八条(四): “no work outstanding” is not an ongoing matter', () => {
    expect(checkAppeal(appealable({ reply: { ...ongoing, text: '经核实，已处理完毕，不存在尚未完成的事项。' } }), appealAt)).toEqual({ ok: true });
  });
});
