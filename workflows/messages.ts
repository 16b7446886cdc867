/**
 * What crosses the boundary of a ticket workflow: its input, its state, and the human decisions it accepts. Shared by
 * the workflow, the API and the tests; importing it pulls no workflow runtime.
 *
 * No reporter identity and no complaint text travel here: they stay in PostgreSQL (TicketIntake / Ticket).
 * Instants are ISO-8601 strings (workflow state is JSON).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Category, Channel, ReturnGround, SpecialLabel, Urgency, Violation } from '../rules/types';

/** The schedule that starts revisitSamplingWorkflow every morning (第十七条 随机抽查回访). */
export const REVISIT_SAMPLING_SCHEDULE = 'revisit-sampling';

/** The Commission's government-service division (委政务服务处): approves extensions, supervises, revisits. */
export const SERVICE_DIVISION = 'service-division';

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
}

export const TICKET_STATUSES = [
  /** waiting for acceptance (第八条(一)) */
  'dispatched',
  /** accepted by the unit's acceptance department, not yet with a handling department (第八条) */
  'accepted',
  /** with one or more handling departments (第八条, 第九条) */
  'assigned',
  /** the reporter was contacted, or contact was attempted (第十一条) */
  'contacted',
  /** a reply waits for review (第十六条 谁办复、谁审核) */
  'reply-drafted',
  /** the reviewed reply is on its way to the platform */
  'reply-approved',
  /** the reviewed reply went to the platform (第十五条) */
  'closed',
  /** returned to the platform (退单, 第八条(三)); waits for the platform to send it again or take it away */
  'returned',
  /** the platform took the returned ticket away from the Commission */
  'withdrawn',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

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
}

export interface SupervisionCase {
  openedAt: string;
  openedBy: string;
  triggers: { rule: string; article: string; reason: string }[];
  escalated: boolean;
  answerDueAt: string | null;
  answer: { report: SealedReport; text: string; by: string; at: string } | null;
}

export interface RevisitEntry {
  at: string;
  by: string;
  orderedBy: 'service-division' | 'unit';
  satisfaction: 'satisfied' | 'basically-satisfied' | 'unsatisfied';
  reporterSaysNotContacted: boolean;
  reporterSaysNotSolved: boolean;
  newQuestions: boolean;
  note: string;
}

/** The full state of a ticket, as returned by the `getState` query. */
export interface TicketState {
  input: TicketInput;
  status: TicketStatus;
  deadlines: TicketDeadlines;
  acceptedAt: string | null;
  acceptedBy: string | null;
  /** 第八条(一): the 3 hours passed before acceptance. Stays set once set. */
  acceptOverdue: boolean;
  /** 第十一条: the handling deadline passed before the reply reached the platform. Stays set once set. */
  handlingOverdue: boolean;
  reminded: boolean;
  departments: DepartmentTask[];
  contacts: ContactEntry[];
  returns: ReturnEntry[];
  extension: ExtensionEntry | null;
  /** 第八条(二): 舆情 / 敏感, and the flags of 第十四条(一). */
  flags: { sensitive: boolean; emergency: boolean; majorPublicOpinion: boolean; majorSafetyHazard: boolean; managementMisconduct: boolean };
  /** 第十二条: an administrative mediation case, with its outcome once recorded. */
  mediation: { markedBy: string; markedAt: string; outcome: string | null } | null;
  reply: ReplyEntry | null;
  closedAt: string | null;
  /** The reply's receipt from the platform. */
  platformReceipt: string | null;
  /** The ticket was closed without reaching the reporter, after recorded failed attempts (第二十八条(一)). */
  closedWithoutContact: boolean;
  revisits: RevisitEntry[];
  /** 第十七条, 第十八条: re-handling rounds; the re-closure needs the sealed report of 第二十一条. */
  reopens: { at: string; by: string; orderedBy: 'service-division' | 'unit'; reasons: string[] }[];
  supervision: SupervisionCase | null;
  notes: { at: string; by: string; text: string }[];
  /** Sequence number of the last audit event written. */
  lastEventSequence: number;
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

/** 退单 (第八条(三)(四), 第十三条). Instants as ISO strings. */
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
  lateJustification?: { text: string; approvedByServiceDivisionAt?: string };
  citesDifficulty?: boolean;
  citesNeedForOtherUnitHelp?: boolean;
  reporterContactedAt?: string;
  officeConsultedAt?: string;
  inspectionConsentAt?: string;
  /** 第八条(四)1–2: the unit's responsibility as recorded. */
  duty?: 'own' | 'partial' | 'not-own' | 'unknown';
  ownPartCompleted?: boolean;
  platformForbidsReturn?: boolean;
  reporterRaisedNewDemand?: boolean;
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
}

/** The platform takes the returned ticket away from the Commission: its process here ends. */
export interface WithdrawCommand {
  by: string;
  note: string;
}

/** 第十七条–第二十条: the result of a revisit. */
export interface RevisitCommand extends Actor {
  orderedBy: 'service-division' | 'unit';
  satisfaction: RevisitEntry['satisfaction'];
  reporterSaysNotContacted?: boolean;
  reporterSaysNotSolved?: boolean;
  newQuestions?: boolean;
  note: string;
}

/** 第十七条, 第十八条: send the closed ticket back for re-handling. */
export interface ReopenCommand extends Actor {
  orderedBy: 'service-division' | 'unit';
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
export const acceptUpdate = defineUpdate<TicketState, [AcceptCommand]>('accept');
export const assignUpdate = defineUpdate<TicketState, [AssignCommand]>('assign');
export const contactUpdate = defineUpdate<TicketState, [ContactCommand]>('recordContact');
export const opinionUpdate = defineUpdate<TicketState, [OpinionCommand]>('submitOpinion');
export const returnUpdate = defineUpdate<TicketState, [ReturnCommand]>('returnTicket');
export const requestExtensionUpdate = defineUpdate<TicketState, [ExtensionRequestCommand]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<TicketState, [ExtensionDecisionCommand]>('decideExtension');
export const flagUpdate = defineUpdate<TicketState, [FlagCommand]>('flag');
export const mediationUpdate = defineUpdate<TicketState, [MediationCommand]>('mediation');
export const draftReplyUpdate = defineUpdate<TicketState, [ReplyDraftCommand]>('draftReply');
export const reviewReplyUpdate = defineUpdate<TicketState, [ReplyReviewCommand]>('reviewReply');
export const redispatchUpdate = defineUpdate<TicketState, [RedispatchCommand]>('redispatch');
export const withdrawUpdate = defineUpdate<TicketState, [WithdrawCommand]>('withdraw');
export const revisitUpdate = defineUpdate<TicketState, [RevisitCommand]>('recordRevisit');
export const reopenUpdate = defineUpdate<TicketState, [ReopenCommand]>('reopen');
export const superviseUpdate = defineUpdate<TicketState, [SuperviseCommand]>('supervise');
export const answerSupervisionUpdate = defineUpdate<TicketState, [SupervisionAnswerCommand]>('answerSupervision');
/** A note on the ticket (fire-and-forget). */
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
