import { checkKnowledgeBaseEdit, checkKnowledgeBaseUpdate, knowledgeBaseUpdateDueAt } from '../../rules/knowledge-base';
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

describe('第二十九条 applied to each write of an entry', () => {
  const release = sh('2026-10-09 10:00');
  it.each([
    ['a new entry two days before the release: on time', { at: sh('2026-10-07 10:00'), policyChanged: true }, true, true],
    ['a new entry exactly 24 h before: on time', { at: sh('2026-10-08 10:00'), policyChanged: true }, true, true],
    ['a new entry one second less than 24 h before: late', { at: sh('2026-10-08 10:00:01'), policyChanged: true }, true, false],
    ['an update of an entry in place, twelve hours before the release: late (updated less than a day before)', { at: sh('2026-10-08 22:00'), policyChanged: false }, true, false],
    ['a new entry after the release: late (the knowledge base lacked it at the release)', { at: sh('2026-10-10 09:00'), policyChanged: true }, true, false],
    ['a correction after the release of an entry already in place: not judged', { at: sh('2026-10-10 09:00'), policyChanged: false }, false, true],
  ])('第二十九条: %s', (_, edit, applies, ok) => {
    const c = checkKnowledgeBaseEdit({ ...edit, releaseAt: release });
    expect(c).toMatchObject({ applies, dueAt: sh('2026-10-08 10:00') });
    expect(c.verdict.ok).toBe(ok);
    if (!c.verdict.ok) expect(c.verdict.violations).toEqual([expect.objectContaining({ rule: 'knowledge-base.pre-publication', article: '第二十九条' })]);
  });

  it('第二十九条: an entry without a policy release is not judged', () => {
    expect(checkKnowledgeBaseEdit({ at: sh('2026-10-08 10:00'), releaseAt: null, policyChanged: true })).toEqual({ applies: false, dueAt: null, verdict: { ok: true } });
  });
});
