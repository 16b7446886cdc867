import { withOverrides } from '../../rules/parameters';
import { isManagementMisconduct, ratingComplaints, supervisionTriggers } from '../../rules/supervision';
import type { TicketFacts } from '../../rules/facts';
import { ticketFacts } from './facts';
import { sh } from './support';

const triggered = (facts: TicketFacts, at: Date) => supervisionTriggers(facts, at).triggers.map((t) => `${t.article} ${t.rule}`);
const reminded = { type: 'reminded' as const, at: sh('2026-10-14 09:00') };
const base = ticketFacts();

describe('第二十二条(一) slow after a reminder near the deadline', () => {
  it.each([
    ['第二十二条(一): reminded, open, past the near-deadline point → supervised', ticketFacts({ events: [...base.events, reminded] }), sh('2026-10-15 14:36'), true],
    ['第二十二条(一): reminded, open, overdue → supervised', ticketFacts({ events: [...base.events, reminded] }), sh('2026-10-17 09:00'), true],
    ['第二十二条(一): reminded, open, not yet near the deadline', ticketFacts({ events: [...base.events, reminded] }), sh('2026-10-15 14:35:59'), false],
    ['第二十二条(一): near the deadline but never reminded', base, sh('2026-10-15 20:00'), false],
    ['第二十二条(一): reminded but closed before', ticketFacts({ events: [...base.events, reminded], closedAt: sh('2026-10-15 10:00') }), sh('2026-10-15 20:00'), false],
  ])('%s', (_, facts, at, expected) => {
    expect(triggered(facts, at).includes('第二十二条(一) supervision.slow-after-reminder')).toBe(expected);
  });
});

describe('第二十二条(二) the same problem reported repeatedly, unsatisfied', () => {
  const earlier = { ticketNo: 'TJ1', at: sh('2026-09-20 10:00'), sameProblem: true };
  const first = { ticketNo: 'TJ0', at: sh('2026-09-01 10:00'), sameProblem: true, satisfaction: 'satisfied' as const };
  it.each([
    ['第二十二条(二): third report (2 before this one), an earlier one rated unsatisfied', [first, { ...earlier, satisfaction: 'unsatisfied' as const }], undefined, true],
    ['第二十二条(二): third report, this one rated unsatisfied', [first, earlier], 'unsatisfied' as const, true],
    ['第二十二条(二): second report only (1 before this one), the earlier one unsatisfied', [{ ...earlier, satisfaction: 'unsatisfied' as const }], undefined, false],
    ['第二十二条(二): third report, everyone satisfied', [first, { ...earlier, satisfaction: 'satisfied' as const }], 'satisfied' as const, false],
    ['第二十二条(二): an unrelated earlier report does not count', [first, { ...earlier, sameProblem: false, satisfaction: 'unsatisfied' as const }], undefined, false],
  ])('%s', (_, relatedReports, satisfaction, expected) => {
    const facts = ticketFacts({ relatedReports, ...(satisfaction ? { satisfaction } : {}) });
    expect(triggered(facts, sh('2026-10-20 10:00')).includes('第二十二条(二) supervision.repeated-unsatisfied')).toBe(expected);
  });

  it('第二十二条(二): "多次" is a parameter (3 reports before this one)', () => {
    const facts = ticketFacts({ relatedReports: [first, { ticketNo: 'TJ1', at: sh('2026-09-20 10:00'), sameProblem: true, satisfaction: 'unsatisfied' }] });
    expect(supervisionTriggers(facts, sh('2026-10-20'), withOverrides({ supervisionRepeatedReports: 3 })).triggers).toEqual([]);
    expect(supervisionTriggers(facts, sh('2026-10-20'), withOverrides({ supervisionRepeatedReports: 1 })).triggers.map((t) => t.article)).toContain('第二十二条(二)');
  });
});

describe('第二十二条(三) false closure', () => {
  const reply = { text: '2026年10月9日，工作人员张伟（022-23456789）与反映人联系，已为其退还多收车费36元，问题已解决，反映人表示满意。', repliedAt: sh('2026-10-09 16:00') };
  it.each([
    ['第二十二条(三): reporter says not contacted, reply says contacted', { reporterSaysNotContacted: true }, true],
    ['第二十二条(三): reporter says not solved, reply says solved', { reporterSaysNotSolved: true }, true],
    ['第二十二条(三): reporter merely unsatisfied', {}, false],
  ])('%s', (_, says, expected) => {
    const facts = ticketFacts({ reply, revisits: [{ at: sh('2026-10-12 10:00'), by: 'service-division', satisfaction: 'unsatisfied', ...says }] });
    expect(triggered(facts, sh('2026-10-12 11:00')).includes('第二十二条(三) supervision.false-closure')).toBe(expected);
  });

  it('第二十二条(三): a reply that never claimed a solution is not a false claim of one', () => {
    const facts = ticketFacts({
      reply: { text: '经核实，该诉求不符合退费条件，已向反映人说明。', repliedAt: sh('2026-10-09 16:00') },
      revisits: [{ at: sh('2026-10-12 10:00'), by: 'service-division', satisfaction: 'unsatisfied', reporterSaysNotSolved: true }],
    });
    expect(triggered(facts, sh('2026-10-12 11:00'))).toEqual([]);
  });
});

