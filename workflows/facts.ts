/**
 * The workflow's state seen as the rule layer's facts (rules/facts.ts, rules/returns.ts, rules/extensions.ts,
 * rules/reply.ts). Pure mapping: ISO strings become Dates, nothing is decided here.
 */
import type { TicketFacts, TicketEvent } from '../rules/facts';
import type { ReplyContext, ReplyDraft } from '../rules/reply';
import type { ReturnRequest, ReturnTicketFacts } from '../rules/returns';
import type { ExtensionRequest, ExtensionTicketFacts } from '../rules/extensions';
import type { ExtensionRequestCommand, ReplyDraftCommand, ReplyEntry, ReturnCommand, TicketState } from './messages';

const date = (iso: string | null | undefined) => (iso ? new Date(iso) : undefined);

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function replyDraftOf(r: ReplyDraftCommand | ReplyEntry): ReplyDraft {
  return defined({
    text: r.text,
    contactedAt: date(r.contactedAt),
    staffName: r.staffName ?? undefined,
    staffPhone: r.staffPhone ?? undefined,
    process: r.process ?? undefined,
    result: r.result ?? undefined,
    reporterFeedback: r.reporterFeedback ?? undefined,
  });
}

/**
 * 第十六条(一), 第二十八条(六): the reply as the platform receives it — the lead unit's reply with each co-handling unit's
 * submitted result on the demands it owns.
 */
export function platformDraftOf(s: TicketState, r: ReplyDraftCommand | ReplyEntry | null = s.reply): ReplyDraft {
  const partResults = s.parts.filter((p) => p.result).map((p) => ({ unit: p.unitId, demands: p.demands, result: p.result!.text }));
  return { ...(r ? replyDraftOf(r) : {}), ...(partResults.length > 0 ? { partResults } : {}) };
}

export function returnRequestOf(c: ReturnCommand, at: Date): ReturnRequest {
  return defined({
    ground: c.ground,
    requestedAt: at,
    evidence: c.evidence,
    lateJustification: c.lateJustification ? { text: c.lateJustification.text } : undefined,
    citesDifficulty: c.citesDifficulty,
    citesNeedForOtherUnitHelp: c.citesNeedForOtherUnitHelp,
    reporterContactedAt: date(c.reporterContactedAt),
    officeConsultedAt: date(c.officeConsultedAt),
    inspectionConsentAt: date(c.inspectionConsentAt),
  });
}

/**
 * The ticket's record as the return rules read it. What the platform and 委政务服务处 decided comes from the record; the
 * unit states only its own share of the duty (第八条(四)1–2) and whether the reporter raised something new.
 */
export function returnFactsOf(s: TicketState, c: ReturnCommand): ReturnTicketFacts {
  return defined({
    duty: c.duty,
    ownPartCompleted: c.ownPartCompleted,
    reporterRaisedNewDemand: c.reporterRaisedNewDemand,
    dispatchedToUnitAt: new Date(s.input.dispatchedToUnitAt),
    labels: s.input.labels,
    previousReturns: s.returns.map((r) => ({ ground: r.ground, at: new Date(r.at), unit: r.unitId, reason: r.reason })),
    platformForbidsReturn: s.input.notReturnable,
    lateReturnApproval: s.lateReturnApproval ? { approvedAt: new Date(s.lateReturnApproval.at), by: s.lateReturnApproval.by } : undefined,
    handlingDueAt: date(s.deadlines.dueAt),
  });
}

export function extensionFactsOf(s: TicketState): ExtensionTicketFacts {
  return defined({
    channel: s.input.channel,
    category: s.input.category,
    urgency: s.input.urgency ?? undefined,
    flags: s.flags,
    currentDueAt: new Date(s.deadlines.dueAt ?? s.deadlines.acceptDueAt),
    latestAllowedDueAt: date(s.deadlines.extensionLatestDueAt),
    arrivedAtUnit: new Date(s.input.dispatchedToUnitAt),
  });
}

type ExtensionAsked = Pick<ExtensionRequestCommand, 'requestedDueAt' | 'reason' | 'reporterContactedAt' | 'reporterOpinion' | 'legalBasis'> & {
  reporterConsent: boolean;
  causedByUnit?: boolean;
};

