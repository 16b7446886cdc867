/**
 * Request bodies of the HTTP API, validated once at the edge with zod; handlers receive the parsed value.
 */
import { z } from 'zod';
import {
  CATEGORIES_BY_CHANNEL,
  CHANNELS,
  SPECIAL_LABELS,
  URGENCIES,
  isCategoryOfChannel,
} from '../rules/types';

/** An instant with an explicit offset, e.g. `2026-09-30T16:00:00+08:00`: a local time without zone is ambiguous. */
export const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with an offset, e.g. 2026-09-30T16:00:00+08:00' });

/** The platform's ticket number: the workflow id and idempotency key of a dispatch. */
export const ticketNo = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$/, 'must be 4–64 letters, digits, "-" or "_"');

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
    dispatchedAt: instant,
    unitId: text(64),
    /** 第八条(一): the acceptance clock starts here. */
    dispatchedToUnitAt: instant,
    reporter: reporterSchema,
    subject: text(200),
    content: text(20000),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (!isCategoryOfChannel(d.channel, d.category)) {
      ctx.addIssue({
        code: 'custom',
        path: ['category'],
        message: `must be one of ${CATEGORIES_BY_CHANNEL[d.channel].join(', ')} for channel ${d.channel} (第十一条)`,
      });
    }
    if (d.urgency !== null && d.channel !== '12345') {
      ctx.addIssue({
        code: 'custom',
        path: ['urgency'],
        message: 'urgency labels 特急/紧急/急 exist only on 12345 tickets (第十一条(一))',
      });
    }
    if (d.labels.length > 0 && d.channel !== '12345') {
      ctx.addIssue({
        code: 'custom',
        path: ['labels'],
        message: 'special labels are set only by the 12345 platform (第十三条)',
      });
    }
    if (Date.parse(d.dispatchedToUnitAt) < Date.parse(d.dispatchedAt)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dispatchedToUnitAt'],
        message: 'must not be before dispatchedAt: a ticket reaches the unit after it reaches the Commission',
      });
    }
  });
export type Dispatch = z.infer<typeof dispatchSchema>;

export const acceptSchema = z
  .object({
    unitId: text(64),
    acceptedBy: text(64),
  })
  .strict();
export type AcceptBody = z.infer<typeof acceptSchema>;
