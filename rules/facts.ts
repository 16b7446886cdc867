/**
 * Ticket facts: the plain-data view of a ticket and its history that the revisit (第十七条–第十九条), supervision
 * (第二十二条) and appeal (第二十七条–第二十八条) predicates read. The workflow maps its state onto this shape; every
 * predicate takes only the `Pick` of it that it needs. Instants are `Date`s; nothing here is computed.
 */
import type { SensitivityFlags } from './extensions';
import type { ReplyDraft } from './reply';
import type { ReturnRecord } from './returns';
import type { Category, Channel, SpecialLabel, Urgency } from './types';

/** The reporter's rating of a closed ticket (platform evaluation or revisit). */
export type Satisfaction = 'satisfied' | 'basically-satisfied' | 'unsatisfied';

/** What happened to a ticket, in the order it happened. */
export type TicketEventType =
  /** 第十一条(四): the platform dispatched the ticket to the Commission. */
  | 'dispatched-to-commission'
  /** 第八条: the ticket was dispatched (or re-dispatched) to a handling unit (`unit`). */
  | 'dispatched-to-unit'
  /** 第八条(一): a unit accepted the ticket (`unit`). */
  | 'accepted'
  /** 第八条(三): a unit returned the ticket (`unit`). */
  | 'returned'
  /** spec decision (第十一条): the unit was reminded of the approaching deadline. */
  | 'reminded'
  /** 第十四条: the deadline was extended. */
  | 'extended'
  /** 第十一条(四): the reply reached the platform. */
  | 'replied'
  /** 第十五条: the ticket was closed. */
  | 'closed'
  /** 第十七条, 第十八条, 第二十条: sent back for re-handling. */
  | 'reopened'
  /** 第二十二条: put under supervision. */
  | 'supervised';

/** One entry of a ticket's history. */
export interface TicketEvent {
  type: TicketEventType;
  at: Date;
  /** The handling unit concerned (dispatch, accept, return). */
  unit?: string;
  note?: string;
}

/** 第十一条 "第一时间与群众取得联系": one contact attempt with the reporter (the call recording is kept by reference). */
export interface ContactRecord {
  at: Date;
  staffName?: string;
  method?: 'phone' | 'in-person' | 'sms' | 'other';
  /** The reporter was actually reached. */
  reached: boolean;
  outcome?: string;
}

/** 第十七条–第二十条: one revisit (回访) of the closed ticket. */
export interface RevisitRecord {
  at: Date;
  /** 委政务服务处 or the unit's own acceptance department (第十七条). */
  by: 'service-division' | 'unit';
  satisfaction: Satisfaction;
  /** 第二十二条(三): the reporter says nobody contacted them. */
  reporterSaysNotContacted?: boolean;
  /** 第二十二条(三): the reporter says the problem is not solved. */
  reporterSaysNotSolved?: boolean;
  /** 第十七条: the reporter raised new questions. */
  newQuestions?: boolean;
  /** 第二十条: the reason of the dissatisfaction as verified, in words. */
  reason?: string;
}

/** 第二十二条(二), 第二十八条(三): another ticket of the same reporter or on the same matter. */
export interface RelatedReport {
  ticketNo: string;
  /** When it was dispatched to the Commission. */
  at: Date;
  /** It is about the same problem as this ticket. */
  sameProblem: boolean;
  /** Its rating, when rated. */
  satisfaction?: Satisfaction;
}

/** Flags recorded on a ticket by people (the system does not infer them). */
export interface TicketFlags extends SensitivityFlags {
  /** 第二十二条(五): a report about the management department's own arbitrary fees / fines / unlawful enforcement. */
  managementMisconduct?: boolean;
  /** 第二十二条(六): put under supervision by 委政务服务处 for another reason. */
  manualSupervision?: boolean;
}

/** The verified judgement on how a ticket was handled (recorded by the unit, checked by 委政务服务处). */
export interface HandlingAssessment {
  /** 第十九条(一): the dissatisfaction is with the policy itself. */
  dissatisfiedWithPolicy?: boolean;
  /** 第十九条(一): the unit patiently and carefully explained the policy. */
  policyExplained?: boolean;
  /** 第十九条(二), 第二十七条: the reporter's demand is unreasonable. */
  demandUnreasonable?: boolean;
  /** 第二十七条: the unit fully did its duty (解决 / 解释). */
  dutyFulfilled?: boolean;
  /** 第十七条: the unit's performance of duty was found insufficient (履职不到位). */
  dutyInsufficient?: boolean;
  /** 第二十八条(二): the demand is about staff attitude. */
  aboutStaffAttitude?: boolean;
  /** 第二十八条(三): solved for now, then the problem came back (回潮). */
  recurred?: boolean;
  /** 第二十八条(四): handling was complete when the ticket was closed. */
  completeAtClosure?: boolean;
  /** 第二十八条(四): when the handling was completed, if after closure. */
  completedAt?: Date;
  /** 第二十八条(五): the reply told the reporter to go to court / use legal channels. */
  advisedLegalRoute?: boolean;
  /** 第二十八条(五)(六): the unit coordinated with the other units concerned. */
  coordinated?: boolean;
  /** 第二十八条(六): number of the reporter's demands that are within the Commission's duty. */
  demandsWithinCommission?: number;
  /** 第二十八条(六): all those demands were handled before closing. */
  allDemandsHandled?: boolean;
  /** 第二十八条(七): within the appeal scope of the hotline centre's rules; `false` when outside. */
  inAppealScope?: boolean;
  /** 第十八条: the reporter asked the management department itself to investigate. */
  reporterAskedAuthority?: boolean;
  /** 第十八条: the unit passed the ticket to a company to answer. */
  answeredByCompany?: boolean;
}

/** Everything the revisit, supervision and appeal rules read about a ticket. */
export interface TicketFacts {
  ticketNo: string;
  channel: Channel;
  category: Category;
  urgency?: Urgency;
  labels: readonly SpecialLabel[];
  /** Free-text tags the platform attached (e.g. 乱收费). */
  platformTags?: readonly string[];
  /** The complaint as recorded by the platform. */
  content: string;
  /** 第十九条(三). */
  reporterAnonymous: boolean;
  flags: TicketFlags;
  events: readonly TicketEvent[];
  contacts: readonly ContactRecord[];
  returns: readonly ReturnRecord[];
  /** The reply sent to the platform, if any. */
  reply?: ReplyDraft & { repliedAt: Date };
  /** The platform's rating of the closed ticket. */
  satisfaction?: Satisfaction;
  /** The platform's ratings with the reporter's words (第二十二条(三), spec decision "satisfaction"). */
  ratings?: readonly { at: Date; satisfaction: Satisfaction; words: string }[];
  revisits: readonly RevisitRecord[];
  relatedReports: readonly RelatedReport[];
  /** From `ticketDeadlines`. */
  deadlines?: { handlingDueAt: Date; nearDeadlineAt: Date };
  closedAt?: Date;
  assessment: HandlingAssessment;
}
