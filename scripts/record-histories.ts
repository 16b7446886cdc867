/**
 * Records the histories of representative tickets on the time-skipping server into test/histories/, for the replay
 * test. Run it (npx tsx scripts/record-histories.ts) when a new path of the workflow exists; never to "fix" a replay
 * failure — a failing replay means the change broke running tickets and needs a patched() branch instead.
 *
 * Uses its own scratch database (hotline_record on DATABASE_URL's server), created and migrated here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TicketService } from '../api/ticket-service';
import type { Dispatch } from '../api/schemas';
import { createDb } from '../lib/db';
import { loadConfig } from '../lib/config';
import { resolveDatabase } from '../lib/database';
import { ensureDatabase, migrateDeploy } from './migrate';
import { createWorker } from '../lib/worker';
import { addSearchAttributes } from '../lib/temporal';
import { PROJECT_ROOT, temporalTestServerPath } from '../lib/tools';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import * as m from '../workflows/messages';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

const HOUR = 3600_000;
const OUT = path.join(PROJECT_ROOT, 'test', 'histories');
/** The file prefix of the current workflow version's histories: `timers` since KEEP_TIMERS_PATCH (issue 12). */
const VERSION = 'timers';

async function main() {
  const database = await resolveDatabase(loadConfig(), { anyPort: true });
  const url = new URL(database.url);
  url.pathname = '/hotline_record';
  await ensureDatabase(url.toString());
  migrateDeploy(url.toString());
  const db = createDb(url.toString());
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  await addSearchAttributes(env.connection, 'default');
  const taskQueue = 'record-histories';
  const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, db });
  const service = new TicketService({ db, client: env.client, taskQueue, now: () => env.currentTimeMs() });
  // A ticket that continues as new early, so the continued run's history (it starts from the carried state) is recorded.
  const continuing = new TicketService({ db, client: env.client, taskQueue, now: () => env.currentTimeMs(), historyEventsLimit: 100 });
  const stamp = Date.now().toString(36).toUpperCase();

  const DAY = 24 * HOUR;
  const unit = 'road-transport-bureau';
  const h = (no: string) => env.client.workflow.getHandle(no);
  const at = async (offsetMs = -60_000) => new Date((await env.currentTimeMs()) + offsetMs).toISOString();
  const reply = async (no: string, extra: Partial<m.ReplyDraftCommand> = {}): Promise<m.ReplyDraftCommand> => ({
    by: 'handler',
    unitId: unit,
    text: '市道路运输局工作人员李明（联系电话022-23456789）于2026年11月28日10时30分电话联系反映人。经调查核实，涉事出租车司机拒载属实，已对驾驶员处以罚款200元。反映人表示满意。',
    contactedAt: (await h(no).query(m.getStateQuery)).contacts.at(-1)!.at,
    staffName: '李明',
    staffPhone: '022-23456789',
    process: '经调查核实，涉事出租车司机拒载属实',
    result: '对驾驶员处以罚款200元并扣减服务质量信誉考核分',
    reporterFeedback: '反映人表示满意',
    ...extra,
  });
  const handle = async (no: string) => {
    await h(no).executeUpdate(m.acceptUpdate, { args: [{ unitId: unit, acceptedBy: 'acceptor' }] });
    await h(no).executeUpdate(m.assignUpdate, { args: [{ by: 'acceptor', unitId: unit, departmentIds: ['passenger-division'] }] });
    await h(no).executeUpdate(m.contactUpdate, { args: [{ by: 'handler', unitId: unit, at: await at(), staffName: '李明', method: 'phone', reached: true, outcome: '已了解情况' }] });
  };
  const close = async (no: string, extra: Partial<m.ReplyDraftCommand> = {}) => {
    await h(no).executeUpdate(m.draftReplyUpdate, { args: [await reply(no, extra)] });
    await h(no).executeUpdate(m.reviewReplyUpdate, { args: [{ by: 'reviewer', unitId: unit, approved: true }] });
    while ((await h(no).query(m.getStateQuery)).status !== 'closed') await new Promise((r) => setTimeout(r, 100));
  };

  // Histories of earlier versions (acceptance only; the first full lifecycle; the core before its timers were kept,
  // core-<name>.json) are kept as they are; these are the paths of the current core, written as <VERSION>-<name>.json.
  const scenarios: Record<string, (no: string, d: Dispatch) => Promise<void>> = {
    'lifecycle-closed': async (no) => {
      await handle(no);
      await close(no);
      await env.sleep(31 * DAY);
    },
    'lifecycle-returned-redispatched-withdrawn': async (no) => {
      await h(no).executeUpdate(m.returnUpdate, { args: [{ by: 'acceptor', unitId: unit, ground: 'incomplete-info', evidence: { itemsToVerify: ['事发地点'] } }] });
      await h(no).executeUpdate(m.redispatchUpdate, { args: [{ by: 'platform', unitId: unit, dispatchedToUnitAt: await at(0), note: '已核实' }] });
      await env.sleep(4 * HOUR);
      await h(no).executeUpdate(m.returnUpdate, { args: [{ by: 'acceptor', unitId: unit, ground: 'not-our-duty', evidence: { reasons: '小区内部道路不属交通部门职责', basis: '《天津市物业管理条例》', proposedTransferee: '属地街道' } }] });
      await h(no).executeUpdate(m.withdrawUpdate, { args: [{ by: 'platform', note: '已改派' }] });
    },
    'lifecycle-extension-overdue-supervision': async (no) => {
      await handle(no);
      const s = await h(no).query(m.getStateQuery);
      const requestedDueAt = new Date(Date.parse(s.deadlines.dueAt!) + 3 * DAY).toISOString();
      await h(no).executeUpdate(m.requestExtensionUpdate, { args: [{ by: 'handler', unitId: unit, requestedDueAt, reason: '需现场调研', reporterConsent: true, reporterContactedAt: s.contacts[0]!.at, reporterOpinion: '同意' }] });
      await h(no).executeUpdate(m.decideExtensionUpdate, { args: [{ by: 'sd', unitId: m.SERVICE_DIVISION_UNIT, approved: true, note: '同意' }] });
      await env.sleep(Date.parse(requestedDueAt) - (await env.currentTimeMs()) + HOUR);
      await env.client.workflow.getHandle(`${no}:1`).executeUpdate(m.caseAnswerUpdate, { args: [{ by: 'leader', unitId: unit, report: { documentRef: 'R-1', sealed: true, submittedTo: m.SERVICE_DIVISION_UNIT }, text: '已加快办理' }] });
      await close(no);
      await env.sleep(31 * DAY);
    },
    'lifecycle-reopened-reclosed': async (no) => {
      await handle(no);
      await close(no);
      await h(no).executeUpdate(m.revisitUpdate, { args: [{ by: 'sd', unitId: m.SERVICE_DIVISION_UNIT, orderedBy: 'service-division', satisfaction: 'unsatisfied', verifiedReason: '经核实，反映人对处理结果不满意', newQuestions: true, note: '新疑问' }] });
      await h(no).executeUpdate(m.reopenUpdate, { args: [{ by: 'sd', unitId: m.SERVICE_DIVISION_UNIT, orderedBy: 'service-division', reasons: ['答复新疑问'] }] });
      await h(no).executeUpdate(m.contactUpdate, { args: [{ by: 'handler', unitId: unit, at: await at(), staffName: '李明', method: 'phone', reached: true, outcome: '已答复新疑问' }] });
      await close(no, { itemAnswers: ['已答复新疑问'], sealedReport: { documentRef: 'RTB-R-1', sealed: true, submittedTo: m.SERVICE_DIVISION_UNIT } });
      await env.sleep(31 * DAY);
    },
    'parts-consolidated': async (no) => {
      const psb = 'port-shipping-bureau';
      await handle(no);
      await h(no).executeUpdate(m.partAcceptUpdate, { args: [{ unitId: psb, acceptedBy: 'psb-acceptor' }] });
      await h(no).executeUpdate(m.partResultUpdate, { args: [{ by: 'psb-handler', unitId: psb, result: '已督促轮渡公司公告停航信息' }] });
      await close(no);
      await env.sleep(31 * DAY);
    },
    'continued-as-new': async (no) => {
      await handle(no);
      for (let i = 0; i < 25; i++)
        await h(no).executeUpdate(m.contactUpdate, { args: [{ by: 'handler', unitId: unit, at: await at(), staffName: '李明', method: 'phone', reached: false, outcome: `第${i + 1}次无人接听` }] });
      await close(no);
      await env.sleep(31 * DAY);
    },
  };
  const only = process.argv.slice(2);

  await worker.runUntil(async () => {
    for (const [name, run] of Object.entries(scenarios).filter(([n]) => only.length === 0 || only.includes(n))) {
      const now = await env.currentTimeMs();
      const ticketNo = `REC-${name}-${stamp}`.slice(0, 64);
      const d: Dispatch = {
        ticketNo,
        channel: '12345',
        category: 'complaint',
        urgency: null,
        labels: [],
        dispatchedAt: new Date(now - 600_000).toISOString(),
        unitId: 'road-transport-bureau',
        // Reached the unit five minutes ago: contacts dated a minute ago lie after the arrival.
        dispatchedToUnitAt: new Date(now - 300_000).toISOString(),
        reporter: { anonymous: true },
        subject: 'recorded scenario',
        content: 'recorded scenario',
        ...(name === 'parts-consolidated' ? { parts: [{ unitId: 'port-shipping-bureau', demands: ['轮渡码头停航未公告'] }] } : {}),
      };
      await (name === 'continued-as-new' ? continuing : service).dispatch(d);
      await run(ticketNo, d);
      const handle = env.client.workflow.getHandle(ticketNo);
      await handle.result();
      const history = await handle.fetchHistory();
      fs.writeFileSync(path.join(OUT, `${VERSION}-${name}.json`), historyToJSON(history) + '\n');
      // Each supervision case is its own workflow: its history is recorded too.
      const final = (await handle.result()) as m.TicketState;
      for (const [i, c] of final.cases.entries()) {
        const caseHistory = await env.client.workflow.getHandle(c.id).fetchHistory();
        fs.writeFileSync(path.join(OUT, `${VERSION}-${name}-case-${i + 1}.json`), historyToJSON(caseHistory) + '\n');
      }
      console.log(`recorded ${name}`);
    }
  });
  await env.teardown();
  await db.$disconnect();
  await database.embedded?.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
