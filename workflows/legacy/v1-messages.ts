/**
 * The state and Update definitions of the ticket workflow's first full version (`full-lifecycle` patch), frozen so
 * its histories replay and tickets started on it run on. Update names are the current ones; commands are the current
 * types (a field the first version read and the current API no longer sends is simply absent).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ReturnGround } from '../../rules/types';
import type {
  AcceptCommand,
  AssignCommand,
  ContactCommand,
  ExtensionDecisionCommand,
  ExtensionRequestCommand,
  FlagCommand,
  MediationCommand,
  OpinionCommand,
  RedispatchCommand,
  ReopenCommand,
  ReplyDraftCommand,
  ReplyReviewCommand,
  ReturnCommand,
  RevisitCommand,
  SealedReport,
  SuperviseCommand,
  SupervisionAnswerCommand,
  TicketInput,
  TicketStatus,
  WithdrawCommand,
} from '../messages';

export interface TicketDeadlinesV1 {
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

interface DepartmentTask {
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

interface ExtensionEntry {
  status: 'requested' | 'approved' | 'refused';
  requestedBy: string;
  requestedAt: string;
  requestedDueAt: string;
  reason: string;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}

interface ReturnEntry {
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
export interface TicketStateV1 {
  input: TicketInput;
  status: TicketStatus;
  deadlines: TicketDeadlinesV1;
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

export const getStateQuery = defineQuery<TicketStateV1>('getState');
export const acceptUpdate = defineUpdate<TicketStateV1, [AcceptCommand]>('accept');
export const assignUpdate = defineUpdate<TicketStateV1, [AssignCommand]>('assign');
export const contactUpdate = defineUpdate<TicketStateV1, [ContactCommand]>('recordContact');
export const opinionUpdate = defineUpdate<TicketStateV1, [OpinionCommand]>('submitOpinion');
export const returnUpdate = defineUpdate<TicketStateV1, [ReturnCommand]>('returnTicket');
export const requestExtensionUpdate = defineUpdate<TicketStateV1, [ExtensionRequestCommand]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<TicketStateV1, [ExtensionDecisionCommand]>('decideExtension');
export const flagUpdate = defineUpdate<TicketStateV1, [FlagCommand]>('flag');
export const mediationUpdate = defineUpdate<TicketStateV1, [MediationCommand]>('mediation');
export const draftReplyUpdate = defineUpdate<TicketStateV1, [ReplyDraftCommand]>('draftReply');
export const reviewReplyUpdate = defineUpdate<TicketStateV1, [ReplyReviewCommand]>('reviewReply');
export const redispatchUpdate = defineUpdate<TicketStateV1, [RedispatchCommand]>('redispatch');
export const withdrawUpdate = defineUpdate<TicketStateV1, [WithdrawCommand]>('withdraw');
export const revisitUpdate = defineUpdate<TicketStateV1, [RevisitCommand]>('recordRevisit');
export const reopenUpdate = defineUpdate<TicketStateV1, [ReopenCommand]>('reopen');
export const superviseUpdate = defineUpdate<TicketStateV1, [SuperviseCommand]>('supervise');
export const answerSupervisionUpdate = defineUpdate<TicketStateV1, [SupervisionAnswerCommand]>('answerSupervision');

