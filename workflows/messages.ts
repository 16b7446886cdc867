/**
 * What crosses the boundary of a ticket workflow: its input, its state, and the human decisions it accepts. Shared by
 * the workflow, the API and the tests; importing it pulls no workflow runtime.
 *
 * No reporter identity and no complaint text travel here: they stay in PostgreSQL (TicketIntake / Ticket).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Category, Channel, SpecialLabel, Urgency, Violation } from '../rules/types';

/** The default task queue of ticket workflows and their activities. */
export const TICKET_TASK_QUEUE = 'hotline-tickets';

/** Input of `ticketWorkflow`: the dispatch, without personal data. Times are ISO-8601 instants. */
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

export const TICKET_STATUSES = ['dispatched', 'accepted'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketDeadlines {
  /** 第八条(一). */
  acceptDueAt: string;
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
  /** Sequence number of the last audit event written. */
  lastEventSequence: number;
}

/** 接单: the handling unit accepts the ticket (第八条(一)). */
export interface AcceptCommand {
  /** The unit accepting; must be the unit the ticket was dispatched to. */
  unitId: string;
  /** The staff member who accepts, as known to the unit (user id). */
  acceptedBy: string;
}

export const getStateQuery = defineQuery<TicketState>('getState');
export const acceptUpdate = defineUpdate<TicketState, [AcceptCommand]>('accept');

/**
 * ApplicationFailure types a refused decision carries, with its violations as the failure's details[0]:
 * `RuleViolation` (the regulation forbids it) and `StateConflict` (not possible in the ticket's current state).
 */
export const RULE_VIOLATION = 'RuleViolation';
export const STATE_CONFLICT = 'StateConflict';
export type RefusalDetails = { violations: Violation[] };
