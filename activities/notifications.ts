/**
 * Notification delivery: POSTs one outbox row (`Notification`) to the configured webhook, HMAC-signed, at least once.
 *
 * ## What a receiver gets
 *
 * `POST <NOTIFY_WEBHOOK_URL>` with a JSON body
 * `{ id, kind, ticketNo, recipientRole, recipientUnit, payload, createdAt }` (`id` is the idempotency key, `createdAt`
 * ISO-8601) and the headers
 *
 * | header | value |
 * | --- | --- |
 * | `content-type` | `application/json` |
 * | `Idempotency-Key` | the notification's key, the same on every attempt: a receiver must ignore a key it has seen |
 * | `X-Hotline-Timestamp` | Unix time of this attempt, in seconds |
 * | `X-Hotline-Signature` | `sha256=` + hex HMAC-SHA256, keyed with NOTIFY_WEBHOOK_SECRET, of `<timestamp>.<raw body>` |
 *
 * A receiver verifies with {@link verifySignature} (or the same computation in any language): recompute the HMAC over
 * the timestamp header, a `.`, and the body bytes exactly as received (before any JSON parsing), compare in constant
 * time, and refuse a timestamp more than a few minutes from its clock (replays). Any 2xx acknowledges the delivery.
 *
 * ## Outcome of one attempt
 *
 * - 2xx: the row becomes `sent` (`sentAt`, `attempts + 1`).
 * - Network error, timeout, 408, 429, 5xx (any other non-2xx): `attempts + 1`, `lastError`, the row stays `pending`
 *   and the activity throws a retryable failure: Temporal retries with the NOTIFICATION_OPTIONS preset (workflows/activity-options.ts).
 * - Any other 4xx: the receiver refuses this notification for good: `failed`, non-retryable failure.
 * - Already `sent`: nothing is sent again. No webhook configured: `skipped`, no failure.
 *
 * Payloads never carry reporters' names or numbers (the workflow builds them); free text that reaches a log line or
 * `lastError` is masked anyway. The secret is never logged.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../lib/db';
import type { WebhookConfig } from '../lib/config';
import { createLogger, type Logger } from '../lib/logger';
import { maskPhoneNumbers } from '../lib/pii';

export type { WebhookConfig } from '../lib/config';
export { webhookConfig } from '../lib/config';

/** Per-request limit of an outgoing HTTP call, response body included. */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

/** Default tolerance of {@link verifySignature} between the sender's timestamp and the receiver's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface DeliveryResult {
  key: string;
  /** `sent`: the webhook has it; `skipped`: no webhook is configured, the row stays in the outbox as `skipped`. */
  status: 'sent' | 'skipped';
  /** True when an earlier attempt had delivered it: nothing was sent this time. */
  alreadySent: boolean;
  /** Delivery attempts recorded on the row. */
  attempts: number;
}

export interface NotificationDeps {
  db: Db;
  webhook: WebhookConfig | null;
  logger?: Logger;
  fetchImpl?: typeof fetch;
}

