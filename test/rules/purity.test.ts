/**
 * Static guards of the rule layer's hard constraints: pure and deterministic (no clock, randomness, I/O, environment or
 * Node built-ins), `chinese-days` only in the calendar module, the calendar kept out of the modules a workflow imports
 * for returns / extensions / replies / revisits / supervision / appeals, and TSDoc citing an article on every export.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const RULES = join(__dirname, '../../rules');
const modules = readdirSync(RULES)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''));
const source = (m: string) => readFileSync(join(RULES, `${m}.ts`), 'utf8');
const code = (m: string) => source(m).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

/** Value (not type-only) imports of a module. */
function valueImports(m: string): string[] {
  const out: string[] = [];
  for (const match of code(m).matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
    if (match[2]) continue;
    out.push(match[3]!);
  }
  return out;
}

function reaches(m: string, target: (spec: string) => boolean, seen = new Set<string>()): string[] {
  if (seen.has(m)) return [];
  seen.add(m);
  const hits: string[] = [];
  for (const spec of valueImports(m)) {
    if (target(spec)) hits.push(`${m} → ${spec}`);
    if (spec.startsWith('./')) hits.push(...reaches(spec.slice(2), target, seen));
  }
  return hits;
}

describe('第十一条(四) determinism of the rule layer (Temporal workflow sandbox)', () => {
  it.each(modules)('第十一条(四): rules/%s.ts uses no clock, randomness, environment, I/O or Node built-in', (m) => {
    const c = code(m);
    expect(c).not.toMatch(/Date\.now\s*\(/);
    expect(c).not.toMatch(/new Date\(\s*\)/);
    expect(c).not.toMatch(/Math\.random/);
    expect(c).not.toMatch(/(?<![\w.'"`-])process\.[a-z]/);
    expect(c).not.toMatch(/\bIntl\./);
    expect(c).not.toMatch(/\brequire\(/);
    expect(c).not.toMatch(/\b(setTimeout|setInterval|console)\b/);
    for (const spec of valueImports(m)) expect(spec).toMatch(/^(\.\/[a-z-]+|zod|chinese-days(\/dist\/chinese-days\.json)?)$/);
  });

  it('第十一条: only rules/calendar.ts imports chinese-days', () => {
    const importers = modules.filter((m) => /from\s+['"]chinese-days/.test(code(m)));
    expect(importers).toEqual(['calendar', 'index'].filter((m) => importers.includes(m)));
    expect(importers).toContain('calendar');
    expect(code('index')).not.toMatch(/chinese-days/);
  });

  it.each(['returns', 'extensions', 'reply', 'revisit', 'supervision', 'appeals', 'knowledge-base', 'deadlines', 'monthly', 'clock', 'acceptance', 'lifecycle', 'facts'])(
    '第八条/第十一条: rules/%s.ts does not bundle the calendar or the holiday data',
    (m) => {
      expect(reaches(m, (spec) => spec === './calendar' || spec.startsWith('chinese-days'))).toEqual([]);
    },
  );
});

describe('every export is documented and cites its article', () => {
  const exported = modules
    .filter((m) => m !== 'index')
    .flatMap((m) => {
      const lines = source(m).split('\n');
      return lines.flatMap((line, i) => {
        const match = /^export (?:async )?(function|const|interface|type|class) (\w+)/.exec(line);
        if (!match) return [];
        let j = i - 1;
        while (j >= 0 && lines[j]!.trim() === '') j--;
        const end = j;
        while (j >= 0 && !lines[j]!.includes('/**')) j--;
        const doc = lines[end]?.trim().endsWith('*/') && j >= 0 ? lines.slice(j, end + 1).join('\n') : '';
        return [{ where: `rules/${m}.ts ${match[2]}`, kind: match[1]!, doc }];
      });
    });

  it.each(exported.map((e) => [e.where, e] as const))('TSDoc on %s', (_, e) => {
    expect(e.doc).not.toBe('');
  });

  it.each(exported.filter((e) => e.kind === 'function').map((e) => [e.where, e] as const))('第N条 cited in the TSDoc of %s', (_, e) => {
    expect(e.doc).toMatch(/第[一二三四五六七八九十]+条|《/);
  });

  it('第N条: every violation and finding in the code names an article', () => {
    for (const m of modules) {
      for (const match of code(m).matchAll(/rule: [`'][^`']+[`'],\s*article: ([^,]+),/g)) if (/^['`]/.test(match[1]!)) expect(match[1]).toMatch(/第[一二三四五六七八九十]+条/);
    }
  });
});

describe('every test case names its article', () => {
  const tests = readdirSync(__dirname).filter((f) => f.endsWith('.test.ts'));
  it.each(tests)('第N条 in the names of the cases of %s', (file) => {
    const text = readFileSync(join(__dirname, file), 'utf8');
    for (const match of text.matchAll(/\bit(?:\.each\([\s\S]*?\))?\(\s*'([^']*)'/g)) {
      const title = match[1]!;
      if (title.startsWith('%s')) continue;
      expect(`${file}: ${title}`).toMatch(/第[一二三四五六七八九十N]+条|《|TSDoc/);
    }
  });
});

describe('第N条 rules/index.ts re-exports the public API', () => {
  /** Helpers of the text module that serve the rule modules only. */
  const INTERNAL = new Set(['sentences', 'clauses', 'letters', 'bigrams', 'similarity', 'matchesOf']);
  const index = require('../../rules/index') as Record<string, unknown>;
  it.each(modules.filter((m) => m !== 'index'))('第N条: every value exported by rules/%s.ts is in the index', (m) => {
    const mod = require(`../../rules/${m}`) as Record<string, unknown>;
    for (const name of Object.keys(mod)) if (!INTERNAL.has(name)) expect([m, name, index[name] === mod[name]]).toEqual([m, name, true]);
  });
});
