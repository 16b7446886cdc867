/**
 * Knowledge base (知识库), 第二十九条: a policy to be published, and its interpretation, must be in the 12345 knowledge
 * base at least one day before its official release (spec decision: ≥ 24 h, parameter `knowledgeBaseLeadHours`).
 *
 * Pure; imports no calendar.
 */
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { addHours, isLate } from './time';
import { verdict, type Verdict } from './types';

/** 第二十九条: the latest instant the knowledge base may be updated for a policy released at `releaseAt`. */
export function knowledgeBaseUpdateDueAt(releaseAt: Date, params: Parameters = DEFAULT_PARAMETERS): Date {
  return addHours(releaseAt, -params.knowledgeBaseLeadHours.value);
}

/**
 * 第二十九条: whether a knowledge-base update made at `updatedAt` was on time for a policy released at `releaseAt` —
 * at least 24 h (parameter) before the release, to the second.
 */
export function checkKnowledgeBaseUpdate(updatedAt: Date, releaseAt: Date, params: Parameters = DEFAULT_PARAMETERS): Verdict {
  if (!isLate(knowledgeBaseUpdateDueAt(releaseAt, params), updatedAt)) return verdict([]);
  return verdict([
    {
      rule: 'knowledge-base.pre-publication',
      article: '第二十九条',
      reason: `拟发布的政策及解读应于正式发布前至少一日（${params.knowledgeBaseLeadHours.value}小时）在12345热线平台知识库更新。`,
      field: 'updatedAt',
    },
  ]);
}
