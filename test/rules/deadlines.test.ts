import fc from 'fast-check';
import { acceptanceDueAt, isAcceptanceOverdue } from '../../rules/acceptance';
import { extensionLatestDueAt, handlingSla, isHandlingOverdue, supervisionAnswerDueAt, ticketDeadlines, type DeadlineInput } from '../../rules/deadlines';
import { withOverrides } from '../../rules/parameters';
import type { Category, Channel, Urgency } from '../../rules/types';
import { calendar, plusSeconds, sh } from './support';

function ticket(channel: Channel, category: Category, dispatched: string, urgency?: Urgency): DeadlineInput {
  const at = sh(dispatched);
  return { channel, category, dispatchedToCommissionAt: at, dispatchedToUnitAt: at, ...(urgency ? { urgency } : {}) };
}

describe('第十一条(一)–(三) SLA table', () => {
  it.each([
    ['第十一条(一)', '12345', 'consultation', 3],
    ['第十一条(一)', '12345', 'request', 5],
    ['第十一条(一)', '12345', 'suggestion', 5],
    ['第十一条(一)', '12345', 'complaint', 5],
    ['第十一条(一)', '12345', 'report', 5],
    ['第十一条(二)', '12328-wechat', 'information', 3],
    ['第十一条(二)', '12328-wechat', 'suggestion', 5],
    ['第十一条(二)', '12328-wechat', 'complaint', 5],
    ['第十一条(三)', 'zmlj', 'consultation', 2],
    ['第十一条(三)', 'zmlj', 'help', 5],
    ['第十一条(三)', 'zmlj', 'suggestion', 5],
    ['第十一条(三)', 'zmlj', 'feedback', 5],
    ['第十一条(三)', 'zmlj', 'complaint', 5],
  ] as [string, Channel, Category, number][])('%s: %s %s = %i working days', (article, channel, category, days) => {
    expect(handlingSla(channel, category)).toMatchObject({ amount: days, unit: 'working-days', article, channel, category });
  });

  it.each([
    ['critical', 1, 'hours', '特急'],
    ['urgent', 1, 'working-days', '紧急'],
    ['expedited', 2, 'working-days', '急'],
  ] as [Urgency, number, string, string][])('第十一条(一): urgency %s = %i %s and replaces the category', (urgency, amount, unit, name) => {
    const sla = handlingSla('12345', 'complaint', urgency);
    expect(sla).toMatchObject({ amount, unit, urgency, article: '第十一条(一)' });
    expect(sla.description).toContain(name);
  });

  it('第十一条: a category of another channel is refused', () => {
    expect(() => handlingSla('zmlj', 'report' as Category)).toThrow(RangeError);
  });
});

