/**
 * What follows from a ticket's state and is never written by hand: the read-model row and the search attributes
 * (the timers are `dueTimers` in ./ticket-state). Pure, so the workflow, the activities and the tests compute the same.
 */
import type { SearchAttributePair } from '@temporalio/common';
import { platformReplyText } from '../rules/reply';
import { platformDraftOf } from './facts';
import { currentRound, isCaseOpen, openCase } from './ticket-state';
import type { TicketState } from './messages';
import * as sa from './search-attributes';

/** The read-model columns a ticket's state decides (never personal data: the API writes those from the intake). */
export function readModelOf(s: TicketState) {
  const d = s.deadlines;
  const round = currentRound(s);
  return {
    status: s.status,
    unitId: s.input.unitId,
    dispatchedToUnitAt: s.input.dispatchedToUnitAt,
    notReturnable: s.input.notReturnable ?? false,
    acceptDueAt: d.acceptDueAt,
    acceptedAt: s.acceptedAt,
    acceptedBy: s.acceptedBy,
    acceptOverdue: s.acceptOverdue,
    returnWindowEndsAt: d.returnWindowEndsAt,
    dueAt: d.dueAt,
    remindAt: d.remindAt,
    nearDeadlineAt: d.nearDeadlineAt,
    slaDescription: d.sla?.description ?? null,
    deadlinesProvisional: d.provisional,
    reminded: round.reminded,
    handlingOverdue: round.overdue,
    sensitive: s.flags.sensitive || s.flags.majorPublicOpinion,
    mediation: !!s.mediation,
    supervised: isCaseOpen(s),
    supervisionEscalated: openCase(s)?.escalated ?? false,
    satisfaction: s.ratings.at(-1)?.satisfaction ?? null,
    ratedAt: s.ratings.at(-1)?.ratedAt ?? null,
    departments: s.departments.map((x) => x.departmentId),
    extensionStatus: round.extension?.status ?? null,
    // The reply as the platform receives it (第十六条(一)): the checked text, not the draft's free text alone.
    replyText: s.reply ? platformReplyText(platformDraftOf(s)) : null,
    replyDraftedBy: s.reply?.draftedBy ?? null,
    replyReviewedBy: s.reply?.reviewedBy ?? null,
    platformReceipt: s.platformReceipt,
    closedWithoutContact: s.closedWithoutContact,
    reopenCount: s.reopens.length,
    closedAt: round.closedAt,
    rounds: s.rounds,
    problem: s.problems.at(-1)?.message ?? null,
    lastEventSequence: s.lastEventSequence,
    // 第九条、第二十八条(六): every unit involved sees the ticket and the list finds it through any of them.
    involvedUnits: involvedUnitsOf(s),
    parts: s.parts,
  };
}
export type ReadModelRow = ReturnType<typeof readModelOf>;

/** The lead unit and every co-handling unit (第九条, 第二十八条(六)). */
export function involvedUnitsOf(s: TicketState): string[] {
  return [s.input.unitId, ...s.parts.map((p) => p.unitId)];
}

/** The custom search attributes operators filter on in the Temporal UI. */
export function searchAttributesOf(s: TicketState): SearchAttributePair[] {
  const d = s.deadlines;
  return [
    { key: sa.TicketStatus, value: s.status },
    { key: sa.HandlingUnit, value: s.input.unitId },
    { key: sa.InvolvedUnits, value: involvedUnitsOf(s) },
    { key: sa.Channel, value: s.input.channel },
    { key: sa.Category, value: s.input.category },
    { key: sa.Urgency, value: s.input.urgency ?? 'none' },
    { key: sa.Labels, value: s.input.labels },
    { key: sa.AcceptDueAt, value: new Date(d.acceptDueAt) },
    ...(d.dueAt ? [{ key: sa.DueAt, value: new Date(d.dueAt) }] : []),
    { key: sa.Overdue, value: currentRound(s).overdue },
    { key: sa.Supervised, value: isCaseOpen(s) },
  ];
}
