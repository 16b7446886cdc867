/**
 * notifyPlatform against a real HTTP receiver on 127.0.0.1 standing in for the city's hotline platform: each
 * acceptance, return request, extension request and extension decision goes to its path with its body, the bearer
 * token and the idempotency key, and comes back with the platform's receipt.
 */
import { loadConfig } from '../../lib/config';
import { createPlatformActivities, platformConfig, type NotifyPlatformInput, type PlatformNotice } from '../../activities/platform';
import { capturingLogger, failureOf, json, useReceivers } from './receiver';

const TOKEN = 'platform-token-7f3a9c2e';
const TICKET = 'TJ 2026/0002';

const receiver = useReceivers();

/** The activities pointed at `url` the way the worker configures them, with their log lines captured. */
function activities(url: string) {
  const captured = capturingLogger();
  const platform = platformConfig(loadConfig({ PLATFORM_URL: url, PLATFORM_TOKEN: TOKEN }));
  return { ...createPlatformActivities({ platform, logger: captured.logger }), logs: captured };
}

const notices: Array<[PlatformNotice, string, Record<string, unknown>]> = [
  [
    { kind: 'acceptance', unitId: 'road-transport-bureau', acceptedBy: 'rtb-01', acceptedAt: '2026-10-09T02:30:00.000Z' },
    'acceptance',
    { unitId: 'road-transport-bureau', acceptedBy: 'rtb-01', acceptedAt: '2026-10-09T02:30:00.000Z' },
  ],
  [
    {
      kind: 'return-request',
      unitId: 'road-transport-bureau',
      ground: 'not-our-duty',
      reason: '该事项属市港航局职责',
      evidence: { reasons: '涉事船舶运营属港航管理范围', basis: '《天津市港口条例》第五条', proposedTransferee: 'port-shipping-bureau' },
      requestedAt: '2026-10-09T03:00:00.000Z',
    },
    'return-requests',
    {
      unitId: 'road-transport-bureau',
      ground: 'not-our-duty',
      reason: '该事项属市港航局职责',
      evidence: { reasons: '涉事船舶运营属港航管理范围', basis: '《天津市港口条例》第五条', proposedTransferee: 'port-shipping-bureau' },
      requestedAt: '2026-10-09T03:00:00.000Z',
    },
  ],
  [
    {
      kind: 'extension-request',
      unitId: 'road-transport-bureau',
      requestedDueAt: '2026-10-20T10:00:00.000Z',
      reason: '需调取营运车辆行车记录，协调企业配合',
      reporterOpinion: '同意延期',
      requestedAt: '2026-10-12T01:00:00.000Z',
    },
    'extension-requests',
    {
      unitId: 'road-transport-bureau',
      requestedDueAt: '2026-10-20T10:00:00.000Z',
      reason: '需调取营运车辆行车记录，协调企业配合',
      reporterOpinion: '同意延期',
      requestedAt: '2026-10-12T01:00:00.000Z',
    },
  ],
  [
    { kind: 'extension-decision', approved: true, note: '同意延期至10月20日', dueAt: '2026-10-20T10:00:00.000Z', decidedAt: '2026-10-12T06:00:00.000Z' },
    'extension-decisions',
    { approved: true, note: '同意延期至10月20日', dueAt: '2026-10-20T10:00:00.000Z', decidedAt: '2026-10-12T06:00:00.000Z' },
  ],
  [
    { kind: 'extension-decision', approved: false, note: '理由不充分', dueAt: null, decidedAt: '2026-10-12T06:00:00.000Z' },
    'extension-decisions',
    { approved: false, note: '理由不充分', dueAt: null, decidedAt: '2026-10-12T06:00:00.000Z' },
  ],
];

/** Each case under a readable name: its kind, and for a decision whether it approves. */
const named = notices.map(
  ([notice, path, body]) =>
    [notice.kind === 'extension-decision' ? `${notice.kind} (${notice.approved ? 'approved' : 'refused'})` : notice.kind, notice, path, body] as const,
);

