/**
 * What crosses the boundary of a ticket workflow: its input, its state, and the human decisions it accepts. Shared by
 * the workflow, the API and the tests; importing it pulls no workflow runtime.
 *
 * No reporter identity and no complaint text travel here: they stay in PostgreSQL (TicketIntake / Ticket).
 * Instants are ISO-8601 strings (workflow state is JSON).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Category, Channel, ReturnGround, SpecialLabel, Urgency, Violation } from '../rules/types';

import type { OrderedBy, RecipientRole, SupervisionCaseStatus, TicketStatus } from '../rules/lifecycle';
import type { PartStatus } from '../rules/parts';
import type { Finding } from '../rules/types';
import type { Parameters } from '../rules/parameters';

export { SERVICE_DIVISION_UNIT, TICKET_STATUSES } from '../rules/lifecycle';
export type { OrderedBy, RecipientRole, TicketStatus } from '../rules/lifecycle';

/** The schedule that starts revisitSamplingWorkflow every morning (第十七条 随机抽查回访). */
export const REVISIT_SAMPLING_SCHEDULE = 'revisit-sampling';

/** Input of `ticketWorkflow`: the dispatch, without personal data. */
export interface TicketInput {
  ticketNo: string;
  channel: Channel;
  category: Category;
  urgency: Urgency | null;
  labels: SpecialLabel[];
  unitId: string;
  /** 第十一条(四): when the platform dispatched the ticket to the Commission. */
  dispatchedAt: string;
  /** 第八条(一): when the ticket reached the handling unit. */
  dispatchedToUnitAt: string;
  reporterAnonymous: boolean;
  /** 第八条(四)3: the platform marks the ticket not returnable (it states this fact, never the unit). */
  notReturnable?: boolean;
  /**
   * 第十六条(二) 文不对题: topical keywords of the complaint, computed by the API from the intake without personal data
   * (rules/reply.ts complaintKeywords), so the off-topic check runs in the workflow without the complaint's text.
   */
  complaintKeywords?: string[];
  /** The deadlines the API planned at intake (the same planner the worker uses), so the state has them from the start. */
  deadlines?: TicketDeadlines;
  /** Continue-as-new past this many history events even before the server suggests it (default 10,000). */
  historyEventsLimit?: number;
  /**
   * 第二十二条(二): the tickets related to this one when it was dispatched (named by the platform or found by the spec's
   * rule), with their ratings; no reporter data. Later links come with `relatedUpdate`.
   */
  relatedReports?: RelatedTicket[];
  /**
   * 第二十二条(五): the complaint reports the management department's own arbitrary fees, fines or unlawful enforcement,
   * as the API found it in the text at dispatch (rules/supervision.ts isManagementMisconduct); the text stays out.
   */
  managementMisconductReported?: boolean;
  /** 第九条、第二十八条(六): co-handling units the platform's dispatch names, with the demands each owns. */
  parts?: { unitId: string; demands: string[] }[];
}

/**
 * A co-handling unit's part of a ticket (协办, 第九条, 第二十八条(六)): the demands it owns, its own acceptance (第八条(一)),
 * contacts, and the result it submits to the lead unit. Due `partDueAt` (spec decision), reminded before, late after.
 */
export interface Part {
  unitId: string;
  demands: string[];
  /** Who made it a part: the platform's dispatch, 委政务服务处, or the lead unit's approved request for help. */
  source: 'platform' | 'service-division' | 'help-request';
  status: PartStatus;
  dispatchedAt: string;
  acceptDueAt: string;
  acceptedAt: string | null;
  acceptedBy: string | null;
  acceptOverdue: boolean;
  contacts: ContactEntry[];
  result: { text: string; by: string; at: string } | null;
  reminded: boolean;
  late: boolean;
  dispute: { reason: string; by: string; at: string } | null;
}

/** 第八条(四)1: the lead unit's request for another unit's help, and 委政务服务处's decision. */
export interface HelpRequest {
  unitId: string;
  demands: string[];
  reason: string;
  by: string;
  at: string;
  decision: { approved: boolean; by: string; at: string; note: string } | null;
}

