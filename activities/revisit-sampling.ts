/**
 * 第十七条 随机抽查回访: each day, 委政务服务处 draws closed tickets of all units for revisit, and each unit's acceptance
 * department draws its own. The draw is deterministic from a recorded seed (rules/revisit drawRevisitSample), so anyone
 * can reproduce and audit it; the seed is made once per (day, sampler) and kept, so a retried activity draws the same
 * tickets and queues the same notifications.
 *
 * Each drawn ticket becomes a RevisitTask of its sampler (the revisitor's work list, api/revisits.ts), unique on
 * (ticket, sampler, day) so a retry creates none twice. The task records the 第十九条 exemptions the record already
 * shows (an anonymous reporter of a ticket rated unsatisfied, (三)); the exemptions of (一)(二) are the revisitor's
 * finding, stated when the task is skipped.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../lib/db';
import type { Prisma } from '../generated/prisma/client';
import type { Parameters } from '../rules/parameters';
import type { Satisfaction } from '../rules/facts';
import { drawRevisitSample, revisitExemptions } from '../rules/revisit';
import { endOfShanghaiDay, startOfShanghaiDay, type DateKey } from '../rules/time';
import { SERVICE_DIVISION_UNIT } from '../rules/lifecycle';

export interface SampleDraw {
  sampler: string;
  rate: number;
  seed: string;
  candidates: string[];
  drawn: string[];
  /** Idempotency key of the notification telling the sampler which tickets to revisit (none when nothing was drawn). */
  notificationKey: string | null;
}

/** The platform's rating, by its identifier or its Chinese name (满意 / 基本满意 / 不满意). */
const SATISFACTIONS: Readonly<Record<string, Satisfaction>> = {
  satisfied: 'satisfied',
  'basically-satisfied': 'basically-satisfied',
  unsatisfied: 'unsatisfied',
  满意: 'satisfied',
  基本满意: 'basically-satisfied',
  不满意: 'unsatisfied',
};

/** The platform's rating as the rule layer reads it (an unknown or missing rating is no rating). */
export function ratingOf(satisfaction: string | null): Satisfaction | undefined {
  return satisfaction !== null && Object.hasOwn(SATISFACTIONS, satisfaction) ? SATISFACTIONS[satisfaction] : undefined;
}

export function createRevisitSamplingActivities(db: Db, params: Parameters) {
  return {
    /** Draws the day's revisit samples (委政务服务处 across all units; each unit among its own) and queues the lists. */
    async drawRevisitSamples({ day }: { day: DateKey }): Promise<SampleDraw[]> {
      const closed = await db.ticket.findMany({
        where: { status: 'closed', closedAt: { gte: startOfShanghaiDay(day), lt: endOfShanghaiDay(day) } },
        select: { ticketNo: true, unitId: true },
        orderBy: { ticketNo: 'asc' },
      });
      const pools = new Map<string, { rate: number; candidates: string[] }>();
      pools.set(SERVICE_DIVISION_UNIT, { rate: params.revisitSampleRateServiceDivision.value, candidates: closed.map((t) => t.ticketNo) });
      for (const t of closed) {
        const pool = pools.get(t.unitId) ?? { rate: params.revisitSampleRateUnit.value, candidates: [] };
        pool.candidates.push(t.ticketNo);
        pools.set(t.unitId, pool);
      }
      const draws: SampleDraw[] = [];
      for (const [sampler, pool] of pools) {
        // The first attempt's seed (and candidates) stand: a retry reproduces the same draw.
        await db.revisitSample.createMany({
          data: [{ day, sampler, rate: pool.rate, seed: randomBytes(16).toString('hex'), candidates: pool.candidates, drawn: [] }],
          skipDuplicates: true,
        });
        const row = await db.revisitSample.findUniqueOrThrow({ where: { day_sampler: { day, sampler } } });
        const drawn = drawRevisitSample(row.candidates, row.rate, row.seed);
        await db.revisitSample.update({ where: { id: row.id }, data: { drawn } });
        await createRevisitTasks(db, day, sampler, drawn);
        const notificationKey = drawn.length > 0 ? `revisit-sample:${day}:${sampler}` : null;
        if (notificationKey) {
          await db.notification.createMany({
            data: [
              {
                idempotencyKey: notificationKey,
                kind: 'revisit-sample',
                recipientRole: sampler === SERVICE_DIVISION_UNIT ? 'service-division' : 'unit',
                recipientUnit: sampler,
                payload: { day, tickets: drawn, seed: row.seed, rate: row.rate } as Prisma.InputJsonValue,
              },
            ],
            skipDuplicates: true,
          });
        }
        draws.push({ sampler, rate: row.rate, seed: row.seed, candidates: row.candidates, drawn, notificationKey });
      }
      return draws;
    },
  };
}

/** One RevisitTask per drawn ticket (idempotent: unique on ticket, sampler and day). */
async function createRevisitTasks(db: Db, day: DateKey, sampler: string, drawn: string[]): Promise<void> {
  if (drawn.length === 0) return;
  const tickets = await db.ticket.findMany({
    where: { ticketNo: { in: drawn } },
    select: { ticketNo: true, unitId: true, satisfaction: true, reporterAnonymous: true },
  });
  await db.revisitTask.createMany({
    data: tickets.map((t) => ({
      ticketNo: t.ticketNo,
      day,
      sampler,
      unitId: t.unitId,
      // 第十九条(三) from the record; (一)(二) are the revisitor's finding, stated when skipping.
      exemptions: revisitExemptions({ satisfaction: ratingOf(t.satisfaction), reporterAnonymous: t.reporterAnonymous, assessment: {} }) as unknown as Prisma.InputJsonValue,
    })),
    skipDuplicates: true,
  });
}
