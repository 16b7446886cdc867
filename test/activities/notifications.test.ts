/**
 * deliverNotification against a real HTTP receiver on 127.0.0.1 and the real test database: signed, idempotent,
 * retried on transient failures, given up on refusals, kept in the outbox without a webhook.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../../lib/db';
import { ConfigError, loadConfig } from '../../lib/config';
import {
  createNotificationActivities,
  signPayload,
  verifySignature,
  webhookConfig,
  type WebhookConfig,
} from '../../activities/notifications';
import { testDb } from '../helpers/env';
import { capturingLogger, failureOf, json, useReceivers, type Handler } from './receiver';

const SECRET = 'whsec-test-0123456789abcdef';

let db: Db;
const receiver = useReceivers();

beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

/** Queues an outbox row the way recordStep does and returns its key. */
async function queue(kind = 'accept-reminder'): Promise<string> {
  const key = `test-${kind}-${randomBytes(6).toString('hex')}`;
  await db.notification.create({
    data: {
      idempotencyKey: key,
      ticketNo: 'T-NOTIFY-1',
      kind,
      recipientRole: 'service-division',
      recipientUnit: 'service-division',
      payload: { acceptDueAt: '2026-10-09T11:10:00.000Z', unitId: 'road-transport-bureau' },
    },
  });
  return key;
}

