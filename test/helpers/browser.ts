/**
 * The browser of the page tests: Debian's `chromium` (installed by `npm run setup`), or the one CHROMIUM_PATH names.
 * Never a browser downloaded by an npm package.
 */
import { existsSync } from 'node:fs';

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no Chromium at ${candidates.join(', ')}: run npm run setup (Debian: apt-get install chromium fonts-noto-cjk), or set CHROMIUM_PATH`);
  return found;
}
