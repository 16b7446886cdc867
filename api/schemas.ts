/**
 * Request bodies of the HTTP API, validated once at the edge with zod; handlers receive the parsed value.
 */
import { z } from 'zod';
import {
  CATEGORIES_BY_CHANNEL,
  CHANNELS,
  SPECIAL_LABELS,
  URGENCIES,
  carriesSpecialLabels,
  carriesUrgencyLabels,
  isCategoryOfChannel,
} from '../rules/types';
import { isDateKey, shanghaiDate } from '../rules/time';

/** An instant with an explicit offset, e.g. `2026-09-30T16:00:00+08:00`: a local time without zone is ambiguous. */
export const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with an offset, e.g. 2026-09-30T16:00:00+08:00' });

/** Years the calendar answers for: the lunar conversion behind the statutory holidays covers these. */
export const CALENDAR_YEARS = { min: 2000, max: 2099 } as const;

/** An instant the calendar can answer for (see CALENDAR_YEARS). */
export const calendarInstant = instant.refine((s) => {
  const year = Number(shanghaiDate(new Date(s)).slice(0, 4));
  return year >= CALENDAR_YEARS.min && year <= CALENDAR_YEARS.max;
}, `must fall in the years ${CALENDAR_YEARS.min}–${CALENDAR_YEARS.max}`);


/** The platform's ticket number: the workflow id and idempotency key of a dispatch. */
/** A platform ticket number (the workflow id). */
export const TICKET_NO_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$/;
export const ticketNo = z.string().regex(TICKET_NO_PATTERN, 'must be 4–64 letters, digits, "-" or "_"');

/** A Chinese mainland mobile or landline number. */
const phone = z
  .string()
  .trim()
  .regex(/^(?:\+?86[-\s]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})$/, 'must be a mainland mobile or landline number');

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

export const reporterSchema = z.discriminatedUnion('anonymous', [
  z.object({ anonymous: z.literal(true) }).strict(),
  z.object({ anonymous: z.literal(false), name: text(50), phone }).strict(),
]);

/**
 * Cross-field rules of a ticket's attributes, shared by a dispatch and a deadline preview: the category belongs to the
 * channel (第十一条), urgency labels only on 12345 (第十一条(一)), the unit receives the ticket after the Commission.
 */
