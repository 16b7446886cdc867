/**
 * Who may take which step of a ticket, in which state (第六条、第八条). Pure: the workflow's update validators call these
 * with the ticket's current state, so a refused decision never enters history.
 */
import { verdict, type Verdict, type Violation } from './types';

/** What acceptance needs to know about a ticket. */
export interface AcceptanceContext {
  status: string;
  /** The unit the platform dispatched the ticket to. */
  unitId: string;
}

/**
 * 第六条、第八条(一): the acceptance department of the unit the ticket was dispatched to accepts it (接单), once, while
 * the ticket waits for acceptance. Another unit cannot accept it: a ticket that is not its duty is returned (第八条(三)),
 * not accepted elsewhere.
 */
export function checkAccept(ticket: AcceptanceContext, command: { unitId: string; acceptedBy: string }): Verdict {
  const violations: Violation[] = [];
  if (ticket.status !== 'dispatched') {
    violations.push({
      rule: 'accept.state',
      article: '第八条(一)',
      reason: `工单当前状态为“${ticket.status}”，只有待接单的工单可以接单`,
    });
  }
  if (command.unitId !== ticket.unitId) {
    violations.push({
      rule: 'accept.own-unit',
      article: '第六条',
      reason: `工单派至承办单位“${ticket.unitId}”，其他单位（“${command.unitId}”）不能接单`,
      field: 'unitId',
    });
  }
  if (command.acceptedBy.trim() === '') {
    violations.push({ rule: 'accept.staff', article: '第六条', reason: '须写明接单人员', field: 'acceptedBy' });
  }
  return verdict(violations);
}
