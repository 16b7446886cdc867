/**
 * 第十六条 against a corpus of realistic replies of the Tianjin transport hotlines (fixtures/replies.ts): no good reply is
 * refused, no bad one passes, and each bad one is refused under the rules it is listed with.
 */
import { checkReply } from '../../rules/reply';
import type { Verdict } from '../../rules/types';
import { BAD_REPLIES, GOOD_REPLIES, type CorpusReply } from './fixtures/replies';

const rules = (v: Verdict) => (v.ok ? [] : v.violations.map((x) => `${x.article} ${x.rule}`));
const cases = (replies: CorpusReply[]) => replies.map((c) => [`${c.refusedUnder.join(' + ') || '第十六条 passes'} — ${c.name}`, c] as const);

describe('第十六条 reply corpus', () => {
  it('第十六条: the corpus holds at least 30 replies, good and bad, every bad one with its rules', () => {
    expect(GOOD_REPLIES.length + BAD_REPLIES.length).toBeGreaterThanOrEqual(30);
    expect(GOOD_REPLIES.every((c) => c.refusedUnder.length === 0)).toBe(true);
    expect(BAD_REPLIES.every((c) => c.refusedUnder.length > 0 && c.refusedUnder.every((r) => /^第十六条\([一二三四五六]\) reply\./.test(r)))).toBe(true);
  });

  it.each(cases(GOOD_REPLIES))('%s', (_, c) => {
    expect(rules(checkReply(c.draft, c.context))).toEqual([]);
  });

  it.each(cases(BAD_REPLIES))('%s', (_, c) => {
    const verdict = checkReply(c.draft, c.context);
    expect(verdict.ok).toBe(false);
    expect(rules(verdict)).toEqual(expect.arrayContaining(c.refusedUnder));
  });
});