/** A ticket related to this one (第二十二条(二)), as the workflow sees it: no reporter data. */
export interface RelatedTicket {
  ticketNo: string;
  /** When it was dispatched to the Commission. */
  dispatchedAt: string;
  /** `platform`, `rule` (same reporter, unit and category within the window) or `manual` (委政务服务处). */
  source: 'platform' | 'rule' | 'manual';
  /** Its platform rating, when rated. */
  satisfaction: Satisfaction | null;
}

/** The platform's satisfaction rating of a closed ticket (spec decision "satisfaction"). */
export type Satisfaction = 'satisfied' | 'basically-satisfied' | 'unsatisfied';

/**
 * The verified judgement on how a ticket was handled (rules/facts.ts HandlingAssessment): stated by the unit with its
 * reply, verified by the revisitor (第二十条); the revisitor's finding wins.
 */
export interface Assessment {
  dissatisfiedWithPolicy?: boolean;
  policyExplained?: boolean;
  demandUnreasonable?: boolean;
  dutyInsufficient?: boolean;
  reporterAskedAuthority?: boolean;
  answeredByCompany?: boolean;
}

export interface TicketDeadlines {
  /** 第八条(一). */
  acceptDueAt: string;
  /** 第八条(三)1. */
  returnWindowEndsAt: string | null;
  /** 第十一条 (moved by an approved extension, 第十四条, or set anew by a reopen, 第十七条). */
  dueAt: string | null;
  /** spec decision (第十一条): the reminder. */
  remindAt: string | null;
  /** spec decision (第二十二条(一)): "临近超时". */
  nearDeadlineAt: string | null;
  /** spec decision (第十四条): the latest date an extension may ask for. */
  extensionLatestDueAt: string | null;
  /** spec decision (第九条, 第二十八条(六)): when the co-handling units' parts are due, and their reminder. */
  partDueAt?: string | null;
  partRemindAt?: string | null;
  /**
   * 第十一条(四), spec decision "working days": when the handling clock started running — the dispatch itself on a
   * working day, else 00:00 of the next working day.
   */
  clockStartedAt?: string | null;
  /** Some day of the clock has no published holiday arrangement yet. */
  provisional: boolean;
  /** The limit that applies, e.g. `12345热线（含12328电话）投诉类：5个工作日`, and its article. */
  sla: { description: string; article: string } | null;
}

export interface ContactEntry {
  at: string;
  by: string;
  staffName: string;
  method: 'phone' | 'in-person' | 'sms' | 'other';
  reached: boolean;
  outcome: string;
  /** Reference to the call recording kept for inspection (第十六条 留存通话记录备查). */
  recordingRef: string | null;
}

export interface DepartmentTask {
  departmentId: string;
  /** The consolidated reply is drafted once every department's opinion is in (第九条). */
  opinion: string | null;
  by: string | null;
  at: string | null;
}

export interface ReplyEntry {
  text: string;
  contactedAt: string | null;
  staffName: string | null;
  staffPhone: string | null;
  process: string | null;
  result: string | null;
  reporterFeedback: string | null;
  draftedBy: string;
  draftedAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  /** 第二十一条: the re-closure's report bearing the unit's official seal. */
  sealedReport: SealedReport | null;
  /** 第二十一条: the answer to each item of the reopen. */
  itemAnswers: string[];
  /** 第十九条: the unit's statement of the handling. */
  assessment: Assessment | null;
}

/** A report bearing the unit's official seal (加盖单位公章): 第二十一条, 第二十三条. */
export interface SealedReport {
  documentRef: string;
  sealed: boolean;
  submittedTo: string;
}

export interface ExtensionEntry {
  status: 'requested' | 'approved' | 'refused';
  requestedBy: string;
  requestedAt: string;
  requestedDueAt: string;
  reason: string;
  /** 第十四条: when the unit contacted the reporter about it. */
  reporterContactedAt: string;
  reporterOpinion: string;
  causedByUnit: boolean;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}

export interface ReturnEntry {
  ground: ReturnGround;
  at: string;
  by: string;
  unitId: string;
  reason: string;
  /** The status the ticket was returned from: a return the platform refuses goes back to it (第八条(三)). */
  statusBefore?: TicketStatus;
  /** The platform refused this return, with its reason. */
  refused?: { at: string; reason: string } | null;
}

