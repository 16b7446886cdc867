/**
 * The connector to the city's hotline platform: sends a ticket's approved reply (办理结果) back to it, and tells it of
 * each acceptance (接单), return request (退单, ground and evidence), extension request (延期申请) and extension
 * decision (延期审批).
 *
 * Every call is `POST ${PLATFORM_URL}/tickets/:ticketNo/<path>` with `authorization: Bearer <PLATFORM_TOKEN>`,
 * `Idempotency-Key: <key>` (the same on every attempt) and a JSON body:
 *
 * | what               | path                  | body                                                               |
 * | ------------------ | --------------------- | ------------------------------------------------------------------ |
 * | reply              | `reply`               | `{ text, repliedBy, reviewedBy, contactedAt? }`                    |
 * | acceptance         | `acceptance`          | `{ unitId, acceptedBy, acceptedAt }`                               |
 * | return request     | `return-requests`     | `{ unitId, ground, reason, evidence, requestedAt }`                |
 * | extension request  | `extension-requests`  | `{ unitId, requestedDueAt, reason, reporterOpinion, requestedAt }` |
 * | extension decision | `extension-decisions` | `{ approved, note, dueAt, decidedAt }`                             |
 *
 * The platform answers 2xx `{ receiptId, acceptedAt }`; a 409 carrying such a receipt means it already has this call
 * (an earlier attempt got through) and counts as delivered. Any other 4xx but 408/429 is a refusal that retrying cannot
 * fix (non-retryable `PlatformRefused`, with the platform's message); 408, 429, 5xx, network errors, timeouts and
 * answers that are not a receipt are retried (`PlatformUnavailable`) by Temporal with the PLATFORM_OPTIONS preset
 * (workflows/activity-options.ts). No reporter data is ever sent, and bodies are never logged.
 *
 * Without PLATFORM_URL (local runs) each call is kept locally: a `local-<key>` receipt and one log line.
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

/** What the platform is told besides the reply. Each carries only the unit's or the Commission's own facts, no reporter data. */
export type PlatformNotice =
  | { kind: 'acceptance'; unitId: string; acceptedBy: string; acceptedAt: string }
  | { kind: 'return-request'; unitId: string; ground: string; reason: string; evidence: Record<string, unknown>; requestedAt: string }
  | { kind: 'extension-request'; unitId: string; requestedDueAt: string; reason: string; reporterOpinion: string; requestedAt: string }
  | { kind: 'extension-decision'; approved: boolean; note: string; dueAt: string | null; decidedAt: string };

export interface NotifyPlatformInput {
  ticketNo: string;
  /** The same on every attempt, so the platform can recognise a repeat. */
  idempotencyKey: string;
  notice: PlatformNotice;
}

/** The path under `/tickets/:ticketNo/` each notice goes to. */
export const PLATFORM_NOTICE_PATHS = {
  acceptance: 'acceptance',
  'return-request': 'return-requests',
  'extension-request': 'extension-requests',
  'extension-decision': 'extension-decisions',
} as const satisfies Record<PlatformNotice['kind'], string>;

/** The failure type of a call the platform refused for good (4xx): the workflow tells the unit its message. */
export const PLATFORM_REFUSED = 'PlatformRefused';
/** The failure type of a call that did not get through this time: Temporal retries it. */
export const PLATFORM_UNAVAILABLE = 'PlatformUnavailable';

export interface PlatformReceipt {
  receiptId: string;
  /** When the platform accepted the call, as UTC ISO-8601 (`…Z`) whatever offset the platform wrote. */
  acceptedAt: string;
  /** `platform`: the platform acknowledged it; `local`: no platform configured, kept locally. */
  delivered: 'platform' | 'local';
}

export interface PlatformDeps {
  platform: PlatformConfig | null;
  logger?: Logger;
  fetchImpl?: typeof fetch;
}

/** The platform's acknowledgement of a reply or a notice. */
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

/**
 * The body of a notice: its declared fields only, without `kind` — whatever else the object carries at run time is not
 * sent.
 */
