/**
 * Mints a bearer token for local use and tests, signed with AUTH_JWT_SECRET (default: the local development secret):
 *   npm run token -- --sub rtb-01 --unit road-transport-bureau --roles acceptor,handler [--name 张三] [--expires 8h]
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { mintToken, ROLES } from '../api/auth';
import { loadConfig } from '../lib/config';

async function main() {
  const { values } = parseArgs({
    options: { sub: { type: 'string' }, unit: { type: 'string' }, roles: { type: 'string' }, name: { type: 'string' }, expires: { type: 'string', default: '8h' } },
  });
  const args = z
    .object({
      sub: z.string().min(1, '--sub is required'),
      unit: z.string().min(1, '--unit is required'),
      roles: z.string().transform((r) => r.split(',').filter(Boolean)).pipe(z.array(z.enum(ROLES)).min(1)),
      name: z.string().optional(),
      expires: z.string(),
    })
    .parse(values);
  const config = loadConfig();
  const token = await mintToken(
    { secret: config.AUTH_JWT_SECRET, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE },
    { userId: args.sub, unitId: args.unit, roles: args.roles, ...(args.name ? { name: args.name } : {}) },
    args.expires,
  );
  process.stdout.write(`${token}\n`);
}

main().catch((err) => {
  console.error(err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n') : err instanceof Error ? err.message : err);
  process.exit(1);
});
