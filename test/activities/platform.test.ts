/**
 * sendReplyToPlatform against a real HTTP receiver on 127.0.0.1 standing in for the city's hotline platform.
 */
import { ConfigError, loadConfig } from '../../lib/config';
import { createPlatformActivities, platformConfig, type SendReplyInput } from '../../activities/platform';
import { capturingLogger, deadPort, failureOf, json, useReceivers, type Handler } from './receiver';

const TOKEN = 'platform-token-7f3a9c2e';

const receiver = useReceivers();

/** The activity pointed at `url` the way the worker configures it, with its log lines captured. */
function activities(url: string, timeoutMs?: number) {
  const config = platformConfig(loadConfig({ PLATFORM_URL: url, PLATFORM_TOKEN: TOKEN }));
  const captured = capturingLogger();
  const platform = config && { ...config, ...(timeoutMs ? { timeoutMs } : {}) };
  return { ...createPlatformActivities({ platform, logger: captured.logger }), logs: captured };
}

const input: SendReplyInput = {
  ticketNo: 'TJ 2026/0001',
  idempotencyKey: 'TJ 2026/0001:reply:1',
  reply: {
    text: '经核查，涉事驾驶员拒载属实，已依法处罚并对其所在企业约谈。',
    repliedBy: 'handler-li',
    reviewedBy: 'reviewer-wang',
    contactedAt: '2026-10-09T10:00:00+08:00',
  },
};


