/**
 * RULE_PARAMETERS reach every rule the workflow applies (issue "The ticket core"): a deployment that sets the
 * not-our-duty return window (第八条(三)1) to 48 hours gets a validator and a timer that agree, both on the parameters
 * recorded when the ticket started.
 */
import { TicketService } from '../../api/ticket-service';
import { withOverrides } from '../../rules/parameters';
import * as m from '../../workflows/messages';
import { eventually, timeSkippingRig } from '../helpers/env';
import { ticketDriver, UNIT } from '../helpers/tickets';

const HOUR = 3600_000;
const params = withOverrides({ returnWindowHours: 48 });
const rig = timeSkippingRig('parameters-test', () => ({ params }));
const t = ticketDriver('parameters-test', rig);
beforeAll(() => {
  // The API plans with the same parameters as the worker, as bin/api.ts and bin/worker.ts both read RULE_PARAMETERS.
  rig.service = new TicketService({ db: rig.db, client: rig.env.client, taskQueue: rig.taskQueue, params, now: () => rig.env.currentTimeMs() });
});

const notOurDuty = { ground: 'not-our-duty' as const, evidence: { reasons: '小区内部道路停车收费不属于交通运输部门职责', basis: '《天津市物业管理条例》第六十条', proposedTransferee: '属地街道办事处' } };

test('returnWindowHours 48: the state records it, the window closes at 48 h, and a return at 47 h is accepted', async () => {
  const { d, h } = await t.open();
  const s = await eventually(() => h.query(m.getStateQuery), (x) => x.params !== null);
  expect(s.params!.returnWindowHours.value).toBe(48);
  expect(Date.parse(s.deadlines.returnWindowEndsAt!) - Date.parse(d.dispatchedToUnitAt)).toBe(48 * HOUR);
  await t.update(h, m.acceptUpdate, { unitId: UNIT, acceptedBy: 'acceptor' });
  await rig.env.sleep(47 * HOUR);
  expect((await h.query(m.getStateQuery)).returnWindowClosed).toBe(false);
  expect((await t.update(h, m.returnUpdate, { ...t.actor('acceptor'), ...notOurDuty })).status).toBe('returned');
});

test('returnWindowHours 48: past 48 h the window-closed timer has fired and the same return is refused', async () => {
  const { h } = await t.open();
  await t.update(h, m.acceptUpdate, { unitId: UNIT, acceptedBy: 'acceptor' });
  await rig.env.sleep(48 * HOUR + 60_000);
  expect((await h.query(m.getStateQuery)).returnWindowClosed).toBe(true);
  const r = await t.refused(t.update(h, m.returnUpdate, { ...t.actor('acceptor'), ...notOurDuty }));
  expect(r.rules).toContain('return.window-24h');
});