describe('第二十二条(四) returned repeatedly or passed between units, not accepted', () => {
  const passed: TicketFacts['events'] = [
    { type: 'dispatched-to-commission', at: sh('2026-10-09 09:00') },
    { type: 'dispatched-to-unit', at: sh('2026-10-09 09:05'), unit: '市道路运输局' },
    { type: 'returned', at: sh('2026-10-09 15:00'), unit: '市道路运输局' },
    { type: 'dispatched-to-unit', at: sh('2026-10-09 16:00'), unit: '市公路中心' },
    { type: 'returned', at: sh('2026-10-10 10:00'), unit: '市公路中心' },
    { type: 'dispatched-to-unit', at: sh('2026-10-10 11:00'), unit: '市道路运输局' },
  ];
  it.each([
    ['第二十二条(四): two returns, three dispatches, not accepted → supervised', passed, true],
    ['第二十二条(四): the same, but accepted after the last dispatch', [...passed, { type: 'accepted' as const, at: sh('2026-10-10 12:00'), unit: '市道路运输局' }], false],
    ['第二十二条(四): one return only', passed.slice(0, 4), false],
  ])('%s', (_, events, expected) => {
    expect(triggered(ticketFacts({ events }), sh('2026-10-10 15:00')).includes('第二十二条(四) supervision.passed-around')).toBe(expected);
  });
});

describe('第二十二条(五) reports of the management department’s own misconduct — escalated', () => {
  it.each([
    ['第二十二条(五): 执法人员乱罚款', '反映交通执法人员在天津港附近乱罚款，未出具票据。', undefined, true],
    ['第二十二条(五): 违规执法', '举报路政人员违规执法，扣车不给手续。', undefined, true],
    ['第二十二条(五): 运管部门乱收费', '反映运管所办理业务时乱收费。', undefined, true],
    ['第二十二条(五): platform tag', '反映收费问题。', ['乱收费', '执法部门'], true],
    ['第二十二条(五): a company overcharging is not the management department', '反映出租车司机乱收费，多收了20元。', undefined, false],
    ['第二十二条(五): an ordinary complaint', '反映公交车晚点。', undefined, false],
  ])('%s', (_, content, platformTags, expected) => {
    const facts = ticketFacts({ content, ...(platformTags ? { platformTags } : {}) });
    expect(isManagementMisconduct(facts)).toBe(expected);
    const result = supervisionTriggers(facts, sh('2026-10-10 10:00'));
    expect(result.escalate).toBe(expected);
    expect(result.triggers.some((t) => t.article === '第二十二条(五)')).toBe(expected);
  });

  it('第二十二条(五): the manual flag escalates', () => {
    expect(supervisionTriggers(ticketFacts({ flags: { managementMisconduct: true } }), sh('2026-10-10')).escalate).toBe(true);
  });
});

describe('第二十二条(六) and the whole picture', () => {
  it('第二十二条(六): a manual supervision flag', () => {
    expect(triggered(ticketFacts({ flags: { manualSupervision: true } }), sh('2026-10-10'))).toEqual(['第二十二条(六) supervision.other']);
  });

  it('第二十二条: a ticket in order triggers nothing', () => {
    expect(supervisionTriggers(base, sh('2026-10-10 10:00'))).toEqual({ triggers: [], escalate: false });
  });
});

describe('第二十二条(三) what a rating\'s words say against a closure (spec decision "satisfaction")', () => {
  it.each([
    ['根本没有人联系我', { notContacted: true, notSolved: false }],
    ['从未接到任何电话，问题依旧', { notContacted: true, notSolved: true }],
    ['问题没解决', { notContacted: false, notSolved: true }],
    ['已解决，但态度不好', { notContacted: false, notSolved: false }],
    ['联系过了，罚得太少', { notContacted: false, notSolved: false }],
  ])('第二十二条(三): "%s"', (words, expected) => {
    expect(ratingComplaints(words)).toEqual(expected);
  });

  it('第二十二条(三): an unsatisfied rating saying "not solved" against a reply claiming it is a false closure; a satisfied one is not', () => {
    const reply = { text: '2026年10月9日，工作人员张伟（022-23456789）与反映人联系，已为其退还多收车费36元，问题已解决，反映人表示满意。', repliedAt: sh('2026-10-09 16:00') };
    const rated = (satisfaction: 'unsatisfied' | 'satisfied') => ticketFacts({ reply, ratings: [{ at: sh('2026-10-10 09:00'), satisfaction, words: '问题根本没解决' }] });
    expect(triggered(rated('unsatisfied'), sh('2026-10-11'))).toContain('第二十二条(三) supervision.false-closure');
    expect(triggered(rated('satisfied'), sh('2026-10-11'))).not.toContain('第二十二条(三) supervision.false-closure');
  });
});
