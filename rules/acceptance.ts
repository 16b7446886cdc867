/** Acceptance (接单) within the time limit of 第八条(一). */
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { addHours, isLate } from './time';

/**
 * 第八条(一): a ticket must be accepted within 3 hours of reaching the handling unit. Natural hours, clock from the time
 * the ticket was dispatched to the unit (spec decision). When `handlingDueAt` is given the acceptance is due no later than
 * it (spec decision "特急 acceptance": a 特急 ticket, due in one hour, is accepted within that hour).
 */
export function acceptanceDueAt(dispatchedToUnitAt: Date, params: Parameters = DEFAULT_PARAMETERS, handlingDueAt?: Date): Date {
  const due = addHours(dispatchedToUnitAt, params.acceptanceHours.value);
  return handlingDueAt !== undefined && handlingDueAt.getTime() < due.getTime() ? handlingDueAt : due;
}

/**
 * 第八条(一): overdue when accepted after the due time. Compared to the second (第十一条(四)): accepted exactly at the due
 * time is on time, one second later is overdue.
 */
export function isAcceptanceOverdue(acceptDueAt: Date, at: Date): boolean {
  return isLate(acceptDueAt, at);
}