/** A 第二十二条 trigger and the evidence behind it. */
export interface SupervisionTrigger {
  rule: string;
  article: string;
  reason: string;
  /** What in the record shows it (related tickets, the rating's words, the returns, the deadline …). */
  evidence?: Record<string, unknown>;
}

/**
 * A supervision case as the ticket sees it (第二十二条–第二十三条). Each case runs as its own child workflow
 * (workflows/supervision-case.ts, id = `id`), which owns its deadline, reminder, late mark, answer and approval and
 * reports each change back to the ticket with `caseEventSignal`.
 */
export interface CaseRef {
  id: string;
  openedAt: string;
  openedBy: string;
  triggers: SupervisionTrigger[];
  /** 第二十二条(五) 提级办理. */
  escalated: boolean;
  status: SupervisionCaseStatus;
  /** Its child workflow was started. */
  started: boolean;
  answerDueAt: string | null;
  /** The answer was not in by its due date. Stays set once set. */
  late: boolean;
}

/** Input of `supervisionCaseWorkflow`. */
export interface SupervisionCaseInput {
  caseId: string;
  ticketNo: string;
  unitId: string;
  triggers: SupervisionTrigger[];
  escalated: boolean;
  openedBy: string;
  openedAt: string;
}

/** A supervision case's own state (the `getCase` query of its workflow). */
export interface SupervisionCaseState extends SupervisionCaseInput {
  status: SupervisionCaseStatus;
  answerDueAt: string | null;
  remindAt: string | null;
  reminded: boolean;
  late: boolean;
  answer: { report: SealedReport; text: string; by: string; at: string } | null;
  /** spec decision (第二十二条(五)): 委政务服务处's decision on an escalated case's answer. */
  approval: { approved: boolean; by: string; at: string; note: string } | null;
}

/** What a case tells its ticket: an audit event to record, and the case's fields as they now are. */
export interface CaseEvent {
  caseId: string;
  type: string;
  actor: string;
  payload: Record<string, unknown>;
  notify: { kind: string; to: RecipientRole; payload?: Record<string, unknown> }[];
  status: SupervisionCaseStatus;
  late: boolean;
  answerDueAt: string | null;
}

/** spec decision (第二十二条(五)): 委政务服务处 approves an escalated case's answer, or sends it back. */
export interface SupervisionApprovalCommand extends Actor {
  approved: boolean;
  note: string;
}

export interface RevisitEntry {
  at: string;
  by: string;
  orderedBy: OrderedBy;
  satisfaction: 'satisfied' | 'basically-satisfied' | 'unsatisfied';
  reporterSaysNotContacted: boolean;
  reporterSaysNotSolved: boolean;
  newQuestions: boolean;
  note: string;
  /** 第二十条. */
  verifiedReason: string | null;
  otherQuestions: string[];
  answeredDirectly: string[];
  dispatchedToUnit: string[];
  assessment: Assessment;
  /** 第十七条、第十八条: the reopen the system proposes after this revisit, and the revisitor's decision on it. */
  suggestion: Finding[];
  suggestionDecision: { confirmed: boolean; by: string; at: string; note: string } | null;
}

/** A platform rating of the closed ticket (spec decision "satisfaction"). */
export interface RatingEntry {
  ratingId: string;
  satisfaction: Satisfaction;
  words: string;
  ratedAt: string;
  recordedAt: string;
}

/**
 * One handling round (第十一条): the dispatch, then one per reopen (第十七条, spec decision "re-handling deadline"). Each
 * round's deadline, closing time, overdue mark and extension stay on record, so a reopen erases nothing statistics count.
 */
export interface HandlingRound {
  /** The clock's start: the dispatch to the Commission (第十一条(四)) or the reopen. */
  startedAt: string;
  orderedBy: 'platform' | OrderedBy;
  /** Items to re-handle (第二十一条); empty for the first round. */
  items: string[];
  /** 第十八条: re-handled by the management department itself, not passed to a company. */
  toManagementDepartment?: boolean;
  dueAt: string | null;
  /** spec decision (第十一条): the reminder went out. */
  reminded: boolean;
  /** spec decision (第二十二条(一)): the near-deadline point passed. */
  nearDeadlinePassed: boolean;
  /** 第十一条: the deadline passed before the reply reached the platform. Stays set once set. */
  overdue: boolean;
  /** 第十四条: this round's extension, if any. A redispatch to another unit drops it. */
  extension: ExtensionEntry | null;
  closedAt: string | null;
}

