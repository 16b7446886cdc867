/**
 * The connector to the city's hotline platform: sends a ticket's approved reply (办理结果) back to it.
 *
 * `POST ${PLATFORM_URL}/tickets/:ticketNo/reply` with `authorization: Bearer <PLATFORM_TOKEN>`,
 * `Idempotency-Key: <key>` (the same on every attempt) and the JSON body `{ text, repliedBy, reviewedBy, contactedAt? }`.
 * The platform answers 2xx `{ receiptId, acceptedAt }`; a 409 carrying such a receipt means it already has this reply
 * (an earlier attempt got through) and counts as delivered. Any other 4xx but 408/429 is a refusal that retrying cannot
 * fix (non-retryable, with the platform's message); 408, 429, 5xx, network errors, timeouts and answers that are not a
 * receipt are retried by Temporal with the PLATFORM_OPTIONS preset (workflows/activity-options.ts).
 *
 * Without PLATFORM_URL (local runs) the reply is kept locally: a `local-<key>` receipt and one log line.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { PlatformConfig } from '../lib/config';
import { createLogger, type Logger } from '../lib/logger';
import { DEFAULT_HTTP_TIMEOUT_MS, excerpt, isPermanentRejection, postWithTimeout } from './notifications';

export type { PlatformConfig } from '../lib/config';
export { platformConfig } from '../lib/config';

export interface PlatformReply {
  text: string;
  /** The handler who wrote it (谁办复). */
  repliedBy: string;
  /** The reviewer who approved it (谁审核). */
  reviewedBy: string;
  /** When the reporter was contacted (ISO-8601), when they were. */
  contactedAt?: string;
}

export interface SendReplyInput {
  ticketNo: string;
  /** The same on every attempt, so the platform can recognise a repeat. */
  idempotencyKey: string;
  reply: PlatformReply;
}

export interface PlatformReceipt {
  receiptId: string;
  /** When the platform accepted the reply, as UTC ISO-8601 (`…Z`) whatever offset the platform wrote. */
  acceptedAt: string;
  /** `platform`: the platform acknowledged it; `local`: no platform configured, kept locally. */
  delivered: 'platform' | 'local';
}

export interface PlatformDeps {
  platform: PlatformConfig | null;
  logger?: Logger;
  fetchImpl?: typeof fetch;
}

/** The platform's acknowledgement of a reply. */
export const platformReceiptSchema = z.object({
  receiptId: z.string().min(1),
  acceptedAt: z.iso.datetime({ offset: true }),
});

/** The receipt in a response text, or null when it holds none. */
function receiptIn(text: string): z.infer<typeof platformReceiptSchema> | null {
  try {
    const parsed = platformReceiptSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The platform's own explanation in an error response (problem+json or a plain `message`), else the text. */
function platformMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    for (const field of ['detail', 'message', 'error', 'title']) {
      if (typeof body[field] === 'string' && body[field]) return excerpt(body[field]);
    }
  } catch {
    // not JSON: the text itself
  }
  return excerpt(text);
}

export function createPlatformActivities({ platform, logger, fetchImpl = fetch }: PlatformDeps) {
  const log = logger ?? createLogger('info', 'platform');

  return {
    /** Sends the approved reply of `ticketNo` to the hotline platform and returns its receipt. Safe to retry. */
    async sendReplyToPlatform({ ticketNo, idempotencyKey, reply }: SendReplyInput): Promise<PlatformReceipt> {
      if (!platform) {
        const receiptId = `local-${idempotencyKey}`;
        log.info({ ticketNo, receiptId }, 'no hotline platform configured (PLATFORM_URL): reply kept locally');
        return { receiptId, acceptedAt: new Date().toISOString(), delivered: 'local' };
      }

      const outcome = await postWithTimeout(
        fetchImpl,
        `${platform.baseUrl}/tickets/${encodeURIComponent(ticketNo)}/reply`,
        {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${platform.token}`,
          'Idempotency-Key': idempotencyKey,
        },
        JSON.stringify({
          text: reply.text,
          repliedBy: reply.repliedBy,
          reviewedBy: reply.reviewedBy,
          contactedAt: reply.contactedAt,
        }),
        platform.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
      );

      let problem: string;
      let permanent = false;
      if ('error' in outcome) {
        problem = outcome.error;
      } else {
        const ok = outcome.status >= 200 && outcome.status < 300;
        const receipt = ok || outcome.status === 409 ? receiptIn(outcome.text) : null;
        if (receipt) {
          const repeat = outcome.status === 409;
          log.info({ ticketNo, receiptId: receipt.receiptId, repeat }, 'reply delivered to the hotline platform');
          return { receiptId: receipt.receiptId, acceptedAt: new Date(receipt.acceptedAt).toISOString(), delivered: 'platform' };
        }
        permanent = isPermanentRejection(outcome.status);
        problem = ok
          ? `HTTP ${outcome.status} without a valid receipt: ${excerpt(outcome.text, 120) || '(empty)'}`
          : `HTTP ${outcome.status}: ${platformMessage(outcome.text) || '(no message)'}`;
      }

      log.warn({ ticketNo, permanent }, `hotline platform did not take the reply: ${problem}`);
      const message = `hotline platform did not take the reply to ${ticketNo}: ${problem}`;
      throw permanent
        ? ApplicationFailure.nonRetryable(message, 'PlatformRejected')
        : ApplicationFailure.retryable(message, 'PlatformUnavailable');
    },
  };
}
