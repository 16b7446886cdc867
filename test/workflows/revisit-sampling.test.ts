/**
 * 第十七条 随机抽查回访: the daily draw of closed tickets — 委政务服务处 across all units, each unit among its own —
 * reproducible from its recorded seed, and the same when retried.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Db } from '../../lib/db';
import { drawRevisitSample } from '../../rules/revisit';
import { DEFAULT_PARAMETERS } from '../../rules/parameters';
import { newTicketNo, timeSkippingRig } from '../helpers/env';

const taskQueue = 'revisit-sampling-test';
const DAY = '2031-05-06';
const rig = timeSkippingRig(taskQueue);
let env: TestWorkflowEnvironment;
let db: Db;
beforeAll(() => ({ env, db } = rig));

async function closedTicket(unitId: string, closedAt: string) {
  const ticketNo = newTicketNo('RS');
  await db.ticket.create({
    data: {
      ticketNo,
      channel: '12345',
      category: 'complaint',
      labels: [],
      unitId,
      status: 'closed',
      reporterAnonymous: true,
      subject: '抽查样本',
      content: '抽查样本',
      dispatchedAt: new Date('2031-04-28T02:00:00Z'),
      dispatchedToUnitAt: new Date('2031-04-28T02:10:00Z'),
      acceptDueAt: new Date('2031-04-28T05:10:00Z'),
      closedAt: new Date(closedAt),
    },
  });
  return ticketNo;
}

test('第十七条 the day\'s closed tickets are drawn at the parameter rates, reproducibly from the recorded seed, once', async () => {
  const rtb: string[] = [];
  const psb: string[] = [];
  // 2031-05-06 in Asia/Shanghai runs from 2031-05-05T16:00Z to 2031-05-06T16:00Z.
  for (let i = 0; i < 8; i++) rtb.push(await closedTicket('road-transport-bureau', `2031-05-05T${String(16 + (i % 7)).padStart(2, '0')}:30:00Z`));
  for (let i = 0; i < 4; i++) psb.push(await closedTicket('port-shipping-bureau', `2031-05-06T0${i}:15:00Z`));
  const outside = await closedTicket('road-transport-bureau', '2031-05-06T16:00:00Z'); // 2031-05-07 00:00 in Tianjin

  const run = (id: string) => env.client.workflow.execute('revisitSamplingWorkflow', { taskQueue, workflowId: id, args: [{ day: DAY }] });
  const first = (await run(`revisit-sampling-${DAY}-a`)) as { draws: { sampler: string; drawn: string[] }[] };
  const rows = await db.revisitSample.findMany({ where: { day: DAY }, orderBy: { sampler: 'asc' } });
  const bySampler = Object.fromEntries(rows.map((r) => [r.sampler, r]));
  expect(Object.keys(bySampler).sort()).toEqual(['port-shipping-bureau', 'road-transport-bureau', 'service-division']);
  expect(bySampler['service-division']!.candidates.sort()).toEqual([...rtb, ...psb].sort());
  expect(bySampler['service-division']!.candidates).not.toContain(outside);
  expect(bySampler['road-transport-bureau']!.candidates.sort()).toEqual([...rtb].sort());
  // ⌈rate × n⌉: 10 % of 12, 20 % of 8, 20 % of 4.
  expect(bySampler['service-division']!.drawn).toHaveLength(Math.ceil(DEFAULT_PARAMETERS.revisitSampleRateServiceDivision.value * 12));
  expect(bySampler['road-transport-bureau']!.drawn).toHaveLength(Math.ceil(DEFAULT_PARAMETERS.revisitSampleRateUnit.value * 8));
  expect(bySampler['port-shipping-bureau']!.drawn).toHaveLength(1);
  for (const r of rows) {
    // Anyone can audit the draw from the recorded seed.
    expect(r.drawn).toEqual(drawRevisitSample(r.candidates, r.rate, r.seed));
    for (const t of r.drawn) expect(r.candidates).toContain(t);
  }
  const notes = await db.notification.findMany({ where: { kind: 'revisit-sample', idempotencyKey: { startsWith: `revisit-sample:${DAY}:` } } });
  expect(notes.map((n) => [n.recipientRole, n.recipientUnit]).sort()).toEqual([
    ['service-division', 'service-division'],
    ['unit', 'port-shipping-bureau'],
    ['unit', 'road-transport-bureau'],
  ]);

  // Run again (a retry, or a second start): the same draw, no second row or notification.
  const second = (await run(`revisit-sampling-${DAY}-b`)) as typeof first;
  expect(second.draws.map((d) => d.drawn)).toEqual(first.draws.map((d) => d.drawn));
  expect(await db.revisitSample.count({ where: { day: DAY } })).toBe(3);
  expect(await db.notification.count({ where: { kind: 'revisit-sample', idempotencyKey: { startsWith: `revisit-sample:${DAY}:` } } })).toBe(3);
});
