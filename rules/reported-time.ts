/**
 * Times a unit reports (contacts, consents, consultations): spec decision "who states the facts" (第八条(三)(四),
 * 第十三条, 第十四条): they lie between the ticket's arrival at the unit and now. A time outside that span cannot be true
 * and is refused, naming the field and the article the time serves.
 *
 * Pure; imports no calendar.
 */
import { DAY, HOUR, MINUTE, SECOND, shanghaiDate, toSecond } from './time';
import type { Violation } from './types';

/** `YYYY-MM-DD HH:mm:ss`, Asia/Shanghai (for the reasons shown to the unit). */
function shanghaiTime(instant: Date): string {
  const ms = (((instant.getTime() + 8 * HOUR) % DAY) + DAY) % DAY;
  const two = (n: number) => String(Math.floor(n)).padStart(2, '0');
  return `${shanghaiDate(instant)} ${two(ms / HOUR)}:${two((ms % HOUR) / MINUTE)}:${two((ms % MINUTE) / SECOND)}`;
}

/**
 * Spec decision (第十一条, 第十三条, 第十四条): a time a unit reports lies between the ticket's arrival at the unit
 * (`span.from`; when unknown, only the upper bound is checked) and now (`span.to`, the time of the request that carries
 * it), both ends included, compared to the second (第十一条(四) "精确到秒"). A missing time is a violation too: call it
 * only for a time the decision requires, and skip the call for an optional time that was not given.
 *
 * `what` names the time in Chinese (e.g. `与反映人联系的时间`). The violation's rule id is `rule` when given, so a caller
 * keeps the id its clients know (e.g. `extension.contact-time`); otherwise `reported-time.missing`,
 * `reported-time.before-arrival` or `reported-time.future`. At most one violation.
 */
export function checkReportedTime(
  at: Date | undefined,
  span: { from?: Date; to: Date },
  field: string,
  article: string,
  what: string,
  rule?: string,
): Violation[] {
  if (at === undefined) return [{ rule: rule ?? 'reported-time.missing', article, reason: `应注明${what}。`, field }];
  if (span.from !== undefined && toSecond(at) < toSecond(span.from))
    return [
      {
        rule: rule ?? 'reported-time.before-arrival',
        article,
        reason: `${what}（${shanghaiTime(at)}）早于工单派至承办单位的时间（${shanghaiTime(span.from)}），不可能属实。`,
        field,
      },
    ];
  if (toSecond(at) > toSecond(span.to))
    return [
      {
        rule: rule ?? 'reported-time.future',
        article,
        reason: `${what}（${shanghaiTime(at)}）晚于当前时间（${shanghaiTime(span.to)}），不可能属实。`,
        field,
      },
    ];
  return [];
}
