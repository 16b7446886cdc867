/**
 * The read-model columns that come from the platform's dispatch as received (the intake): the reporter and the text
 * live here and in PostgreSQL only, never in workflow payloads. One mapping, used by the API's intake transaction and
 * by the persistence activity when it must create a row itself.
 */
import type { Dispatch } from '../api/schemas';

export function intakeColumns(d: Dispatch) {
  return {
    ticketNo: d.ticketNo,
    channel: d.channel,
    category: d.category,
    urgency: d.urgency,
    labels: d.labels,
    unitId: d.unitId,
    reporterAnonymous: d.reporter.anonymous,
    reporterName: d.reporter.anonymous ? null : d.reporter.name,
    reporterPhone: d.reporter.anonymous ? null : d.reporter.phone,
    subject: d.subject,
    content: d.content,
    dispatchedAt: new Date(d.dispatchedAt),
    dispatchedToUnitAt: new Date(d.dispatchedToUnitAt),
  };
}