/** A failure no retry can cure, recorded on the ticket instead of retried for ever (e.g. a row the database refuses). */
export interface TicketProblem {
  at: string;
  activity: string;
  message: string;
}

/** The full state of a ticket, as returned by the `getState` query. */
export interface TicketState {
  input: TicketInput;
  /** The regulation's parameters in force when the ticket started (RULE_PARAMETERS), recorded so replay is stable. */
  params: Parameters | null;
  status: TicketStatus;
  /** The current round's deadlines (planned by an activity: the calendar changes). */
  deadlines: TicketDeadlines;
  /** What the deadlines were planned for (see `planRequestOf`); a change of it asks for a new plan. */
  plannedFor: string | null;
  /** Years of a calendar load not yet applied to the deadlines. */
  calendarYears: number[] | null;
  acceptedAt: string | null;
  acceptedBy: string | null;
  /** 第八条(一): the acceptance limit passed before acceptance. Stays set once set (per dispatch to a unit). */
  acceptOverdue: boolean;
  /** 第八条(三)1: the return window closed (noted once per dispatch to a unit). */
  returnWindowClosed: boolean;
  /** spec decision (第八条(三)1): 委政务服务处 approved a late not-our-duty return. */
  lateReturnApproval: { by: string; at: string; note: string } | null;
  departments: DepartmentTask[];
  contacts: ContactEntry[];
  returns: ReturnEntry[];
  /** 第八条(二): 舆情 / 敏感, and the flags of 第十四条(一). */
  flags: { sensitive: boolean; emergency: boolean; majorPublicOpinion: boolean; majorSafetyHazard: boolean; managementMisconduct: boolean };
  /** 第十二条: an administrative mediation case, with its outcome once recorded. */
  mediation: { markedBy: string; markedAt: string; outcome: string | null } | null;
  reply: ReplyEntry | null;
  /** The reply's receipt from the platform. */
  platformReceipt: string | null;
  /** The ticket was closed without reaching the reporter, after recorded failed attempts (第二十八条(一)). */
  closedWithoutContact: boolean;
  rounds: HandlingRound[];
  revisits: RevisitEntry[];
  /** 第十七条, 第十八条: re-handling rounds; the re-closure carries the report of 第二十一条. */
  reopens: { at: string; by: string; orderedBy: OrderedBy; reasons: string[] }[];
  /** Until when a closed ticket can be revisited and reopened (spec decision); null while open. */
  revisitWindowEndsAt: string | null;
  revisitWindowClosed: boolean;
  /** 第二十二条: the supervision cases, each its own child workflow; at most one open at a time. */
  cases: CaseRef[];
  /** spec decision "satisfaction": the platform's ratings, newest last. */
  ratings: RatingEntry[];
  /** 第二十二条(二): the related tickets as last known. */
  related: RelatedTicket[];
  /** 第九条、第二十八条(六): the co-handling units' parts, and the lead unit's requests for help (第八条(四)1). */
  parts: Part[];
  helpRequests: HelpRequest[];
  problems: TicketProblem[];
  /** Sequence number of the last audit event. */
  lastEventSequence: number;
}

/** What a decision answers: what the caller uses, not the whole state (history keeps every result). */
export interface DecisionResult {
  status: TicketStatus;
  deadlines: TicketDeadlines;
  sequence: number;
}

/** Who decides: the user and the unit they act for. */
export interface Actor {
  by: string;
  unitId: string;
}

/** 接单: the handling unit accepts the ticket (第八条(一)). */
export interface AcceptCommand {
  /** The unit accepting; must be the unit the ticket was dispatched to. */
  unitId: string;
  /** The staff member who accepts, as known to the unit (user id). */
  acceptedBy: string;
}

/** 派发至办理部门 (第八条); several departments make a co-handled ticket with one consolidated reply (第九条). */
export interface AssignCommand extends Actor {
  departmentIds: string[];
}

