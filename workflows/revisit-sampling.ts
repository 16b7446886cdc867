/**
 * revisitSamplingWorkflow: the daily draw of closed tickets for revisit (第十七条 随机抽查回访), started by the
 * `revisit-sampling` schedule each morning for the previous day (Asia/Shanghai). The draw is an activity (it needs a
 * random seed and the database); its notifications are delivered like every other.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { addCalendarDays, shanghaiDate, type DateKey } from '../rules/time';
import { NOTIFICATION_OPTIONS, PERSISTENCE_OPTIONS } from './activity-options';

const db = proxyActivities<Activities>(PERSISTENCE_OPTIONS);
const notifier = proxyActivities<Activities>(NOTIFICATION_OPTIONS);

export interface RevisitSamplingInput {
  /** The day whose closed tickets are drawn from; default: yesterday (Asia/Shanghai) in the workflow's time. */
  day?: DateKey;
}

export async function revisitSamplingWorkflow(input: RevisitSamplingInput = {}) {
  const day = input.day ?? addCalendarDays(shanghaiDate(new Date(Date.now())), -1);
  const draws = await db.drawRevisitSamples({ day });
  await Promise.all(draws.flatMap((d) => (d.notificationKey ? [notifier.deliverNotification(d.notificationKey)] : [])));
  return { day, draws: draws.map((d) => ({ sampler: d.sampler, seed: d.seed, candidates: d.candidates.length, drawn: d.drawn })) };
}
