/**
 * 第二十八条 the monthly opening of appeal packages (the schedule's workflow), on a time-skipping server of its own: the
 * opener starts each package as an abandoned child, after which the test server stops skipping time, so no other
 * test may share its server (they hung when they did, under two parallel suites).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Db } from '../../lib/db';
import { startOfShanghaiDay, type MonthKey } from '../../rules/time';
import { appealPackageWorkflowId } from '../../workflows/appeal-package';
import { eventually, newTicketNo, timeSkippingRig } from '../helpers/env';

const taskQueue = 'appeal-opening-test';
const rig = timeSkippingRig(taskQueue);
let env: TestWorkflowEnvironment;
let db: Db;
beforeAll(() => ({ env, db } = rig));

const HC = 'highway-center';
const CSC = 'comprehensive-service-center';
const MINUTE = 60_000;
const sleepUntil = async (at: number) => env.sleep(Math.max(0, at - (await env.currentTimeMs())));

async function appeals(unitId: string, month: MonthKey, n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await db.appeal.create({ data: { ticketNo: newTicketNo('AP'), unitId, packageMonth: month, reason: '反映人要求赔偿误工费，无法律依据，已解释', evidence: { refs: ['录音-001'] }, filedBy: `${unitId}-leader` } });
}

describe('第二十八条 the monthly opening (the schedule’s workflow)', () => {
  it('第二十八条: on the 1st, every unit with appeals in the month just ended gets its package, once; a unit without none', async () => {
    const month = '2031-03';
    await appeals(HC, month, 2);
    await appeals(CSC, month, 1);
    await appeals('transport-enforcement-corps', '2031-02', 1);
    // The schedule runs at 00:30 on the 1st (Asia/Shanghai) without a month: the month before its own.
    await sleepUntil(startOfShanghaiDay('2031-04-01').getTime() + 30 * MINUTE);
    // Started, then awaited by its status: the test server stops skipping time for good once an abandoned child
    // outlives its closed parent, and waiting on a result would hang a loaded run (seen under two parallel suites).
    const run = async (workflowId: string, args: unknown[]) => {
      const h = await env.client.workflow.start('openAppealPackagesWorkflow', { taskQueue, workflowId, args });
      await eventually(async () => (await h.describe()).status.name, (x) => x === 'COMPLETED', 60_000);
      return h.result();
    };
    const first = await run('appeal-packages-opening-1', [{}]);
    expect(first).toEqual({ month, opened: [CSC, HC], existing: [] });
    const again = await run('appeal-packages-opening-2', [{ month }]);
    expect(again).toEqual({ month, opened: [], existing: [CSC, HC] });
    const rows = await eventually(() => db.appealPackage.findMany({ where: { month } }), (r) => r.length === 2);
    expect(rows.map((r) => r.unitId).sort()).toEqual([CSC, HC]);
    expect(await db.appealPackage.count({ where: { month: '2031-02' } })).toBe(0);
    const d = await env.client.workflow.getHandle(appealPackageWorkflowId(HC, month)).describe();
    expect(d.status.name).toBe('RUNNING');
  });
});