/** 第十一条: one contact or contact attempt with the reporter. */
export interface ContactCommand extends Actor {
  at: string;
  staffName: string;
  method: ContactEntry['method'];
  reached: boolean;
  outcome: string;
  recordingRef?: string;
}

/** 第九条: one department's opinion on a co-handled ticket. */
export interface OpinionCommand extends Actor {
  departmentId: string;
  opinion: string;
}

/**
 * 退单 (第八条(三)(四), 第十三条). Instants as ISO strings. What the platform decides (not returnable, 第八条(四)3) and
 * what 委政务服务处 decides (a late return's approval) are not the unit's to state: they come from the ticket's record.
 */
export interface ReturnCommand extends Actor {
  ground: ReturnGround;
  evidence: {
    reasons?: string;
    basis?: string;
    proposedTransferee?: string;
    itemsToVerify?: string[];
    previousTickets?: { ticketNo: string; result: string }[];
    knowledgeBaseEntry?: { id: string; title?: string };
    documentNumbers?: string[];
  };
  /** 第八条(三)1: the written justification of a late not-our-duty return (approved beforehand by 委政务服务处). */
  lateJustification?: { text: string };
  citesDifficulty?: boolean;
  citesNeedForOtherUnitHelp?: boolean;
  reporterContactedAt?: string;
  officeConsultedAt?: string;
  inspectionConsentAt?: string;
  /** 第八条(四)1–2: the unit's responsibility as recorded. */
  duty?: 'own' | 'partial' | 'not-own' | 'unknown';
  ownPartCompleted?: boolean;
  reporterRaisedNewDemand?: boolean;
}

/** spec decision (第八条(三)1): 委政务服务处 approves a late not-our-duty return. */
export interface LateReturnApprovalCommand extends Actor {
  note: string;
}

/** 延期申请 (第十四条). */
export interface ExtensionRequestCommand extends Actor {
  requestedDueAt: string;
  reason: string;
  reporterConsent: boolean;
  reporterContactedAt: string;
  reporterOpinion: string;
  legalBasis?: string;
  causedByUnit?: boolean;
}

/** 委政务服务处 approves or refuses a pending extension (spec decision, 第十四条). */
export interface ExtensionDecisionCommand extends Actor {
  approved: boolean;
  note: string;
}

/** 第八条(二): flag a ticket of wide impact / possible negative public opinion. */
export interface FlagCommand extends Actor {
  sensitive?: boolean;
  emergency?: boolean;
  majorPublicOpinion?: boolean;
  majorSafetyHazard?: boolean;
  /** 第二十二条(五): a report of the management department's own misconduct. */
  managementMisconduct?: boolean;
  note: string;
}

/** 第十二条: mark as an administrative mediation case, or record its outcome. */
export interface MediationCommand extends Actor {
  outcome?: string;
}

/** 第十六条: a handler drafts the reply. */
export interface ReplyDraftCommand extends Actor {
  text: string;
  contactedAt?: string;
  staffName?: string;
  staffPhone?: string;
  process?: string;
  result?: string;
  reporterFeedback?: string;
  /** 第二十一条: required when closing again after a reopen. */
  sealedReport?: SealedReport;
  /** 第二十一条: after a reopen, the answer to each item to re-handle, in the order of the reopen's items. */
  itemAnswers?: string[];
  /** 第十九条: the unit's statement of the handling (policy explained, demand unreasonable …), verified at revisit. */
  assessment?: Assessment;
}

/** 第十六条: a reviewer of the same unit, not the author, approves (then the reply goes to the platform) or rejects. */
export interface ReplyReviewCommand extends Actor {
  approved: boolean;
  note?: string;
}

/** The platform sends a returned ticket again (after re-verification, or to another unit): a new acceptance round. */
export interface RedispatchCommand {
  by: string;
  unitId: string;
  dispatchedToUnitAt: string;
  note: string;
  /** 第八条(四)3: the platform marks the ticket not returnable. */
  notReturnable?: boolean;
}

/** The platform takes the returned ticket away from the Commission: its process here ends. */
export interface WithdrawCommand {
  by: string;
  note: string;
}