export function extensionRequestOf(c: ExtensionAsked, at: Date): ExtensionRequest {
  return defined({
    requestedAt: at,
    requestedDueAt: new Date(c.requestedDueAt),
    reason: c.reason,
    reporterConsent: c.reporterConsent,
    reporterContactedAt: date(c.reporterContactedAt),
    reporterOpinion: c.reporterOpinion,
    legalBasis: c.legalBasis,
    causedByUnit: c.causedByUnit,
  });
}

/** What the reply check reads besides the reply (第十六条(二)(三), 第十九条(三)). */
export function replyContextOf(s: TicketState): ReplyContext {
  return defined({
    returnReasons: s.returns.map((r) => r.reason),
    handled: s.contacts.length > 0,
    complaintKeywords: s.input.complaintKeywords,
    reporterAnonymous: s.input.reporterAnonymous,
  });
}

/** The facts the supervision (第二十二条) and revisit (第十七条–第十九条) predicates read. */
export function ticketFactsOf(s: TicketState): TicketFacts {
  const events: TicketEvent[] = [
    { type: 'dispatched-to-commission', at: new Date(s.input.dispatchedAt) },
    { type: 'dispatched-to-unit', at: new Date(s.input.dispatchedToUnitAt), unit: s.input.unitId },
  ];
  if (s.acceptedAt) events.push({ type: 'accepted', at: new Date(s.acceptedAt), unit: s.input.unitId });
  for (const r of s.returns) events.push({ type: 'returned', at: new Date(r.at), unit: r.unitId });
  for (const r of s.rounds) if (r.closedAt) events.push({ type: 'closed', at: new Date(r.closedAt) });
  for (const r of s.reopens) events.push({ type: 'reopened', at: new Date(r.at) });
  for (const c of s.cases) events.push({ type: 'supervised', at: new Date(c.openedAt) });
  const closedAt = s.rounds.at(-1)?.closedAt ?? null;
  return defined({
    ticketNo: s.input.ticketNo,
    channel: s.input.channel,
    category: s.input.category,
    urgency: s.input.urgency ?? undefined,
    labels: s.input.labels,
    // The complaint text stays in PostgreSQL: the API found 第二十二条(五) in it at dispatch (flags.managementMisconduct),
    // and people can flag it too.
    content: '',
    reporterAnonymous: s.input.reporterAnonymous,
    flags: s.flags,
    events: events.sort((a, b) => a.at.getTime() - b.at.getTime()),
    contacts: s.contacts.map((c) => ({ at: new Date(c.at), staffName: c.staffName, method: c.method, reached: c.reached, outcome: c.outcome })),
    returns: s.returns.map((r) => ({ ground: r.ground, at: new Date(r.at), unit: r.unitId, reason: r.reason })),
    reply: s.reply && closedAt ? { ...replyDraftOf(s.reply), repliedAt: new Date(closedAt) } : undefined,
    satisfaction: s.ratings.at(-1)?.satisfaction,
    ratings: s.ratings.map((r) => ({ at: new Date(r.recordedAt), satisfaction: r.satisfaction, words: r.words })),
    revisits: s.revisits.map((r) =>
      defined({
        at: new Date(r.at),
        by: r.orderedBy,
        satisfaction: r.satisfaction,
        reporterSaysNotContacted: r.reporterSaysNotContacted,
        reporterSaysNotSolved: r.reporterSaysNotSolved,
        newQuestions: r.newQuestions,
        reason: r.verifiedReason ?? r.note,
      }),
    ),
    // 第二十二条(二): related tickets are reports of the same problem (named by the platform, found by the spec's rule,
    // or linked by 委政务服务处).
    relatedReports: s.related.map((r) => defined({ ticketNo: r.ticketNo, at: new Date(r.dispatchedAt), sameProblem: true, satisfaction: r.satisfaction ?? undefined })),
    deadlines: s.deadlines.dueAt && s.deadlines.nearDeadlineAt ? { handlingDueAt: new Date(s.deadlines.dueAt), nearDeadlineAt: new Date(s.deadlines.nearDeadlineAt) } : undefined,
    closedAt: date(closedAt),
    // 第十七条–第十九条: the unit's statement with its reply, overridden by what each revisit verified.
    assessment: Object.assign({}, s.reply?.assessment ?? {}, ...s.revisits.map((r) => r.assessment)),
  });
}
