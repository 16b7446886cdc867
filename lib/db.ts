/** The Prisma client, over the pg driver adapter (see lib/pg-adapter.ts). */
import { PrismaClient } from '../generated/prisma/client';
import { prismaPgAdapter } from './pg-adapter';

export type Db = PrismaClient;

/**
 * Every transaction may wait up to 10 s for a connection and run up to 30 s (Prisma's defaults, 2 s and 5 s, turned a
 * loaded machine's slow calendar write into a 503); a transaction that takes longer still fails, with the reason.
 */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;

export function createDb(databaseUrl: string, poolSize = 10): Db {
  return new PrismaClient({ adapter: prismaPgAdapter(databaseUrl, poolSize), transactionOptions: TRANSACTION_OPTIONS });
}
