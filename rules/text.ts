/**
 * Text helpers of the rule layer: normalisation of Chinese text as typed by officials and citizens (full-width and
 * half-width forms, quotes, dashes, whitespace), sentence splitting, keyword search. Pure, no dependencies.
 */

/**
 * 第十六条: normalises text for rule checks: NFKC (full-width letters, digits and ASCII punctuation → half-width, so `，：；（）！？`
 * become `,:;()!?`), curly and corner quotes → `"`, dashes → `-`, whitespace runs → one space, no space next to a
 * CJK character, `已经` → `已`.
 */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201C\u201D\u300C\u300D\u300E\u300F]/g, '"')
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/ (?=[^\x00-\x7F])|(?<=[^\x00-\x7F]) /g, '')
    .replace(/已经/g, '已')
    .trim();
}

/** 第八条(三), 第十四条, 第十六条(一): whether a text field is missing: absent, empty or only whitespace and punctuation. */
export function isBlank(text: string | undefined | null): boolean {
  return text === undefined || text === null || normalise(text).replace(/[\p{P}\p{S}\s]/gu, '') === '';
}

/** 第十六条(一): splits normalised text into sentences (。!?; newline, ellipsis). */
export function sentences(text: string): string[] {
  return text
    .split(/[。!?;\n]|\.{3,}/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** 第十六条: splits normalised text into clauses (sentences further split at commas). */
export function clauses(text: string): string[] {
  return sentences(text).flatMap((s) => s.split(/[,，]/).map((c) => c.trim()).filter((c) => c !== ''));
}

/** 第十六条: the CJK characters, letters and digits of a text (punctuation and spaces dropped). */
export function letters(text: string): string {
  return normalise(text).replace(/[^\p{L}\p{N}]/gu, '');
}

/** 第十六条(二)(三): the set of two-character shingles of a text's letters. */
export function bigrams(text: string): Set<string> {
  const s = letters(text);
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

/** 第十六条(三): Dice similarity of two texts' bigram sets (0 … 1). */
export function similarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return (2 * shared) / (x.size + y.size);
}

/** 第十六条: every match of `pattern` (must be global) in `text`, as strings. */
export function matchesOf(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((m) => m[0]);
}

/**
 * 《中华人民共和国个人信息保护法》第十条, 第十六条(二): a text with every separator typed inside names and numbers removed —
 * NFKC (full-width digits and letters → ASCII, ideographic space → space), then whitespace, dots, hyphens and dashes,
 * parentheses and brackets, slashes and underscores dropped: `（１３８）1234-5678` → `13812345678`, `孙　某` → `孙某`.
 */
export function compact(text: string): string {
  return text.normalize('NFKC').replace(/[\s\p{Pd}\u2212._/\\()[\]{}【】〔〕·・•‧]/gu, '');
}