test('the reply reaches the platform with the bearer token and idempotency key, and its receipt comes back', async () => {
  const r = await receiver((_req, res) => json(res, 201, { receiptId: 'R-88121', acceptedAt: '2026-10-09T10:05:00+08:00' }));
  const { sendReplyToPlatform, logs } = activities(`${r.url}/api/`);

  const receipt = await sendReplyToPlatform(input);

  expect(receipt).toEqual({ receiptId: 'R-88121', acceptedAt: '2026-10-09T02:05:00.000Z', delivered: 'platform' });
  expect(r.requests).toHaveLength(1);
  const [req] = r.requests;
  expect(req).toMatchObject({ method: 'POST', path: '/api/tickets/TJ%202026%2F0001/reply' });
  expect(req!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  expect(req!.headers['idempotency-key']).toBe(input.idempotencyKey);
  expect(req!.headers['content-type']).toBe('application/json');
  expect(JSON.parse(req!.rawBody)).toEqual(input.reply);
  expect(logs.text()).toContain('R-88121');
  expect(logs.text()).not.toContain(TOKEN);
});

test('a 409 carrying the receipt means the platform already has this reply: delivered', async () => {
  const r = await receiver((_req, res) =>
    json(res, 409, { receiptId: 'R-77001', acceptedAt: '2026-10-09T02:05:00Z', message: 'duplicate idempotency key' }),
  );
  const { sendReplyToPlatform } = activities(r.url);

  await expect(sendReplyToPlatform(input)).resolves.toEqual({
    receiptId: 'R-77001',
    acceptedAt: '2026-10-09T02:05:00.000Z',
    delivered: 'platform',
  });
});

test('a 409 without a receipt is a conflict retrying cannot fix: non-retryable', async () => {
  const r = await receiver((_req, res) => json(res, 409, { message: 'ticket already closed by the platform' }));
  const { sendReplyToPlatform } = activities(r.url);

  const failure = await failureOf(sendReplyToPlatform(input));

  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain('ticket already closed by the platform');
});

test.each([
  [422, { type: 'about:blank', title: 'Unprocessable Content', detail: '回复内容未说明联系情况' }, '回复内容未说明联系情况'],
  [401, { message: 'token expired' }, 'token expired'],
])('a %i is a refusal: non-retryable, with the platform\'s message', async (status, body, message) => {
  const r = await receiver((_req, res) => json(res, status, body));
  const { sendReplyToPlatform, logs } = activities(r.url);

  const failure = await failureOf(sendReplyToPlatform(input));

  expect(failure.nonRetryable).toBe(true);
  expect(failure.type).toBe('PlatformRefused');
  expect(failure.message).toContain(`HTTP ${status}`);
  expect(failure.message).toContain(message);
  expect(logs.text()).toContain(message);
  expect(logs.text()).not.toContain(TOKEN);
});

test.each([503, 429, 408])('a %i is transient: retryable', async (status) => {
  const r = await receiver((_req, res) => json(res, status, { message: 'maintenance window' }));
  const { sendReplyToPlatform } = activities(r.url);

  const failure = await failureOf(sendReplyToPlatform(input));

  expect(failure.nonRetryable).toBe(false);
  expect(failure.type).toBe('PlatformUnavailable');
  expect(failure.message).toContain(`HTTP ${status}`);
});

test.each<[string, Handler]>([
  ['not JSON', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>gateway login</html>')],
  ['JSON without a receipt id', (_req, res) => json(res, 200, { acceptedAt: '2026-10-09T02:05:00Z' })],
  ['a receipt with a bad time', (_req, res) => json(res, 200, { receiptId: 'R-1', acceptedAt: 'yesterday' })],
])('a 2xx answer that is %s is not a receipt: retryable', async (_what, handler) => {
  const r = await receiver(handler);
  const { sendReplyToPlatform } = activities(r.url);

  const failure = await failureOf(sendReplyToPlatform(input));

  expect(failure.nonRetryable).toBe(false);
  expect(failure.message).toContain('without a valid receipt');
});

test('a platform that does not answer in time, or is not there, is retryable', async () => {
  const silent = await receiver(() => {
    // never answers
  });
  const slow = await failureOf(activities(silent.url, 300).sendReplyToPlatform(input));
  expect(slow.nonRetryable).toBe(false);
  expect(slow.message).toContain('no answer within 300 ms');

  const down = await failureOf(activities(`http://127.0.0.1:${await deadPort()}`).sendReplyToPlatform(input));
  expect(down.nonRetryable).toBe(false);
  expect(down.message).toContain('network error: ECONNREFUSED');
});

test('without a platform (local runs) the reply is kept locally with a local receipt and one log line', async () => {
  const fetchImpl = jest.fn<ReturnType<typeof fetch>, Parameters<typeof fetch>>();
  const { logger, lines } = capturingLogger();
  const { sendReplyToPlatform } = createPlatformActivities({ platform: platformConfig(loadConfig({})), logger, fetchImpl });

  const before = Date.now();
  const receipt = await sendReplyToPlatform(input);

  expect(receipt).toMatchObject({ receiptId: `local-${input.idempotencyKey}`, delivered: 'local' });
  expect(Date.parse(receipt.acceptedAt)).toBeGreaterThanOrEqual(before - 1000);
  expect(Date.parse(receipt.acceptedAt)).toBeLessThanOrEqual(Date.now());
  expect(fetchImpl).not.toHaveBeenCalled();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('reply kept locally');
});

describe('configuration', () => {
  test('a platform URL without a token is refused, naming PLATFORM_TOKEN', () => {
    expect(() => loadConfig({ PLATFORM_URL: 'https://hotline.example/api' })).toThrow(ConfigError);
    expect(() => loadConfig({ PLATFORM_URL: 'https://hotline.example/api' })).toThrow(/PLATFORM_TOKEN/);
  });

  test('no platform by default; URL and token give one, without a trailing slash', () => {
    expect(platformConfig(loadConfig({}))).toBeNull();
    expect(platformConfig(loadConfig({ PLATFORM_URL: 'https://hotline.example/api/', PLATFORM_TOKEN: TOKEN }))).toEqual({
      baseUrl: 'https://hotline.example/api',
      token: TOKEN,
    });
  });

  test('logging the configuration never writes the token', () => {
    const { logger, text } = capturingLogger();
    const config = loadConfig({ PLATFORM_URL: 'https://hotline.example/api', PLATFORM_TOKEN: TOKEN });
    logger.info(config, 'configuration');
    logger.info({ config, deps: { platform: platformConfig(config) } }, 'configuration');
    expect(text()).toContain('https://hotline.example/api');
    expect(text()).not.toContain(TOKEN);
  });
});
