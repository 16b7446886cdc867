/** The Prisma client, over the pg driver adapter (see lib/pg-adapter.ts). */
import { PrismaClient } from '../generated/prisma/client';
import { prismaPgAdapter } from './pg-adapter';

export type Db = PrismaClient;

export function createDb(databaseUrl: string, poolSize = 10): Db {
  return new PrismaClient({ adapter: prismaPgAdapter(databaseUrl, poolSize) });
}
