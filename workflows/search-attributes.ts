/**
 * Custom search attributes of ticket workflows, kept current on every change so operators can filter in the Temporal
 * UI, e.g. `TicketStatus="dispatched" AND AcceptDueAt < "2026-10-09T08:00:00Z"`.
 */
import { defineSearchAttributeKey } from '@temporalio/common';

export const TicketStatus = defineSearchAttributeKey('TicketStatus', 'KEYWORD');
export const HandlingUnit = defineSearchAttributeKey('HandlingUnit', 'KEYWORD');
/** 第九条、第二十八条(六): the lead unit and every co-handling unit. */
export const InvolvedUnits = defineSearchAttributeKey('InvolvedUnits', 'KEYWORD_LIST');
export const Channel = defineSearchAttributeKey('Channel', 'KEYWORD');
export const Category = defineSearchAttributeKey('Category', 'KEYWORD');
/** 第八条(一): when the 3-hour acceptance limit ends. */
export const AcceptDueAt = defineSearchAttributeKey('AcceptDueAt', 'DATETIME');
/** 第十一条: the handling deadline. */
export const DueAt = defineSearchAttributeKey('DueAt', 'DATETIME');

export const Urgency = defineSearchAttributeKey('Urgency', 'KEYWORD');
/** 第十三条 special labels. */
export const Labels = defineSearchAttributeKey('Labels', 'KEYWORD_LIST');
/** 第十一条: the handling deadline passed before the reply reached the platform (this handling round). */
export const Overdue = defineSearchAttributeKey('Overdue', 'BOOL');
/** 第二十二条: an open supervision case. */
export const Supervised = defineSearchAttributeKey('Supervised', 'BOOL');

/** Every custom search attribute with its Temporal type, for registration (`temporal server start-dev
 * --search-attribute Name=Type`, or the operator service on an existing cluster). */
export const SEARCH_ATTRIBUTES = [TicketStatus, HandlingUnit, InvolvedUnits, Channel, Category, Urgency, Labels, AcceptDueAt, DueAt, Overdue, Supervised] as const;

/** The type names the Temporal CLI expects. */
export const CLI_TYPE_NAMES: Record<string, string> = { KEYWORD: 'Keyword', DATETIME: 'Datetime', BOOL: 'Bool', KEYWORD_LIST: 'KeywordList', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double' };
