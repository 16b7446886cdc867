/**
 * After closure through HTTP only (issue 9), on a real Temporal dev server: a related-ticket chain drives 第二十二条(二)
 * from the platform's ratings, and 委政务服务处 reads the supervision cases.
 */
import { bearer, principal } from '../helpers/auth';
import { apiClient } from '../helpers/api-client';
import { devServerRig, dispatch, eventually } from '../helpers/env';

const rig = devServerRig('after-closure-api');
let base = '';
const tokens: Record<string, string> = {};
const api = apiClient(() => base, tokens);
const RTB = 'road-transport-bureau';

beforeAll(async () => {
  base = await rig.listen();
  tokens.dispatcher = await bearer(principal('hotline-platform', ['dispatcher'], 'platform-bridge'));
  tokens.acceptor = await bearer(principal(RTB, ['acceptor'], 'rtb-acceptor'));
  tokens.handler = await bearer(principal(RTB, ['handler'], 'rtb-handler'));
  tokens.reviewer = await bearer(principal(RTB, ['reviewer'], 'rtb-reviewer'));
  tokens.sd = await bearer(principal('service-division', ['supervisor'], 'sd-supervisor'));
  tokens.psb = await bearer(principal('port-shipping-bureau', ['supervisor'], 'psb-supervisor'));
});

/** The same reporter, unit and category each time: the spec's rule relates the reports. */
function report(phone: string, minutesAgo: number) {
  const at = Date.now() - minutesAgo * 60_000;
  return dispatch({ dispatchedAt: new Date(at - 600_000).toISOString(), dispatchedToUnitAt: new Date(at).toISOString(), reporter: { anonymous: false, name: '王五', phone } });
}

test('第二十二条(二): a third report of the problem goes under supervision by itself once an earlier one is rated 不满意', async () => {
  const phone = `137${String(Date.now()).slice(-8)}`;
  const first = report(phone, 50);
  const second = report(phone, 40);
  await api.closed(first);
  await api.closed(second);
  const third = report(phone, 5);
  await api.ok('POST', '/tickets', 'dispatcher', third);
  const seen = await api.ok('GET', `/tickets/${third.ticketNo}`, 'sd');
  expect(seen.related.map((r: { ticketNo: string }) => r.ticketNo).sort()).toEqual([first.ticketNo, second.ticketNo].sort());
  expect(seen.supervised).toBe(false);

  // The platform rates the first report 不满意: the open third report learns of it and is supervised.
  const rating = { ratingId: `R-${first.ticketNo}`, satisfaction: 'unsatisfied', words: '处理结果不满意', ratedAt: new Date(Date.now() - 1000).toISOString() };
  expect((await api.call('POST', `/tickets/${third.ticketNo}/rating`, 'dispatcher', rating)).status).toBe(409);
  await api.ok('POST', `/tickets/${first.ticketNo}/rating`, 'dispatcher', rating);
  await api.ok('POST', `/tickets/${first.ticketNo}/rating`, 'dispatcher', rating);
  const supervised = await eventually(() => api.call('GET', `/supervision?article=${encodeURIComponent('第二十二条(二)')}`, 'sd'), (a) => a.body?.items?.some((c: { ticketNo: string }) => c.ticketNo === third.ticketNo));
  const c = supervised.body.items.find((x: { ticketNo: string }) => x.ticketNo === third.ticketNo);
  expect(c).toMatchObject({ unitId: RTB, status: 'open', escalated: false, triggers: [expect.objectContaining({ article: '第二十二条(二)' })] });
  expect(c.answerDueAt).toEqual(expect.any(String));
  const row = await api.ok('GET', `/tickets/${first.ticketNo}`, 'sd');
  expect(row.events.filter((e: { type: string }) => e.type === 'rated')).toHaveLength(1);
  // Another unit sees none of the cases against this one.
  const other = await api.ok('GET', '/supervision', 'psb');
  expect(other.items.some((x: { ticketNo: string }) => x.ticketNo === third.ticketNo)).toBe(false);
});