/** The documented scheme, computed independently of the module: hex HMAC-SHA256 of `<timestamp>.<raw body>`. */
const documentedSignature = (timestamp: string, rawBody: string) =>
  `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${rawBody}`).digest('hex')}`;

const row = (key: string) => db.notification.findUniqueOrThrow({ where: { idempotencyKey: key } });


function activities(url: string, extra: Partial<WebhookConfig> = {}) {
  const captured = capturingLogger();
  const webhook: WebhookConfig = { url, secret: SECRET, ...extra };
  return { ...createNotificationActivities({ db, webhook, logger: captured.logger }), logs: captured };
}

/** A receiver that accepts only correctly signed requests (401 otherwise), as a real one would. */
const verifying =
  (answer: Handler = (_req, res) => json(res, 202, { ok: true })): Handler =>
  (req, res, index) => {
    const valid = verifySignature(
      SECRET,
      req.headers['x-hotline-timestamp'] as string,
      req.rawBody,
      req.headers['x-hotline-signature'] as string,
      new Date(),
      60,
    );
    if (!valid) return json(res, 401, { error: 'bad signature' });
    answer(req, res, index);
  };

test('a notification is delivered signed: the receiver verifies it and gets the outbox row as JSON', async () => {
  const r = await receiver(verifying());
  const { deliverNotification, logs } = activities(`${r.url}/hooks/hotline`);
  const key = await queue();

  const result = await deliverNotification(key);

  expect(result).toEqual({ key, status: 'sent', alreadySent: false, attempts: 1 });
  expect(r.requests).toHaveLength(1);
  const [req] = r.requests;
  expect(req).toMatchObject({ method: 'POST', path: '/hooks/hotline' });
  expect(req!.headers['content-type']).toBe('application/json');
  expect(req!.headers['idempotency-key']).toBe(key);
  expect(Number(req!.headers['x-hotline-timestamp'])).toBeCloseTo(Date.now() / 1000, -2);
  expect(req!.headers['x-hotline-signature']).toBe(documentedSignature(req!.headers['x-hotline-timestamp'] as string, req!.rawBody));
  const stored = await row(key);
  expect(JSON.parse(req!.rawBody)).toEqual({
    id: key,
    kind: 'accept-reminder',
    ticketNo: 'T-NOTIFY-1',
    recipientRole: 'service-division',
    recipientUnit: 'service-division',
    payload: { acceptDueAt: '2026-10-09T11:10:00.000Z', unitId: 'road-transport-bureau' },
    createdAt: stored.createdAt.toISOString(),
  });
  expect(stored).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
  expect(stored.sentAt).toBeInstanceOf(Date);
  expect(logs.text()).toContain('notification delivered');
  expect(logs.text()).not.toContain(SECRET);
});

test('verifySignature refuses another secret, a changed body, a stale timestamp and a malformed header', () => {
  const body = '{"id":"k1","kind":"overdue"}';
  const now = new Date('2026-10-09T08:00:00Z');
  const ts = Math.floor(now.getTime() / 1000);
  const header = signPayload(SECRET, ts, body);

  expect(header).toBe(documentedSignature(String(ts), body));
  expect(verifySignature(SECRET, String(ts), body, header, now, 300)).toBe(true);
  expect(verifySignature(SECRET, String(ts), Buffer.from(body), header.toUpperCase().replace('SHA256=', 'sha256='), now, 300)).toBe(true);
  expect(verifySignature('another-secret-0123456789', String(ts), body, header, now, 300)).toBe(false);
  expect(verifySignature(SECRET, String(ts), body.replace('overdue', 'reminder'), header, now, 300)).toBe(false);
  expect(verifySignature(SECRET, String(ts + 1), body, header, now, 300)).toBe(false);
  // The same signed request replayed ten minutes later.
  expect(verifySignature(SECRET, String(ts), body, header, new Date(now.getTime() + 600_000), 300)).toBe(false);
  expect(verifySignature(SECRET, String(ts), body, header.slice(0, -2), now, 300)).toBe(false);
  expect(verifySignature(SECRET, String(ts), body, undefined, now, 300)).toBe(false);
  expect(verifySignature(SECRET, undefined, body, header, now, 300)).toBe(false);
});

test('delivering a notification that was already sent sends nothing again', async () => {
  const r = await receiver(verifying());
  const { deliverNotification } = activities(r.url);
  const key = await queue();

  await deliverNotification(key);
  const again = await deliverNotification(key);

  expect(again).toEqual({ key, status: 'sent', alreadySent: true, attempts: 1 });
  expect(r.requests).toHaveLength(1);
  expect(await row(key)).toMatchObject({ status: 'sent', attempts: 1 });
});

test('a 500 fails the attempt retryably; the retry delivers with the same Idempotency-Key', async () => {
  const r = await receiver(
    verifying((_req, res, index) => (index === 0 ? json(res, 500, { error: 'database unavailable' }) : json(res, 200, {}))),
  );
  const { deliverNotification } = activities(r.url);
  const key = await queue('overdue');

  const failure = await failureOf(deliverNotification(key));
  expect(failure.nonRetryable).toBe(false);
  expect(failure.type).toBe('NotificationDeliveryFailed');
  expect(failure.message).toContain('HTTP 500');
  expect(await row(key)).toMatchObject({ status: 'pending', attempts: 1, sentAt: null });
  expect((await row(key)).lastError).toContain('HTTP 500');

  const result = await deliverNotification(key);
  expect(result).toEqual({ key, status: 'sent', alreadySent: false, attempts: 2 });
  expect(await row(key)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  expect(r.requests.map((q) => q.headers['idempotency-key'])).toEqual([key, key]);
});

test.each([408, 429, 503])('HTTP %i is transient: retryable, the row stays pending', async (status) => {
  const r = await receiver((_req, res) => json(res, status, {}));
  const { deliverNotification } = activities(r.url);
  const key = await queue();

  const failure = await failureOf(deliverNotification(key));

  expect(failure.nonRetryable).toBe(false);
  expect(await row(key)).toMatchObject({ status: 'pending', attempts: 1, lastError: `HTTP ${status}: {}` });
});

test('a 400 is a refusal: non-retryable, the row is failed with the receiver\'s answer, phone numbers masked', async () => {
  const r = await receiver((_req, res) => json(res, 400, { error: 'unknown recipient, operator on duty 13812345678' }));
  const { deliverNotification, logs } = activities(r.url);
  const key = await queue();

  const failure = await failureOf(deliverNotification(key));

  expect(failure.nonRetryable).toBe(true);
  expect(failure.type).toBe('NotificationRejected');
  const stored = await row(key);
  expect(stored).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
  expect(stored.lastError).toContain('HTTP 400');
  expect(stored.lastError).toContain('unknown recipient');
  expect(stored.lastError).not.toContain('13812345678');
  expect(logs.text()).toContain('notification delivery failed');
  expect(logs.text()).not.toContain('13812345678');
  expect(logs.text()).not.toContain(SECRET);
});

test('a receiver that does not answer in time fails the attempt retryably', async () => {
  const r = await receiver(() => {
    // never answers
  });
  const { deliverNotification } = activities(r.url, { timeoutMs: 300 });
  const key = await queue();

  const started = Date.now();
  const failure = await failureOf(deliverNotification(key));

  expect(Date.now() - started).toBeLessThan(5000);
  expect(failure.nonRetryable).toBe(false);
  expect(r.requests).toHaveLength(1);
  expect(await row(key)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'no answer within 300 ms' });
});

test('without a webhook the notification stays in the outbox as skipped, and nothing is sent', async () => {
  const fetchImpl = jest.fn<ReturnType<typeof fetch>, Parameters<typeof fetch>>();
  const { logger, text } = capturingLogger();
  const { deliverNotification } = createNotificationActivities({ db, webhook: null, logger, fetchImpl });
  const key = await queue();

  const result = await deliverNotification(key);

  expect(result).toEqual({ key, status: 'skipped', alreadySent: false, attempts: 0 });
  expect(fetchImpl).not.toHaveBeenCalled();
  expect(await row(key)).toMatchObject({ status: 'skipped', attempts: 0, lastError: 'no webhook configured', sentAt: null });
  expect(text()).toContain('no webhook configured');
});

test('a key with no outbox row is a non-retryable failure', async () => {
  const { deliverNotification } = activities('http://127.0.0.1:9');

  const failure = await failureOf(deliverNotification('test-no-such-key'));

  expect(failure.nonRetryable).toBe(true);
  expect(failure.type).toBe('NotificationMissing');
});

describe('configuration', () => {
  test('a webhook URL without a secret is refused, naming NOTIFY_WEBHOOK_SECRET', () => {
    expect(() => loadConfig({ NOTIFY_WEBHOOK_URL: 'https://hooks.example/hotline' })).toThrow(ConfigError);
    expect(() => loadConfig({ NOTIFY_WEBHOOK_URL: 'https://hooks.example/hotline' })).toThrow(/NOTIFY_WEBHOOK_SECRET/);
  });

  test('a secret shorter than 16 characters is refused, and every other bad variable is named in the same run', () => {
    expect(() => loadConfig({ NOTIFY_WEBHOOK_URL: 'https://hooks.example/hotline', NOTIFY_WEBHOOK_SECRET: 'short' })).toThrow(
      /NOTIFY_WEBHOOK_SECRET: must be at least 16 characters/,
    );
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', NOTIFY_WEBHOOK_URL: 'https://hooks.example/hotline' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('PORT');
    expect(message).toContain('NOTIFY_WEBHOOK_SECRET');
  });

  test('a webhook URL must be http(s)', () => {
    expect(() => loadConfig({ NOTIFY_WEBHOOK_URL: 'ftp://hooks.example', NOTIFY_WEBHOOK_SECRET: SECRET })).toThrow(
      /NOTIFY_WEBHOOK_URL/,
    );
  });

  test('no webhook by default (also when the variables are empty); URL and secret give a webhook', () => {
    expect(webhookConfig(loadConfig({}))).toBeNull();
    expect(webhookConfig(loadConfig({ NOTIFY_WEBHOOK_URL: '', NOTIFY_WEBHOOK_SECRET: '' }))).toBeNull();
    expect(webhookConfig(loadConfig({ NOTIFY_WEBHOOK_URL: 'https://hooks.example/hotline', NOTIFY_WEBHOOK_SECRET: SECRET }))).toEqual({
      url: 'https://hooks.example/hotline',
      secret: SECRET,
    });
  });

  test('logging the configuration or the webhook never writes the secret', () => {
    const { logger, text } = capturingLogger();
    const config = loadConfig({ NOTIFY_WEBHOOK_URL: 'https://hooks.example/hotline', NOTIFY_WEBHOOK_SECRET: SECRET });
    logger.info(config, 'configuration');
    logger.info({ config }, 'configuration');
    logger.info({ deps: { webhook: webhookConfig(config) } }, 'dependencies');
    expect(text()).toContain('https://hooks.example/hotline');
    expect(text()).not.toContain(SECRET);
  });
});
