import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { prismaPgAdapter } from './lib/pg-adapter';
import { DEFAULT_DATABASE_URL } from './lib/config';

// schema.prisma reads env("DATABASE_URL"); give it the same default the application uses.
process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;

// The WASM schema engine, driven through the pg adapter: Prisma's native engines cannot be downloaded here.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    return prismaPgAdapter(process.env.DATABASE_URL!, 2);
  },
});
