/**
 * Tickets across units through HTTP only (issue 13): every unit involved sees the ticket and acts on its own part; an
 * uninvolved unit does not see it; the list finds a ticket through its lead or any co-handling unit.
 */
import { bearer, principal } from '../helpers/auth';
import { apiClient } from '../helpers/api-client';
import { devServerRig, dispatch, eventually } from '../helpers/env';

const rig = devServerRig('parts-api');
let base = '';
const tokens: Record<string, string> = {};
const api = apiClient(() => base, tokens);
const RTB = 'road-transport-bureau';
const PSB = 'port-shipping-bureau';
const HWC = 'highway-center';

beforeAll(async () => {
  base = await rig.listen();
  tokens.dispatcher = await bearer(principal('hotline-platform', ['dispatcher'], 'platform-bridge'));
  tokens.rtb = await bearer(principal(RTB, ['acceptor'], 'rtb-acceptor'));
  tokens.psbAcceptor = await bearer(principal(PSB, ['acceptor'], 'psb-acceptor'));
  tokens.psbHandler = await bearer(principal(PSB, ['handler'], 'psb-handler'));
  tokens.hwc = await bearer(principal(HWC, ['acceptor', 'handler'], 'hwc-staff'));
});

function withPart(parts: { unitId: string; demands: string[] }[]) {
  const now = Date.now();
  return dispatch({ dispatchedAt: new Date(now - 600_000).toISOString(), dispatchedToUnitAt: new Date(now - 300_000).toISOString(), parts });
}

test('第九条 the lead and the co-handling unit see the ticket, an uninvolved unit does not; the list finds it through either', async () => {
  const d = withPart([{ unitId: PSB, demands: ['轮渡码头停航未公告'] }]);
  const created = await api.ok('POST', '/tickets', 'dispatcher', d);
  expect(created.ticket).toMatchObject({ unitId: RTB, involvedUnits: [RTB, PSB] });
  expect((await api.call('GET', `/tickets/${d.ticketNo}`, 'psbAcceptor')).status).toBe(200);
  expect((await api.call('GET', `/tickets/${d.ticketNo}`, 'hwc')).status).toBe(404);
  const mine = await api.ok('GET', '/tickets?limit=200', 'psbAcceptor');
  expect(mine.items.map((t: { ticketNo: string }) => t.ticketNo)).toContain(d.ticketNo);
  const filtered = await api.ok('GET', `/tickets?unit=${PSB}&limit=200`, 'dispatcher');
  expect(filtered.items.map((t: { ticketNo: string }) => t.ticketNo)).toContain(d.ticketNo);
  // The co-handling unit acts on its own part, not on the lead's steps.
  expect((await api.call('POST', `/tickets/${d.ticketNo}/accept`, 'psbAcceptor', {})).status).toBe(422);
  const accepted = await api.ok('POST', `/tickets/${d.ticketNo}/parts/accept`, 'psbAcceptor', {});
  expect(accepted.parts).toEqual([expect.objectContaining({ unitId: PSB, status: 'accepted', acceptedBy: 'psb-acceptor' })]);
  const returned = await api.call('POST', `/tickets/${d.ticketNo}/return`, 'psbAcceptor', { ground: 'incomplete-info', evidence: { itemsToVerify: ['码头名称'] } });
  expect(returned.status).toBe(422);
  expect(returned.body.violations).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'return.co-handling-unit', article: '第八条(四)1' })]));
  const submitted = await eventually(() => api.call('POST', `/tickets/${d.ticketNo}/parts/result`, 'psbHandler', { result: '已督促轮渡公司公告停航信息' }), (a) => a.status === 200);
  expect(submitted.body.parts[0]).toMatchObject({ status: 'submitted' });
});

test('a dispatch naming an unknown co-handling unit, or the lead itself, is a 400 naming the field', async () => {
  const unknown = await api.call('POST', '/tickets', 'dispatcher', withPart([{ unitId: 'no-such-unit', demands: ['x'] }]));
  expect(unknown.status).toBe(400);
  expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'parts.0.unitId' })]);
  const lead = await api.call('POST', '/tickets', 'dispatcher', withPart([{ unitId: RTB, demands: ['x'] }]));
  expect(lead.status).toBe(400);
});
