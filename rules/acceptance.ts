/** Acceptance (接单) within the time limit of 第八条(一). */
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { addHours, isLate } from './time';

/**
 * 第八条(一): a ticket must be accepted within 3 hours of reaching the handling unit. Natural hours, clock from the time
 * the ticket was dispatched to the unit (spec decision).
 */
export function acceptanceDueAt(dispatchedToUnitAt: Date, params: Parameters = DEFAULT_PARAMETERS): Date {
  return addHours(dispatchedToUnitAt, params.acceptanceHours.value);
}

/**
 * 第八条(一): overdue when accepted after the due time. Compared to the second (第十一条(四)): accepted exactly at the due
 * time is on time, one second later is overdue.
 */
export function isAcceptanceOverdue(acceptDueAt: Date, at: Date): boolean {
  return isLate(acceptDueAt, at);
}
