/**
 * 第十七条 随机抽查回访: the daily draw of closed tickets — 委政务服务处 across all units, each unit among its own —
 * reproducible from its recorded seed, and the same when retried; each drawn ticket becomes one revisit task of its
 * sampler, with the 第十九条 exemptions the record shows (an anonymous reporter of a ticket rated unsatisfied).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Db } from '../../lib/db';
import { createRevisitSamplingActivities } from '../../activities/revisit-sampling';
import { drawRevisitSample } from '../../rules/revisit';
import { DEFAULT_PARAMETERS, withOverrides } from '../../rules/parameters';
import { newTicketNo, timeSkippingRig } from '../helpers/env';

const taskQueue = 'revisit-sampling-test';
const DAY = '2031-05-06';
const rig = timeSkippingRig(taskQueue);
let env: TestWorkflowEnvironment;
let db: Db;
beforeAll(() => ({ env, db } = rig));

async function closedTicket(unitId: string, closedAt: string, record: { reporterAnonymous?: boolean; satisfaction?: string | null } = {}) {
  const ticketNo = newTicketNo('RS');
  await db.ticket.create({
    data: {
      ticketNo,
      channel: '12345',
      category: 'complaint',
      labels: [],
      unitId,
      status: 'closed',
      reporterAnonymous: record.reporterAnonymous ?? true,
      satisfaction: record.satisfaction ?? null,
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

  // Each drawn ticket is one open task of its sampler, with the ticket's unit.
  const tasks = await db.revisitTask.findMany({ where: { day: DAY } });
  expect(tasks.map((t) => `${t.sampler} ${t.ticketNo}`).sort()).toEqual(rows.flatMap((r) => r.drawn.map((t) => `${r.sampler} ${t}`)).sort());
  for (const t of tasks) {
    expect(t.status).toBe('open');
    expect(t.unitId).toBe(rtb.includes(t.ticketNo) ? 'road-transport-bureau' : 'port-shipping-bureau');
    // Anonymous but not rated unsatisfied: 第十九条 exempts only unsatisfied tickets.
    expect(t.exemptions).toEqual([]);
  }

  // Run again (a retry, or a second start): the same draw, no second row, notification or task.
  const second = (await run(`revisit-sampling-${DAY}-b`)) as typeof first;
  expect(second.draws.map((d) => d.drawn)).toEqual(first.draws.map((d) => d.drawn));
  expect(await db.revisitSample.count({ where: { day: DAY } })).toBe(3);
  expect(await db.notification.count({ where: { kind: 'revisit-sample', idempotencyKey: { startsWith: `revisit-sample:${DAY}:` } } })).toBe(3);
  expect(await db.revisitTask.count({ where: { day: DAY } })).toBe(tasks.length);
});

test('第十九条(三) a drawn anonymous ticket rated unsatisfied carries the anonymous exemption; a retried draw makes no task twice', async () => {
  const day = '2031-05-13';
  const at = '2031-05-13T03:00:00Z';
  const anonymousUnsatisfied = await closedTicket('port-shipping-bureau', at, { reporterAnonymous: true, satisfaction: 'unsatisfied' });
  const namedUnsatisfied = await closedTicket('port-shipping-bureau', at, { reporterAnonymous: false, satisfaction: 'unsatisfied' });
  const anonymousSatisfied = await closedTicket('port-shipping-bureau', at, { reporterAnonymous: true, satisfaction: 'satisfied' });
  const anonymousUnrated = await closedTicket('port-shipping-bureau', at, { reporterAnonymous: true });
  const mine = [anonymousUnsatisfied, namedUnsatisfied, anonymousSatisfied, anonymousUnrated];
  // Every closed ticket drawn, by 委政务服务处 and by the unit.
  const { drawRevisitSamples } = createRevisitSamplingActivities(db, withOverrides({ revisitSampleRateServiceDivision: 1, revisitSampleRateUnit: 1 }));
  const draws = await drawRevisitSamples({ day });
  expect(draws.map((d) => d.sampler).sort()).toEqual(['port-shipping-bureau', 'service-division']);
  for (const d of draws) expect([...d.drawn].sort()).toEqual([...mine].sort());

  const tasks = await db.revisitTask.findMany({ where: { day }, orderBy: [{ sampler: 'asc' }, { ticketNo: 'asc' }] });
  expect(tasks).toHaveLength(8);
  const rules = (ticketNo: string, sampler: string) =>
    (tasks.find((t) => t.ticketNo === ticketNo && t.sampler === sampler)!.exemptions as { rule: string; article: string }[]).map((f) => `${f.rule} ${f.article}`);
  for (const sampler of ['service-division', 'port-shipping-bureau']) {
    expect(rules(anonymousUnsatisfied, sampler)).toEqual(['revisit.exempt.anonymous 第十九条(三)']);
    expect(rules(namedUnsatisfied, sampler)).toEqual([]);
    expect(rules(anonymousSatisfied, sampler)).toEqual([]);
    expect(rules(anonymousUnrated, sampler)).toEqual([]);
  }
  expect(new Set(tasks.map((t) => t.unitId))).toEqual(new Set(['port-shipping-bureau']));

  // A retried activity: the same draw, the same tasks, nothing twice.
  const again = await drawRevisitSamples({ day });
  expect(again.map((d) => d.drawn)).toEqual(draws.map((d) => d.drawn));
  expect((await db.revisitTask.findMany({ where: { day } })).map((t) => t.id).sort()).toEqual(tasks.map((t) => t.id).sort());
});
