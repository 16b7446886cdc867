/**
 * Revisit (回访), 第十七条–第十九条: sampling of closed tickets for revisit, the reasons a revisit sends a ticket back for
 * re-handling, and the unsatisfied tickets that need no revisit.
 *
 * Pure; imports no calendar. The sample draw is deterministic in its seed, so a recorded seed lets anyone audit a draw.
 */
import type { TicketFacts } from './facts';
import type { Finding } from './types';

/**
 * 第十九条 (一)–(三): the grounds on which an unsatisfied ticket may go without revisit — dissatisfaction with the policy
 * itself after a patient explanation, an unreasonable demand that was not met, an anonymous report. Empty when the ticket
 * is not rated unsatisfied or no ground applies (then it is revisited as usual).
 */
export function revisitExemptions(facts: Pick<TicketFacts, 'satisfaction' | 'reporterAnonymous' | 'assessment'>): Finding[] {
  if (facts.satisfaction !== 'unsatisfied') return [];
  const a = facts.assessment;
  const grounds: Finding[] = [];
  if (a.dissatisfiedWithPolicy && a.policyExplained)
    grounds.push({ rule: 'revisit.exempt.policy', article: '第十九条(一)', reason: '对政策不满，且承办单位已耐心细致进行解释，可不进行回访。' });
  if (a.demandUnreasonable)
    grounds.push({ rule: 'revisit.exempt.unreasonable-demand', article: '第十九条(二)', reason: '群众不合理诉求未得到满足，可不进行回访。' });
  if (facts.reporterAnonymous)
    grounds.push({ rule: 'revisit.exempt.anonymous', article: '第十九条(三)', reason: '匿名反映情况，可不进行回访。' });
  return grounds;
}

/**
 * 第十七条, 第十八条: why a revisited ticket goes back for re-handling — to the original unit when its performance of duty
 * was insufficient or the reporter raised new questions (第十七条); to the management department itself when the reporter
 * asked it to investigate but the unit passed the ticket to a company, and the reporter is unsatisfied (第十八条).
 */
export function reopenReasons(facts: Pick<TicketFacts, 'revisits' | 'satisfaction' | 'assessment'>): Finding[] {
  const out: Finding[] = [];
  const latest = facts.revisits.at(-1);
  const unsatisfied = facts.satisfaction === 'unsatisfied' || latest?.satisfaction === 'unsatisfied';
  if (facts.assessment.dutyInsufficient)
    out.push({ rule: 'revisit.reopen.duty-insufficient', article: '第十七条', reason: '履职不到位，派回原承办单位重新办理。' });
  if (facts.revisits.some((r) => r.newQuestions))
    out.push({ rule: 'revisit.reopen.new-questions', article: '第十七条', reason: '回访过程中群众提出新的疑问，派回原承办单位重新办理。' });
  if (unsatisfied && facts.assessment.reporterAskedAuthority && facts.assessment.answeredByCompany)
    out.push({
      rule: 'revisit.reopen.company-answered',
      article: '第十八条',
      reason: '群众要求管理部门调查解决，承办单位仍将工单转派企业答复，群众不满意，派回原承办单位由管理部门重新办理。',
    });
  return out;
}

/** FNV-1a of a string: the seed of the sample draw. */
function hash(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small deterministic generator of floats in [0, 1). */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 第十七条 "随机进行抽查回访": draws ⌈rate × n⌉ of the candidate tickets, deterministically from `seed` (record the seed with
 * the draw so it can be audited). Rates are the parameters `revisitSampleRateServiceDivision` (委政务服务处, all units)
 * and `revisitSampleRateUnit` (a unit's acceptance department, its own tickets). Returns the drawn ticket numbers in
 * their input order.
 */
export function drawRevisitSample(candidates: readonly string[], rate: number, seed: string): string[] {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`sampling rate must be within [0, 1]: ${rate}`);
  const unique = [...new Set(candidates)].sort();
  const k = Math.ceil(rate * unique.length);
  const random = generator(hash(seed));
  for (let i = unique.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [unique[i], unique[j]] = [unique[j]!, unique[i]!];
  }
  const drawn = new Set(unique.slice(0, k));
  return [...new Set(candidates)].filter((c) => drawn.has(c));
}