function checkTicketAttributes(
  d: { channel: (typeof CHANNELS)[number]; category: string; urgency?: string | null; dispatchedAt: string; dispatchedToUnitAt?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (!isCategoryOfChannel(d.channel, d.category)) {
    ctx.addIssue({
      code: 'custom',
      path: ['category'],
      message: `must be one of ${CATEGORIES_BY_CHANNEL[d.channel].join(', ')} for channel ${d.channel} (第十一条)`,
    });
  }
  if (d.urgency != null && !carriesUrgencyLabels(d.channel)) {
    ctx.addIssue({
      code: 'custom',
      path: ['urgency'],
      message: 'urgency labels 特急/紧急/急 exist only on 12345 tickets (第十一条(一))',
    });
  }
  if (d.dispatchedToUnitAt !== undefined && Date.parse(d.dispatchedToUnitAt) < Date.parse(d.dispatchedAt)) {
    ctx.addIssue({
      code: 'custom',
      path: ['dispatchedToUnitAt'],
      message: 'must not be before dispatchedAt: a ticket reaches the unit after it reaches the Commission',
    });
  }
}

/** A ticket as dispatched by the city's hotline platform (第二条, spec "Channels and what a ticket is"). */
export const dispatchSchema = z
  .object({
    ticketNo,
    channel: z.enum(CHANNELS),
    category: z.string(),
    urgency: z.enum(URGENCIES).nullable().default(null),
    labels: z
      .array(z.enum(SPECIAL_LABELS))
      .default([])
      .refine((l) => new Set(l).size === l.length, 'must not repeat a label'),
    /** 第十一条(四): the handling clock starts here. */
    dispatchedAt: calendarInstant,
    unitId: text(64),
    /** 第八条(一): the acceptance clock starts here. */
    dispatchedToUnitAt: calendarInstant,
    reporter: reporterSchema,
    subject: text(200),
    content: text(20000),
    /** 第八条(四)3: the platform marks the ticket not returnable (the platform states it, never the unit). */
    notReturnable: z.boolean().optional(),
    /** 第二十二条(二): tickets the platform names as reports of the same problem. */
    relatedTicketNos: z.array(ticketNo).max(20).optional(),
    /** 第九条、第二十八条(六): co-handling units (协办单位) next to the lead unit `unitId`, each with the demands it owns. */
    parts: z
      .array(z.object({ unitId: text(64), demands: z.array(text(500)).min(1).max(20) }).strict())
      .max(10)
      .refine((p) => new Set(p.map((x) => x.unitId)).size === p.length, 'must not name a unit twice')
      .optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    checkTicketAttributes(d, ctx);
    if (d.labels.length > 0 && !carriesSpecialLabels(d.channel)) {
      ctx.addIssue({
        code: 'custom',
        path: ['labels'],
        message: 'special labels are set only by the 12345 platform (第十三条)',
      });
    }
  });
export type Dispatch = z.infer<typeof dispatchSchema>;

// ---- rule-layer previews and the calendar (api/policy.ts) ----

/** An optional query parameter: `?urgency=` (empty) counts as absent. */
const optionalQuery = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * An instant in a query string. A `+` typed into a URL arrives as a space (`…T16:00:00 08:00`); read that as the offset
 * it was meant to be rather than refuse it.
 */
const queryInstant = z.preprocess((v) => (typeof v === 'string' ? v.replace(/T(\S+) (\d{2}:?\d{2})$/, 'T$1+$2') : v), calendarInstant);

/** `GET /api/v1/policy/deadlines`: the attributes a ticket's deadlines depend on (第八条(一)(三), 第十一条). */
export const deadlineQuerySchema = z
  .object({
    channel: z.enum(CHANNELS),
    category: z.string(),
    urgency: optionalQuery(z.enum(URGENCIES)),
    /** 第十一条(四): the handling clock starts here. */
    dispatchedAt: queryInstant,
    /** 第八条(一): acceptance and the return window count from here; defaults to dispatchedAt. */
    dispatchedToUnitAt: optionalQuery(queryInstant),
  })
  .strict()
  .superRefine(checkTicketAttributes);
export type DeadlineQuery = z.infer<typeof deadlineQuerySchema>;

const draftText = (max: number) => z.string().max(max, `must be at most ${max} characters`).optional();

/** `POST /api/v1/policy/reply-check`: a reply draft (第十六条) and what the check may compare it with. */
export const replyCheckSchema = z
  .object({
    /** The reply text that goes to the platform. */
    text: draftText(20000),
    /** 第十六条(一) the structured items; an item not given is looked for in the text. */
    contactedAt: instant.optional(),
    staffName: draftText(50),
    staffPhone: draftText(50),
    process: draftText(5000),
    result: draftText(5000),
    reporterFeedback: draftText(2000),
    /** 第十六条(三): reasons of the ticket's earlier return requests. */
    returnReasons: z.array(z.string().max(2000)).max(20).optional(),
    /** 第十六条(二): the complaint, to catch a reply that does not answer it. */
    complaintText: draftText(20000),
  })
  .strict()
  .refine(
    (d) => [d.text, d.contactedAt, d.staffName, d.staffPhone, d.process, d.result, d.reporterFeedback].some((v) => v !== undefined && v.trim() !== ''),
    { message: 'give the reply text and/or its structured fields (contactedAt, staffName, staffPhone, process, result, reporterFeedback)', path: ['text'] },
  );
export type ReplyCheckBody = z.infer<typeof replyCheckSchema>;

/** A calendar year in a path (`/calendar/:year`). */
export const calendarYear = z.coerce
  .number({ error: 'must be a year, e.g. 2027' })
  .int('must be a year, e.g. 2027')
  .min(CALENDAR_YEARS.min, `must be ${CALENDAR_YEARS.min}–${CALENDAR_YEARS.max}`)
  .max(CALENDAR_YEARS.max, `must be ${CALENDAR_YEARS.min}–${CALENDAR_YEARS.max}`);

/** A month in a path (`/policy/monthly/:month`), `YYYY-MM`. */
export const monthKey = z.string().superRefine((m, ctx) => {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(m);
  if (!match) ctx.addIssue({ code: 'custom', message: 'must be a month YYYY-MM, e.g. 2026-05' });
  else if (Number(match[1]) < CALENDAR_YEARS.min || Number(match[1]) > CALENDAR_YEARS.max)
    ctx.addIssue({ code: 'custom', message: `must be a month of the years ${CALENDAR_YEARS.min}–${CALENDAR_YEARS.max}` });
});

/**
 * `PUT /api/v1/calendar/:year`: a year's State Council arrangement or corrections to it (第十一条, spec decision
 * "calendar years"). Every day lies in `year` and appears once; errors name the day, e.g. `days.3.date`.
 */
export function calendarPutSchema(year: number) {
  const date = z.string().superRefine((d, ctx) => {
    if (!isDateKey(d)) ctx.addIssue({ code: 'custom', message: `must be a date YYYY-MM-DD in ${year}` });
    else if (!d.startsWith(`${year}-`)) ctx.addIssue({ code: 'custom', message: `${d} is not in ${year}` });
  });
  const day = z
    .object({
      date,
      working: z.boolean(),
      name: z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters').optional(),
    })
    .strict();
  return z
    .object({
      /** The year's arrangement is published: its days stop being provisional. */
      published: z.boolean(),
      /** Every day that differs from an ordinary week (holidays, make-up working days), or a correction. */
      days: z
        .array(day)
        .max(366, 'a year has at most 366 days')
        .superRefine(
          (days, ctx) => {
            const seen = new Map<unknown, number>();
            days.forEach((d, i) => {
              const key = (d as { date?: unknown } | null)?.date;
              if (typeof key !== 'string') return;
              const first = seen.get(key);
              if (first === undefined) seen.set(key, i);
              else ctx.addIssue({ code: 'custom', path: [i, 'date'], message: `${key} is already given as days.${first}` });
            });
          },
          // Also when another day is bad, so that one answer names every bad day.
          { when: (payload) => Array.isArray(payload.value) },
        ),
      note: z.string().trim().max(500, 'must be at most 500 characters').optional(),
    })
    .strict();
}
export type CalendarPutBody = z.infer<ReturnType<typeof calendarPutSchema>>;
