import { drawRevisitSample, reopenReasons, revisitExemptions } from '../../rules/revisit';
import { DEFAULT_PARAMETERS } from '../../rules/parameters';
import { ticketFacts } from './facts';
import { sh } from './support';

const articles = (fs: { article: string }[]) => fs.map((f) => f.article);

describe('第十九条 unsatisfied tickets that need no revisit', () => {
  it.each([
    ['第十九条(一): dissatisfied with the policy, patiently explained', { dissatisfiedWithPolicy: true, policyExplained: true }, false, ['第十九条(一)']],
    ['第十九条(一): dissatisfied with the policy but not explained → revisit', { dissatisfiedWithPolicy: true }, false, []],
    ['第十九条(二): an unreasonable demand not met', { demandUnreasonable: true }, false, ['第十九条(二)']],
    ['第十九条(三): anonymous report', {}, true, ['第十九条(三)']],
    ['第十九条(一)–(三): all grounds at once', { dissatisfiedWithPolicy: true, policyExplained: true, demandUnreasonable: true }, true, ['第十九条(一)', '第十九条(二)', '第十九条(三)']],
    ['第十九条: none applies → revisit', {}, false, []],
  ])('%s', (_, assessment, reporterAnonymous, expected) => {
    expect(articles(revisitExemptions(ticketFacts({ satisfaction: 'unsatisfied', assessment, reporterAnonymous })))).toEqual(expected);
  });

  it('第十九条: only unsatisfied tickets are exempted (a satisfied anonymous ticket is sampled as usual)', () => {
    expect(revisitExemptions(ticketFacts({ satisfaction: 'satisfied', reporterAnonymous: true }))).toEqual([]);
  });
});

describe('第十七条, 第十八条 re-handling after a revisit', () => {
  it.each([
    ['第十七条: insufficient performance of duty', ticketFacts({ assessment: { dutyInsufficient: true } }), ['revisit.reopen.duty-insufficient']],
    ['第十七条: the reporter raised new questions', ticketFacts({ revisits: [{ at: sh('2026-10-12 10:00'), by: 'service-division', satisfaction: 'basically-satisfied', newQuestions: true }] }), ['revisit.reopen.new-questions']],
    ['第十八条: the unit passed an authority matter to a company, reporter unsatisfied', ticketFacts({ satisfaction: 'unsatisfied', assessment: { reporterAskedAuthority: true, answeredByCompany: true } }), ['revisit.reopen.company-answered']],
    ['第十八条: the same but the reporter is satisfied → no re-handling', ticketFacts({ satisfaction: 'satisfied', assessment: { reporterAskedAuthority: true, answeredByCompany: true } }), []],
  ])('%s', (_, facts, expected) => {
    expect(reopenReasons(facts).map((f) => f.rule)).toEqual(expected);
  });
});

describe('第十七条 random revisit sampling (auditable draw)', () => {
  const tickets = Array.from({ length: 95 }, (_, i) => `TJ2026${String(i).padStart(4, '0')}`);

  it('第十七条: draws ⌈rate × n⌉ distinct tickets from the candidates', () => {
    const drawn = drawRevisitSample(tickets, DEFAULT_PARAMETERS.revisitSampleRateServiceDivision.value, 'seed-2026-10');
    expect(drawn).toHaveLength(10);
    expect(new Set(drawn).size).toBe(10);
    for (const t of drawn) expect(tickets).toContain(t);
  });

  it('第十七条: the same seed gives the same draw whatever the input order; another seed another draw', () => {
    const a = drawRevisitSample(tickets, 0.2, 'audit-42');
    expect(drawRevisitSample([...tickets].reverse(), 0.2, 'audit-42').sort()).toEqual([...a].sort());
    expect(drawRevisitSample(tickets, 0.2, 'audit-43')).not.toEqual(a);
  });

  it('第十七条: rates 0 and 1, and invalid rates', () => {
    expect(drawRevisitSample(tickets, 0, 's')).toEqual([]);
    expect(drawRevisitSample(tickets, 1, 's')).toEqual(tickets);
    expect(() => drawRevisitSample(tickets, 1.2, 's')).toThrow(RangeError);
  });
});
