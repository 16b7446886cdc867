/**
 * 第十七条 随机抽查回访: each day, 委政务服务处 draws closed tickets of all units for revisit, and each unit's acceptance
 * department draws its own. The draw is deterministic from a recorded seed (rules/revisit drawRevisitSample), so anyone
 * can reproduce and audit it; the seed is made once per (day, sampler) and kept, so a retried activity draws the same
 * tickets and queues the same notifications.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../lib/db';
import type { Prisma } from '../generated/prisma/client';
import type { Parameters } from '../rules/parameters';
import { drawRevisitSample } from '../rules/revisit';
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
