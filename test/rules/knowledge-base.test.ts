import { checkKnowledgeBaseUpdate, knowledgeBaseUpdateDueAt } from '../../rules/knowledge-base';
import { withOverrides } from '../../rules/parameters';
import { sh } from './support';

describe('第二十九条 knowledge base at least one day before the policy’s release', () => {
  const release = sh('2026-10-09 10:00');
  it.each([
    ['第二十九条: two days before', sh('2026-10-07 10:00'), true],
    ['第二十九条: exactly 24 h before', sh('2026-10-08 10:00'), true],
    ['第二十九条: 24 h minus one second before', sh('2026-10-08 10:00:01'), false],
    ['第二十九条: on the release day', sh('2026-10-09 08:00'), false],
    ['第二十九条: after the release', sh('2026-10-10 08:00'), false],
  ])('%s', (_, updatedAt, ok) => {
    const v = checkKnowledgeBaseUpdate(updatedAt, release);
    expect(v.ok).toBe(ok);
    if (!v.ok) expect(v.violations).toEqual([expect.objectContaining({ rule: 'knowledge-base.pre-publication', article: '第二十九条' })]);
  });

  it('第二十九条: the latest update time, and the lead time as a parameter', () => {
    expect(knowledgeBaseUpdateDueAt(release)).toEqual(sh('2026-10-08 10:00'));
    expect(checkKnowledgeBaseUpdate(sh('2026-10-08 20:00'), release, withOverrides({ knowledgeBaseLeadHours: 12 })).ok).toBe(true);
  });
});