/** 第十七条–第二十条: the result of a revisit. */
export interface RevisitCommand extends Actor {
  orderedBy: OrderedBy;
  satisfaction: RevisitEntry['satisfaction'];
  reporterSaysNotContacted?: boolean;
  reporterSaysNotSolved?: boolean;
  newQuestions?: boolean;
  note: string;
  /** 第二十条: for an unsatisfied ticket, the reason as verified with the reporter. */
  verifiedReason?: string;
  /** 第二十条: the reporter's other questions, and which were answered directly or dispatched to the unit. */
  otherQuestions?: string[];
  answeredDirectly?: string[];
  dispatchedToUnit?: string[];
  /** 第十七条–第十九条: what the revisit verified about the handling. */
  assessment?: Assessment;
}

/** 第十七条、第十八条: the revisitor confirms or dismisses the reopen the system proposed after the latest revisit. */
export interface ReopenSuggestionDecisionCommand extends Actor {
  confirmed: boolean;
  note: string;
}

/** The platform's rating of a closed ticket (spec decision "satisfaction"); idempotent on `ratingId`. */
export interface RatingCommand {
  by: string;
  ratingId: string;
  satisfaction: Satisfaction;
  /** The reporter's words, as the platform recorded them. */
  words: string;
  ratedAt: string;
}

/** The platform refused a return (第八条(三)): the ticket goes back to the unit with the reason, deadline unchanged. */
export interface ReturnRefusedCommand {
  by: string;
  reason: string;
}

/** 催办 by 委政务服务处 (第二十二条(一)): recorded, notifies the unit, counts as the reminder. */
export interface UrgeCommand extends Actor {
  note: string;
}

/** 委政务服务处 links or unlinks a related ticket by hand (第二十二条(二)); the API sends the list as it now is. */
export interface RelatedUpdateCommand {
  by: string;
  related: RelatedTicket[];
}

/** 第十七条, 第十八条: send the closed ticket back for re-handling. */
export interface ReopenCommand extends Actor {
  orderedBy: OrderedBy;
  reasons: string[];
}

/** 第二十二条: 委政务服务处 opens a supervision case (triggers (五)/(六) by hand; (一) opens itself at the deadline). */
export interface SuperviseCommand extends Actor {
  trigger: 'management-misconduct' | 'other';
  note: string;
}

/** 第二十三条: the unit's sealed report on a supervised ticket. */
export interface SupervisionAnswerCommand extends Actor {
  report: SealedReport;
  text: string;
}

