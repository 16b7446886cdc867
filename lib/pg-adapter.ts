/**
 * The PostgreSQL driver adapter used by Prisma, both at run time and by the Prisma CLI (prisma.config.ts).
 *
 * This machine cannot download Prisma's native engines, so the CLI runs its WASM schema engine through this adapter.
 * That engine's introspection queries return PostgreSQL's internal `name` (OID 19) and `"char"` (OID 18) columns, which
 * @prisma/adapter-pg 6.x refuses as unsupported types (upstream bug prisma/orm#27403). Both are plain text on the
 * wire, so each pooled connection reports them as `text` (OID 25). Nothing else changes.
 */
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';

const PG_NAME = 19;
const PG_CHAR = 18;
const PG_TEXT = 25;

type FieldsCarrier = { fields?: Array<{ dataTypeID: number }> };

function reportInternalTextTypesAsText<T>(result: T): T {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of (r as FieldsCarrier | undefined)?.fields ?? []) {
      if (field.dataTypeID === PG_NAME || field.dataTypeID === PG_CHAR) field.dataTypeID = PG_TEXT;
    }
  }
  return result;
}

function patchClient(client: pg.PoolClient): void {
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const callback = last as (err: unknown, res: unknown) => void;
      args[args.length - 1] = (err: unknown, res: unknown) => callback(err, err ? res : reportInternalTextTypesAsText(res));
      return original(...args);
    }
    const out = original(...args);
    return out instanceof Promise ? out.then(reportInternalTextTypesAsText) : out;
  };
}

/** A pg pool whose connections report `name`/`"char"` columns as text (see the module comment). */
export function createPgPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('connect', patchClient);
  // An idle client's error (e.g. the server restarted) must not crash the process; the pool replaces the client.
  pool.on('error', () => undefined);
  return pool;
}

/** The Prisma driver-adapter factory for `connectionString`. */
export function prismaPgAdapter(connectionString: string, max?: number): PrismaPg {
  return new PrismaPg(createPgPool(connectionString, max));
}
