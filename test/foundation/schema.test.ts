/**
 * The migrated database matches prisma/schema.prisma: the test database (built by prisma migrate deploy in the global
 * set-up) and a scratch database built from the schema alone (`prisma migrate diff --from-empty` as one script) must
 * have the same catalog — every column with its type, nullability and default, every index and every constraint. Any
 * drift — a model changed without a migration, or a migration edited by hand — shows as a difference.
 *
 * The catalogs are compared in SQL rather than through `prisma db pull`: Prisma 6's introspection (its WASM schema
 * engine) aborts on PostgreSQL 18, the embedded server of machines without one.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../lib/tools';
import { adminUrl } from '../helpers/global-setup';

const prisma = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'prisma');

/** The catalog of the public schema, as sorted lines (the migration table aside). */
async function catalog(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, numeric_precision, datetime_precision
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`);
    const indexes = await client.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    const constraints = await client.query(`SELECT c.relname AS table_name, k.conname, k.contype, pg_get_constraintdef(k.oid) AS def
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname <> '_prisma_migrations' AND k.contype IN ('p', 'u', 'f', 'c', 'x')`);
    const types = await client.query(`SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public'`);
    return [
      ...columns.rows.map((r) => `column ${JSON.stringify(r)}`),
      ...indexes.rows.map((r) => `index ${JSON.stringify(r)}`),
      ...constraints.rows.map((r) => `constraint ${JSON.stringify(r)}`),
      ...types.rows.map((r) => `enum ${JSON.stringify(r)}`),
    ].sort();
  } finally {
    await client.end();
  }
}

test('the migrations in prisma/migrations produce exactly the database schema.prisma describes', async () => {
  const migrated = process.env.TEST_DATABASE_URL!;
  const script = execFileSync(prisma, ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', 'prisma/schema.prisma', '--script'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: migrated, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    encoding: 'utf8',
  });
  expect(script).toContain('CREATE TABLE "TicketEvent"');
  const name = `hotline_schema_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl(migrated) });
  await admin.connect();
  const scratch = new URL(migrated);
  scratch.pathname = `/${name}`;
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    const client = new pg.Client({ connectionString: scratch.toString() });
    await client.connect();
    try {
      await client.query(script);
    } finally {
      await client.end();
    }
    const [fromMigrations, fromSchema] = await Promise.all([catalog(migrated), catalog(scratch.toString())]);
    expect(fromMigrations.length).toBeGreaterThan(100);
    const onlyMigrations = fromMigrations.filter((l) => !fromSchema.includes(l));
    const onlySchema = fromSchema.filter((l) => !fromMigrations.includes(l));
    expect({ onlyMigrations, onlySchema }).toEqual({ onlyMigrations: [], onlySchema: [] });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
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
