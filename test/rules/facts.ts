/** A ticket's facts for the revisit, supervision and appeal tests: a closed 12345 complaint, everything in order. */
import type { TicketFacts } from '../../rules/facts';
import { sh } from './support';

export function ticketFacts(over: Partial<TicketFacts> = {}): TicketFacts {
  return {
    ticketNo: 'TJ20261009000123',
    channel: '12345',
    category: 'complaint',
    labels: [],
    content: '反映人称10月8日在天津站乘坐出租车，司机拒载。',
    reporterAnonymous: false,
    flags: {},
    events: [
      { type: 'dispatched-to-commission', at: sh('2026-10-09 09:00') },
      { type: 'dispatched-to-unit', at: sh('2026-10-09 09:05'), unit: '市道路运输局' },
      { type: 'accepted', at: sh('2026-10-09 09:30'), unit: '市道路运输局' },
    ],
    contacts: [{ at: sh('2026-10-09 14:30'), staffName: '张伟', method: 'phone', reached: true }],
    returns: [],
    revisits: [],
    relatedReports: [],
    deadlines: { handlingDueAt: sh('2026-10-16 09:00'), nearDeadlineAt: sh('2026-10-15 14:36') },
    assessment: {},
    ...over,
  };
}
