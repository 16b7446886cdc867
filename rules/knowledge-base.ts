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

/** One write of a knowledge-base entry, as 第二十九条 looks at it. */
export interface KnowledgeBaseEdit {
  /** When the entry was written. */
  at: Date;
  /** The policy's planned release (正式发布); none: the entry interprets no policy to be published. */
  releaseAt: Date | null;
  /** The entry is new, or this write changes its policy or the policy's release: the policy enters the knowledge base now. */
  policyChanged: boolean;
}

/** What 第二十九条 says of one write. */
export interface KnowledgeBaseEditCheck {
  /** Whether the write is one 第二十九条 judges; a routine edit after the release of a policy already in place is not. */
  applies: boolean;
  /** The latest on-time instant (release minus the lead time), when there is a release. */
  dueAt: Date | null;
  /** The verdict of `checkKnowledgeBaseUpdate`; ok when the rule does not apply. */
  verdict: Verdict;
}

/**
 * 第二十九条 for one write of an entry: a write before the release of its policy must come at least the lead time before
 * it — one updated less than a day before the release is late. A write after the release is late when it is the one
 * that brings the policy in (a new entry, or a new policy or release date): the knowledge base lacked it at the release.
 * A later edit of an entry whose policy was in place before the release (a correction, a new maintainer) is not judged.
 */
export function checkKnowledgeBaseEdit(edit: KnowledgeBaseEdit, params: Parameters = DEFAULT_PARAMETERS): KnowledgeBaseEditCheck {
  if (!edit.releaseAt) return { applies: false, dueAt: null, verdict: verdict([]) };
  const dueAt = knowledgeBaseUpdateDueAt(edit.releaseAt, params);
  const afterRelease = isLate(edit.releaseAt, edit.at);
  if (afterRelease && !edit.policyChanged) return { applies: false, dueAt, verdict: verdict([]) };
  return { applies: true, dueAt, verdict: checkKnowledgeBaseUpdate(edit.at, edit.releaseAt, params) };
}