describe('第十一条(四) handling deadline, to the second, on the working-day clock', () => {
  it.each([
    ['第十一条(一): 12345 complaint dispatched 2026-09-30 16:00 (National Day, make-up 10-10)', ticket('12345', 'complaint', '2026-09-30 16:00'), '2026-10-13 16:00'],
    ['第十一条(一): 12345 consultation dispatched on the holiday 2026-10-03 — end of the make-up day 10-10', ticket('12345', 'consultation', '2026-10-03 09:30'), '2026-10-11 00:00'],
    ['第十一条(一): 特急 is one natural hour, even on a holiday', ticket('12345', 'complaint', '2026-10-01 10:00', 'critical'), '2026-10-01 11:00'],
    ['第十一条(一): 紧急 is one working day', ticket('12345', 'complaint', '2026-09-30 16:00', 'urgent'), '2026-10-08 16:00'],
    ['第十一条(一): 急 is two working days', ticket('12345', 'request', '2026-09-30 16:00', 'expedited'), '2026-10-09 16:00'],
    ['第十一条(二): 12328 WeChat information, 3 working days over 春节 with make-up 02-14', ticket('12328-wechat', 'information', '2026-02-12 10:00'), '2026-02-24 10:00'],
    ['第十一条(二): 12328 WeChat complaint, 5 working days', ticket('12328-wechat', 'complaint', '2026-06-15 08:00'), '2026-06-23 08:00'],
    ['第十一条(三): 政民零距离 consultation, 2 working days over 劳动节', ticket('zmlj', 'consultation', '2026-04-30 17:00'), '2026-05-07 17:00'],
    ['第十一条(三): 政民零距离 help, 5 working days over 清明', ticket('zmlj', 'help', '2026-04-02 09:00'), '2026-04-10 09:00'],
    ['第十一条(一): dispatched on a Sunday, 5 working days from Monday 00:00', ticket('12345', 'report', '2026-03-08 22:00'), '2026-03-14 00:00'],
    ['第十一条(一): 12345 complaint across the year boundary (2027-01-01 statutory holiday)', ticket('12345', 'complaint', '2026-12-30 09:00'), '2027-01-07 09:00'],
  ])('%s', (_, input, due) => {
    expect(ticketDeadlines(input, calendar).handlingDueAt).toEqual(sh(due));
  });

  it('第十一条(四): the handling clock starts at dispatch to the Commission, acceptance and return window at dispatch to the unit', () => {
    const d = ticketDeadlines(
      { channel: '12345', category: 'complaint', dispatchedToCommissionAt: sh('2026-09-30 16:00'), dispatchedToUnitAt: sh('2026-10-08 09:00') },
      calendar,
    );
    expect(d.handlingDueAt).toEqual(sh('2026-10-13 16:00'));
    expect(d.acceptanceDueAt).toEqual(sh('2026-10-08 12:00'));
    expect(d.returnWindowEndsAt).toEqual(sh('2026-10-09 09:00'));
  });

  it('第十一条 (spec decision): reminder at 3/4 and near-deadline at 9/10 of the running clock', () => {
    const d = ticketDeadlines(ticket('12345', 'complaint', '2026-09-30 16:00'), calendar);
    expect(d.reminderAt).toEqual(sh('2026-10-12 10:00'));
    expect(d.nearDeadlineAt).toEqual(sh('2026-10-13 04:00'));
    const critical = ticketDeadlines(ticket('12345', 'complaint', '2026-10-01 10:00', 'critical'), calendar);
    expect(critical.reminderAt).toEqual(sh('2026-10-01 10:45'));
    expect(critical.nearDeadlineAt).toEqual(sh('2026-10-01 10:54'));
  });

  it('第十一条 calendar years: a deadline over a year without published arrangement is provisional', () => {
    expect(ticketDeadlines(ticket('12345', 'complaint', '2026-12-30 09:00'), calendar).provisional).toBe(true);
    expect(ticketDeadlines(ticket('12345', 'complaint', '2026-09-30 16:00'), calendar).provisional).toBe(false);
    expect(ticketDeadlines(ticket('12345', 'complaint', '2027-03-01 09:00', 'critical'), calendar).provisional).toBe(false);
  });

  it('第十一条: the SLA entry used is returned', () => {
    expect(ticketDeadlines(ticket('zmlj', 'consultation', '2026-06-01 09:00'), calendar).sla).toMatchObject({
      amount: 2,
      unit: 'working-days',
      article: '第十一条(三)',
    });
  });

  it('第十一条: overridden limits are used (政民零距离 consultation 4 working days)', () => {
    const params = withOverrides({ handlingLimits: { zmlj: { consultation: { amount: 4 } } } });
    const d = ticketDeadlines(ticket('zmlj', 'consultation', '2026-06-01 09:00'), calendar, params);
    expect(d.handlingDueAt).toEqual(sh('2026-06-05 09:00'));
    expect(d.sla.amount).toBe(4);
  });

  it('第十一条: reminder ≤ near-deadline ≤ due, due after dispatch, acceptance and return window not after due, for any ticket', () => {
    const channelCategory = fc.constantFrom(
      ...(['12345:consultation', '12345:complaint', '12328-wechat:information', 'zmlj:consultation', 'zmlj:help'] as const),
    );
    fc.assert(
      fc.property(
        channelCategory,
        fc.option(fc.constantFrom<Urgency>('critical', 'urgent', 'expedited'), { nil: undefined }),
        fc.integer({ min: sh('2025-01-01').getTime(), max: sh('2027-12-20').getTime() }),
        (cc, urgency, t) => {
          const [channel, category] = cc.split(':') as [Channel, Category];
          const d = ticketDeadlines({ channel, category, urgency, dispatchedToCommissionAt: new Date(t), dispatchedToUnitAt: new Date(t) }, calendar);
          expect(d.reminderAt.getTime()).toBeLessThanOrEqual(d.nearDeadlineAt.getTime());
          expect(d.nearDeadlineAt.getTime()).toBeLessThanOrEqual(d.handlingDueAt.getTime());
          expect(d.handlingDueAt.getTime()).toBeGreaterThan(t);
          expect(d.acceptanceDueAt.getTime()).toBeLessThanOrEqual(d.handlingDueAt.getTime());
          expect(d.returnWindowEndsAt.getTime()).toBeLessThanOrEqual(d.handlingDueAt.getTime());
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('第十一条(四) and 第八条(一) overdue, to the second', () => {
  const due = sh('2026-10-13 16:00');
  it.each([
    ['第十一条(四): replied exactly at the deadline is on time', due, false],
    ['第十一条(四): replied within the deadline second (+999 ms) is on time', new Date(due.getTime() + 999), false],
    ['第十一条(四): replied one second after the deadline is overdue', plusSeconds(due, 1), true],
    ['第十一条(四): replied one second before is on time', plusSeconds(due, -1), false],
  ])('%s', (_, repliedAt, overdue) => {
    expect(isHandlingOverdue(due, repliedAt)).toBe(overdue);
  });

  it('第八条(一): accepted exactly 3 h after dispatch to the unit is on time, 3 h + 1 s is overdue', () => {
    const dueAt = acceptanceDueAt(sh('2026-10-09 09:00'));
    expect(dueAt).toEqual(sh('2026-10-09 12:00'));
    expect(isAcceptanceOverdue(dueAt, sh('2026-10-09 12:00'))).toBe(false);
    expect(isAcceptanceOverdue(dueAt, sh('2026-10-09 12:00:01'))).toBe(true);
  });

  it('第八条(一): acceptance counts natural hours, also on a holiday', () => {
    expect(acceptanceDueAt(sh('2026-10-01 22:30'))).toEqual(sh('2026-10-02 01:30'));
  });
});

describe('第二十三条 (spec decision): supervision answer due', () => {
  it('第二十三条: 3 working days after the supervision, on the working-day clock (make-up day 10-10 counts)', () => {
    expect(supervisionAnswerDueAt(sh('2026-09-30 16:00'), calendar)).toEqual({ dueAt: sh('2026-10-10 16:00'), provisional: false });
    expect(supervisionAnswerDueAt(sh('2026-12-31 10:00'), calendar).provisional).toBe(true);
  });

  it('第二十三条: the number of working days is a parameter', () => {
    const params = withOverrides({ supervisionAnswerWorkingDays: 5 });
    expect(supervisionAnswerDueAt(sh('2026-09-30 16:00'), calendar, params).dueAt).toEqual(sh('2026-10-13 16:00'));
  });
});

describe('第八条(一)(三)1 and 第十一条(一) (spec decision "特急 acceptance"): acceptance and return window never pass the handling deadline', () => {
  it('第十一条(一): a 12345 特急 complaint dispatched 09:00 is due 10:00, and must be accepted and returned by 10:00', () => {
    const d = ticketDeadlines(ticket('12345', 'complaint', '2026-10-09 09:00', 'critical'), calendar);
    expect(d.handlingDueAt).toEqual(sh('2026-10-09 10:00'));
    expect(d.acceptanceDueAt).toEqual(sh('2026-10-09 10:00'));
    expect(d.returnWindowEndsAt).toEqual(sh('2026-10-09 10:00'));
    expect(isAcceptanceOverdue(d.acceptanceDueAt, sh('2026-10-09 10:00:01'))).toBe(true);
  });

  it('第十一条(一): a 特急 ticket reaching the unit 20 minutes after the Commission: both still end with the hour', () => {
    const d = ticketDeadlines(
      { channel: '12345', category: 'request', urgency: 'critical', dispatchedToCommissionAt: sh('2026-10-01 22:30'), dispatchedToUnitAt: sh('2026-10-01 22:50') },
      calendar,
    );
    expect(d.handlingDueAt).toEqual(sh('2026-10-01 23:30'));
    expect(d.acceptanceDueAt).toEqual(sh('2026-10-01 23:30'));
    expect(d.returnWindowEndsAt).toEqual(sh('2026-10-01 23:30'));
  });

  it('第八条(一)(三)1: 紧急 (1 working day, never shorter than 24 h) keeps 3 h acceptance and the 24 h return window', () => {
    const d = ticketDeadlines(ticket('12345', 'complaint', '2026-10-16 09:00', 'urgent'), calendar);
    expect(d.handlingDueAt).toEqual(sh('2026-10-19 09:00'));
    expect(d.acceptanceDueAt).toEqual(sh('2026-10-16 12:00'));
    expect(d.returnWindowEndsAt).toEqual(sh('2026-10-17 09:00'));
  });

  it('第八条(一): acceptanceDueAt takes the handling deadline as an upper bound when given', () => {
    expect(acceptanceDueAt(sh('2026-10-09 09:00'), undefined, sh('2026-10-09 10:00'))).toEqual(sh('2026-10-09 10:00'));
    expect(acceptanceDueAt(sh('2026-10-09 09:00'), undefined, sh('2026-10-16 09:00'))).toEqual(sh('2026-10-09 12:00'));
  });
});

describe('第十四条 (spec decision): the latest deadline an extension may ask for', () => {
  it.each([
    ['第十四条: 10 working days after 2026-10-13 16:00 (two weekends)', '2026-10-13 16:00', '2026-10-27 16:00'],
    ['第十四条: 10 working days after 2026-09-30 16:00 (National Day; make-up day 10-10 counts)', '2026-09-30 16:00', '2026-10-20 16:00'],
    ['第十四条: from a deadline at the end of a working day (2026-10-11 00:00, a Sunday)', '2026-10-11 00:00', '2026-10-24 00:00'],
  ])('%s', (_, current, latest) => {
    expect(extensionLatestDueAt(sh(current), calendar)).toEqual(sh(latest));
  });

  it('第十四条: the number of working days is a parameter', () => {
    expect(extensionLatestDueAt(sh('2026-10-13 16:00'), calendar, withOverrides({ extensionMaxWorkingDays: 1 }))).toEqual(sh('2026-10-14 16:00'));
  });
});