test.each(named)('the %s goes to its path with its body, the bearer token and the idempotency key', async (_what, notice, path, body) => {
  const r = await receiver((_req, res) => json(res, 201, { receiptId: 'R-90001', acceptedAt: '2026-10-12T14:00:00+08:00' }));
  const { notifyPlatform, logs } = activities(`${r.url}/api/`);
  const key = `${TICKET}:${notice.kind}:1`;

  const receipt = await notifyPlatform({ ticketNo: TICKET, idempotencyKey: key, notice });

  expect(receipt).toEqual({ receiptId: 'R-90001', acceptedAt: '2026-10-12T06:00:00.000Z', delivered: 'platform' });
  expect(r.requests).toHaveLength(1);
  const [req] = r.requests;
  expect(req).toMatchObject({ method: 'POST', path: `/api/tickets/TJ%202026%2F0002/${path}` });
  expect(req!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  expect(req!.headers['idempotency-key']).toBe(key);
  expect(req!.headers['content-type']).toBe('application/json');
  // The notice without `kind`, nothing more.
  expect(JSON.parse(req!.rawBody)).toStrictEqual(body);
  // The receipt is logged; the token and the body never are.
  expect(logs.text()).toContain('R-90001');
  expect(logs.text()).not.toContain(TOKEN);
  for (const value of Object.values(body)) if (typeof value === 'string') expect(logs.text()).not.toContain(value);
});

test('only the declared fields are sent: anything else on the notice object stays home', async () => {
  const r = await receiver((_req, res) => json(res, 201, { receiptId: 'R-90002', acceptedAt: '2026-10-09T02:30:00Z' }));
  const { notifyPlatform } = activities(r.url);
  const notice = {
    kind: 'acceptance',
    unitId: 'road-transport-bureau',
    acceptedBy: 'rtb-01',
    acceptedAt: '2026-10-09T02:30:00.000Z',
    reporter: { name: '张三', phone: '13812345678' },
  } as PlatformNotice;

  await notifyPlatform({ ticketNo: TICKET, idempotencyKey: `${TICKET}:acceptance:1`, notice });

  expect(JSON.parse(r.requests[0]!.rawBody)).toStrictEqual({ unitId: 'road-transport-bureau', acceptedBy: 'rtb-01', acceptedAt: '2026-10-09T02:30:00.000Z' });
  expect(r.requests[0]!.rawBody).not.toContain('13812345678');
});

test('a retry after a 503 sends the same key and body, and the second attempt brings the receipt', async () => {
  const r = await receiver((_req, res, index) =>
    index === 0 ? json(res, 503, { message: 'maintenance window' }) : json(res, 201, { receiptId: 'R-90003', acceptedAt: '2026-10-09T03:00:05Z' }),
  );
  const { notifyPlatform } = activities(r.url);
  const input: NotifyPlatformInput = { ticketNo: TICKET, idempotencyKey: `${TICKET}:return-request:0`, notice: notices[1]![0] };

  // Temporal calls the activity again with the same input after a retryable failure.
  const first = await failureOf(notifyPlatform(input));
  expect(first.nonRetryable).toBe(false);
  expect(first.type).toBe('PlatformUnavailable');
  expect(first.message).toContain('HTTP 503');
  const receipt = await notifyPlatform(input);

  expect(receipt).toEqual({ receiptId: 'R-90003', acceptedAt: '2026-10-09T03:00:05.000Z', delivered: 'platform' });
  expect(r.requests).toHaveLength(2);
  expect(r.requests.map((q) => q.headers['idempotency-key'])).toEqual([input.idempotencyKey, input.idempotencyKey]);
  expect(r.requests[1]!.rawBody).toBe(r.requests[0]!.rawBody);
  expect(r.requests.map((q) => q.path)).toEqual([`/tickets/TJ%202026%2F0002/return-requests`, `/tickets/TJ%202026%2F0002/return-requests`]);
});

test('a 409 carrying the receipt means the platform already has this notice: delivered', async () => {
  const r = await receiver((_req, res) =>
    json(res, 409, { receiptId: 'R-90004', acceptedAt: '2026-10-12T06:00:01Z', message: 'duplicate idempotency key' }),
  );
  const { notifyPlatform } = activities(r.url);

  await expect(notifyPlatform({ ticketNo: TICKET, idempotencyKey: `${TICKET}:extension-decision:0`, notice: notices[3]![0] })).resolves.toEqual({
    receiptId: 'R-90004',
    acceptedAt: '2026-10-12T06:00:01.000Z',
    delivered: 'platform',
  });
});

test('a 422 is a refusal: non-retryable PlatformRefused with the platform\'s message', async () => {
  const r = await receiver((_req, res) =>
    json(res, 422, { type: 'about:blank', title: 'Unprocessable Content', detail: '该工单已被平台标记为不得退单' }),
  );
  const { notifyPlatform, logs } = activities(r.url);

  const failure = await failureOf(notifyPlatform({ ticketNo: TICKET, idempotencyKey: `${TICKET}:return-request:0`, notice: notices[1]![0] }));

  expect(failure.nonRetryable).toBe(true);
  expect(failure.type).toBe('PlatformRefused');
  expect(failure.message).toContain('HTTP 422');
  expect(failure.message).toContain('该工单已被平台标记为不得退单');
  expect(failure.message).toContain('return request');
  expect(logs.text()).toContain('该工单已被平台标记为不得退单');
  expect(logs.text()).not.toContain(TOKEN);
  // The body sent is not logged either.
  expect(logs.text()).not.toContain('涉事船舶运营属港航管理范围');
});

test('without a platform (local runs) a notice is kept locally with a local receipt and one log line', async () => {
  const fetchImpl = jest.fn<ReturnType<typeof fetch>, Parameters<typeof fetch>>();
  const { logger, lines } = capturingLogger();
  const { notifyPlatform } = createPlatformActivities({ platform: platformConfig(loadConfig({})), logger, fetchImpl });
  const key = `${TICKET}:extension-request:0`;

  const before = Date.now();
  const receipt = await notifyPlatform({ ticketNo: TICKET, idempotencyKey: key, notice: notices[2]![0] });

  expect(receipt).toMatchObject({ receiptId: `local-${key}`, delivered: 'local' });
  expect(Date.parse(receipt.acceptedAt)).toBeGreaterThanOrEqual(before - 1000);
  expect(Date.parse(receipt.acceptedAt)).toBeLessThanOrEqual(Date.now());
  expect(fetchImpl).not.toHaveBeenCalled();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('extension request kept locally');
  expect(lines[0]).not.toContain('需调取营运车辆行车记录');
});
