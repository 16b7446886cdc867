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