export const getStateQuery = defineQuery<TicketState>('getState');
export const acceptUpdate = defineUpdate<DecisionResult, [AcceptCommand]>('accept');
export const assignUpdate = defineUpdate<DecisionResult, [AssignCommand]>('assign');
export const contactUpdate = defineUpdate<DecisionResult, [ContactCommand]>('recordContact');
export const opinionUpdate = defineUpdate<DecisionResult, [OpinionCommand]>('submitOpinion');
export const returnUpdate = defineUpdate<DecisionResult, [ReturnCommand]>('returnTicket');
export const approveLateReturnUpdate = defineUpdate<DecisionResult, [LateReturnApprovalCommand]>('approveLateReturn');
export const requestExtensionUpdate = defineUpdate<DecisionResult, [ExtensionRequestCommand]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<DecisionResult, [ExtensionDecisionCommand]>('decideExtension');
export const flagUpdate = defineUpdate<DecisionResult, [FlagCommand]>('flag');
export const mediationUpdate = defineUpdate<DecisionResult, [MediationCommand]>('mediation');
export const draftReplyUpdate = defineUpdate<DecisionResult, [ReplyDraftCommand]>('draftReply');
export const reviewReplyUpdate = defineUpdate<DecisionResult, [ReplyReviewCommand]>('reviewReply');
export const redispatchUpdate = defineUpdate<DecisionResult, [RedispatchCommand]>('redispatch');
export const withdrawUpdate = defineUpdate<DecisionResult, [WithdrawCommand]>('withdraw');
export const revisitUpdate = defineUpdate<DecisionResult, [RevisitCommand]>('recordRevisit');
export const reopenUpdate = defineUpdate<DecisionResult, [ReopenCommand]>('reopen');
export const superviseUpdate = defineUpdate<DecisionResult, [SuperviseCommand]>('supervise');
export const decideReopenSuggestionUpdate = defineUpdate<DecisionResult, [ReopenSuggestionDecisionCommand]>('decideReopenSuggestion');
export const ratingUpdate = defineUpdate<DecisionResult, [RatingCommand]>('recordRating');
export const returnRefusedUpdate = defineUpdate<DecisionResult, [ReturnRefusedCommand]>('refuseReturn');
export const urgeUpdate = defineUpdate<DecisionResult, [UrgeCommand]>('urge');
export const relatedUpdate = defineUpdate<DecisionResult, [RelatedUpdateCommand]>('updateRelated');
/** 第二十八条(六): 委政务服务处 adds a co-handling unit with the demands it owns. */
export interface AddPartCommand extends Actor {
  partUnitId: string;
  demands: string[];
}
/** 第八条(四)1: the lead unit asks for another unit's help. */
export interface HelpRequestCommand extends Actor {
  partUnitId: string;
  demands: string[];
  reason: string;
}
/** 第八条(四)1: 委政务服务处 decides the request for help. */
export interface HelpDecisionCommand extends Actor {
  approved: boolean;
  note: string;
}
/** A co-handling unit's step on its part: `unitId` is its own unit. */
export interface PartAcceptCommand {
  unitId: string;
  acceptedBy: string;
}
export interface PartResultCommand extends Actor {
  result: string;
}
export interface PartDisputeCommand extends Actor {
  reason: string;
}
/** 第八条(四)1: 委政务服务处 moves a disputed part to another unit (`toUnitId`), or keeps it where it is. */
export interface PartReassignCommand extends Actor {
  fromUnitId: string;
  toUnitId?: string;
  note: string;
}
export const addPartUpdate = defineUpdate<DecisionResult, [AddPartCommand]>('addPart');
export const helpRequestUpdate = defineUpdate<DecisionResult, [HelpRequestCommand]>('requestHelp');
export const helpDecisionUpdate = defineUpdate<DecisionResult, [HelpDecisionCommand]>('decideHelp');
export const partAcceptUpdate = defineUpdate<DecisionResult, [PartAcceptCommand]>('acceptPart');
export const partContactUpdate = defineUpdate<DecisionResult, [ContactCommand]>('recordPartContact');
export const partResultUpdate = defineUpdate<DecisionResult, [PartResultCommand]>('submitPart');
export const partDisputeUpdate = defineUpdate<DecisionResult, [PartDisputeCommand]>('disputePart');
export const partReassignUpdate = defineUpdate<DecisionResult, [PartReassignCommand]>('reassignPart');

/** A supervision case reports a change to its ticket. */
export const caseEventSignal = defineSignal<[CaseEvent]>('supervisionCaseEvent');
/** The case's own state. */
export const caseQuery = defineQuery<SupervisionCaseState>('getCase');
/** What a case's decisions answer. */
export interface CaseResult {
  status: SupervisionCaseStatus;
  answerDueAt: string | null;
}
/** 第二十三条: the unit's sealed report, sent to the case's workflow. */
export const caseAnswerUpdate = defineUpdate<CaseResult, [SupervisionAnswerCommand]>('answerSupervision');
/** spec decision (第二十二条(五)): 委政务服务处's approval of an escalated case, sent to the case's workflow. */
export const caseApprovalUpdate = defineUpdate<CaseResult, [SupervisionApprovalCommand]>('approveSupervision');
/** A note on the ticket: histories of the first versions carry them; notes now go to the audit trail directly. */
export const noteSignal = defineSignal<[{ by: string; text: string }]>('addNote');
/** A calendar year was loaded or corrected: recompute the open deadlines (spec decision "calendar years"). */
export const calendarChangedSignal = defineSignal<[{ years: number[] }]>('calendarChanged');

/**
 * ApplicationFailure types a refused decision carries, with its violations as the failure's details[0]:
 * `RuleViolation` (the regulation forbids it) and `StateConflict` (not possible in the ticket's current state).
 */
export const RULE_VIOLATION = 'RuleViolation';
export const STATE_CONFLICT = 'StateConflict';
export type RefusalDetails = { violations: Violation[] };