/** The value of `X-Hotline-Signature` for a body sent at `timestamp` (Unix seconds). */
export function signPayload(secret: string, timestamp: number | string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/**
 * Receiver side: true when `header` (`X-Hotline-Signature`) is the signature of `rawBody` at `timestamp`
 * (`X-Hotline-Timestamp`) with `secret`, and the timestamp is within `toleranceSeconds` of `now`. Constant-time.
 */
export function verifySignature(
  secret: string,
  timestamp: string | number | undefined,
  rawBody: string | Buffer,
  header: string | undefined,
  now: Date = new Date(),
  toleranceSeconds: number = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const ts = String(timestamp ?? '');
  if (!/^\d{1,12}$/.test(ts) || !header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(ts)) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, ts, rawBody));
  const given = Buffer.from(header.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** One HTTP attempt: the response (any status) and its text, or why there was none. */
export type HttpOutcome = { status: number; text: string } | { error: string };

/** POSTs `body`, giving up after `timeoutMs` (response body included). Never throws; never names the URL. */
export async function postWithTimeout(
  fetchImpl: typeof fetch,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<HttpOutcome> {
  try {
    const res = await fetchImpl(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { error: `no answer within ${timeoutMs} ms` };
    return { error: `network error: ${e.cause?.code ?? e.message ?? 'unknown'}` };
  }
}

/** A 4xx that retrying cannot fix (everything but 408 Request Timeout and 429 Too Many Requests). */
export function isPermanentRejection(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** Free text from a remote system, made safe and short for a log line or an error: phone numbers masked. */
export function excerpt(text: string, max = 200): string {
  const flat = maskPhoneNumbers(text.replace(/\s+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function createNotificationActivities({ db, webhook, logger, fetchImpl = fetch }: NotificationDeps) {
  const log = logger ?? createLogger('info', 'notifications');

  return {
    /** Delivers the outbox row `key` to the webhook (see the module's documentation). Safe to retry. */
    async deliverNotification(key: string): Promise<DeliveryResult> {
      const row = await db.notification.findUnique({ where: { idempotencyKey: key } });
      if (!row) throw ApplicationFailure.nonRetryable(`no notification queued under key ${key}`, 'NotificationMissing');
      if (row.status === 'sent') return { key, status: 'sent', alreadySent: true, attempts: row.attempts };

      if (!webhook) {
        await db.notification.update({
          where: { idempotencyKey: key },
          data: { status: 'skipped', lastError: 'no webhook configured' },
        });
        log.info({ key, kind: row.kind, ticketNo: row.ticketNo ?? undefined }, 'notification kept in the outbox: no webhook configured (NOTIFY_WEBHOOK_URL)');
        return { key, status: 'skipped', alreadySent: false, attempts: row.attempts };
      }

      const body = JSON.stringify({
        id: key,
        kind: row.kind,
        ticketNo: row.ticketNo,
        recipientRole: row.recipientRole,
        recipientUnit: row.recipientUnit,
        payload: row.payload,
        createdAt: row.createdAt.toISOString(),
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const outcome = await postWithTimeout(
        fetchImpl,
        webhook.url,
        {
          'content-type': 'application/json',
          'Idempotency-Key': key,
          'X-Hotline-Timestamp': String(timestamp),
          'X-Hotline-Signature': signPayload(webhook.secret, timestamp, body),
        },
        body,
        webhook.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
      );

      if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) {
        const sent = await db.notification.update({
          where: { idempotencyKey: key },
          data: { status: 'sent', sentAt: new Date(), attempts: { increment: 1 }, lastError: null },
        });
        log.info({ key, kind: row.kind, ticketNo: row.ticketNo, attempts: sent.attempts }, 'notification delivered');
        return { key, status: 'sent', alreadySent: false, attempts: sent.attempts };
      }

      const lastError =
        'error' in outcome ? outcome.error : excerpt(`HTTP ${outcome.status}${outcome.text ? `: ${outcome.text}` : ''}`);
      const permanent = 'status' in outcome && isPermanentRejection(outcome.status);
      // A concurrent attempt may have delivered it meanwhile: never take `sent` back.
      await db.notification.updateMany({
        where: { idempotencyKey: key, status: { not: 'sent' } },
        data: { status: permanent ? 'failed' : 'pending', attempts: { increment: 1 }, lastError },
      });
      log.warn({ key, kind: row.kind, ticketNo: row.ticketNo ?? undefined, attempt: row.attempts + 1, permanent }, `notification delivery failed: ${lastError}`);
      const message = `webhook delivery of ${key} failed: ${lastError}`;
      throw permanent
        ? ApplicationFailure.nonRetryable(message, 'NotificationRejected')
        : ApplicationFailure.retryable(message, 'NotificationDeliveryFailed');
    },
  };
}
