/**
 * The migrated database matches prisma/schema.prisma: the test database (built by prisma migrate deploy in the global
 * set-up) is introspected, and Prisma diffs the result against the schema. Any drift — a model changed without a
 * migration, or a migration edited by hand — shows as a non-empty script.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/tools';

const prisma = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'prisma');

test('the migrations in prisma/migrations produce exactly the database schema.prisma describes', () => {
  const env = { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL!, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  const printed = execFileSync(prisma, ['db', 'pull', '--print'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
  // The CLI prints a notice about the adapter before the schema.
  const introspected = printed.slice(printed.indexOf('generator client'));
  expect(introspected).toContain('model TicketEvent');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-schema-')), 'introspected.prisma');
  fs.writeFileSync(file, introspected);

  const diff = spawnSync(prisma, ['migrate', 'diff', '--from-schema-datamodel', file, '--to-schema-datamodel', 'prisma/schema.prisma', '--script', '--exit-code'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
  // --exit-code: 0 = no difference, 2 = difference, 1 = error.
  expect({ status: diff.status, script: diff.stdout.trim() }).toEqual({ status: 0, script: '-- This is an empty migration.' });
});

test('the units the regulation names are seeded by the first migration (第四条、第五条、第三十一条)', async () => {
  const { testDb } = await import('../helpers/env');
  const db = testDb();
  try {
    const units = await db.unit.findMany({ orderBy: { id: 'asc' } });
    expect(units.map((u) => [u.name, u.kind])).toEqual(
      expect.arrayContaining([
        ['委政务服务处', 'service-division'],
        ['市道路运输局', 'bureau'],
        ['市港航局', 'bureau'],
        ['市交通运输执法总队', 'bureau'],
        ['市公路中心', 'affiliated'],
        ['市综合服务中心', 'affiliated'],
      ]),
    );
  } finally {
    await db.$disconnect();
  }
});