function noticeBody(notice: PlatformNotice): Record<string, unknown> {
  switch (notice.kind) {
    case 'acceptance':
      return { unitId: notice.unitId, acceptedBy: notice.acceptedBy, acceptedAt: notice.acceptedAt };
    case 'return-request':
      return { unitId: notice.unitId, ground: notice.ground, reason: notice.reason, evidence: notice.evidence, requestedAt: notice.requestedAt };
    case 'extension-request':
      return {
        unitId: notice.unitId,
        requestedDueAt: notice.requestedDueAt,
        reason: notice.reason,
        reporterOpinion: notice.reporterOpinion,
        requestedAt: notice.requestedAt,
      };
    case 'extension-decision':
      return { approved: notice.approved, note: notice.note, dueAt: notice.dueAt, decidedAt: notice.decidedAt };
  }
}

export function createPlatformActivities({ platform, logger, fetchImpl = fetch }: PlatformDeps) {
  const log = logger ?? createLogger('info', 'platform');

  /**
   * Posts `body` to `/tickets/:ticketNo/<path>` and returns the platform's receipt, or throws the failure Temporal acts
   * on (see the module's documentation). `what` names the call in log lines and errors ("reply", "acceptance", …).
   */
  async function postToPlatform(ticketNo: string, path: string, what: string, idempotencyKey: string, body: Record<string, unknown>): Promise<PlatformReceipt> {
    if (!platform) {
      const receiptId = `local-${idempotencyKey}`;
      log.info({ ticketNo, receiptId }, `no hotline platform configured (PLATFORM_URL): ${what} kept locally`);
      return { receiptId, acceptedAt: new Date().toISOString(), delivered: 'local' };
    }

    const outcome = await postWithTimeout(
      fetchImpl,
      `${platform.baseUrl}/tickets/${encodeURIComponent(ticketNo)}/${path}`,
      {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${platform.token}`,
        'Idempotency-Key': idempotencyKey,
      },
      JSON.stringify(body),
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
        log.info({ ticketNo, receiptId: receipt.receiptId, repeat }, `${what} delivered to the hotline platform`);
        return { receiptId: receipt.receiptId, acceptedAt: new Date(receipt.acceptedAt).toISOString(), delivered: 'platform' };
      }
      permanent = isPermanentRejection(outcome.status);
      problem = ok
        ? `HTTP ${outcome.status} without a valid receipt: ${excerpt(outcome.text, 120) || '(empty)'}`
        : `HTTP ${outcome.status}: ${platformMessage(outcome.text) || '(no message)'}`;
    }

    log.warn({ ticketNo, permanent }, `hotline platform did not take the ${what}: ${problem}`);
    const message = `hotline platform did not take the ${what} of ${ticketNo}: ${problem}`;
    throw permanent ? ApplicationFailure.nonRetryable(message, PLATFORM_REFUSED) : ApplicationFailure.retryable(message, PLATFORM_UNAVAILABLE);
  }

  return {
    /** Sends the approved reply of `ticketNo` to the hotline platform and returns its receipt. Safe to retry. */
    async sendReplyToPlatform({ ticketNo, idempotencyKey, reply }: SendReplyInput): Promise<PlatformReceipt> {
      return postToPlatform(ticketNo, 'reply', 'reply', idempotencyKey, {
        text: reply.text,
        repliedBy: reply.repliedBy,
        reviewedBy: reply.reviewedBy,
        contactedAt: reply.contactedAt,
      });
    },

    /**
     * Tells the hotline platform of an acceptance, return request, extension request or extension decision of
     * `ticketNo` and returns its receipt. Safe to retry.
     */
    async notifyPlatform({ ticketNo, idempotencyKey, notice }: NotifyPlatformInput): Promise<PlatformReceipt> {
      return postToPlatform(ticketNo, PLATFORM_NOTICE_PATHS[notice.kind], notice.kind.replace('-', ' '), idempotencyKey, noticeBody(notice));
    },
  };
}
