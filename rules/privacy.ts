/**
 * The reporter's identity in what officials write (decision of ../shared/spec/rules.md, "what the platform receives"):
 * a decision, a note or a reply that names the reporter or quotes their phone number is refused on the ground of
 * 《中华人民共和国个人信息保护法》第十条 — the workflow history keeps what is written for years and the reply goes to the
 * platform — not on the ground of 第十六条.
 *
 * Matching runs on `compact` text (NFKC, no separators), so `１３８１２３４５６７８`, `138-1234-5678`, `（138）12345678`,
 * `+86 138 1234 5678` and `孙　某` are all found. Pure.
 */
import { compact } from './text';
import { verdict, type Verdict, type Violation } from './types';

/** 《中华人民共和国个人信息保护法》第十条: who the reporter is, as the ticket holds it (`null` for an anonymous reporter). */
export interface ReporterIdentity {
  name?: string | null;
  phone?: string | null;
}

/** A name shorter than this (after `compact`) is not looked for: one character would match half the texts. */
const MIN_NAME_LENGTH = 2;
/** The shortest national number looked for (a local number without area code has 7 or 8 digits). */
const MIN_PHONE_DIGITS = 7;

/**
 * The phone's national significant number: digits only, without a leading +86 / 0086 / 86 country code (only in front
 * of at least 9 digits, so a local number starting with 86 stays whole) and without the trunk prefix 0 of a landline.
 * It is then looked for inside the digit runs of the text, which covers the text's own country code and trunk prefix.
 */
function nationalNumber(phone: string): string | undefined {
  const digits = compact(phone).replace(/\D/g, '').replace(/^(?:00)?86(?=\d{9})/, '').replace(/^0/, '');
  return digits.length >= MIN_PHONE_DIGITS ? digits : undefined;
}

/** What of the reporter's identity `text` contains (`姓名`, `联系电话`). */
function identityFound(text: string, reporter: ReporterIdentity): string[] {
  const plain = compact(text).toLowerCase();
  const found: string[] = [];
  const name = reporter.name ? compact(reporter.name).toLowerCase() : '';
  if ([...name].length >= MIN_NAME_LENGTH && plain.includes(name)) found.push('姓名');
  const phone = reporter.phone ? nationalNumber(reporter.phone) : undefined;
  if (phone !== undefined && (plain.match(/\d+/g) ?? []).some((run) => run.includes(phone))) found.push('联系电话');
  return found;
}

/**
 * 《中华人民共和国个人信息保护法》第十条: refuses fields (a decision, a note, a reply draft) that name the reporter or quote
 * their phone number. Walks nested objects and arrays; each string that does is one violation whose `field` is its
 * dotted path (`reply.text`, `items.0.note`).
 */
export function checkNoReporterIdentity(fields: Record<string, unknown>, reporter: ReporterIdentity): Verdict {
  const violations: Violation[] = [];
  const seen = new Set<object>();
  const walk = (value: unknown, path: string[]): void => {
    if (typeof value === 'string') {
      const found = identityFound(value, reporter);
      if (found.length > 0)
        violations.push({
          rule: 'privacy.reporter-identity',
          article: '《中华人民共和国个人信息保护法》第十条',
          reason: `不得在工单办理记录和答复中写入反映人的${found.join('和')}（办理记录长期留存，答复将提交平台）。`,
          ...(path.length > 0 ? { field: path.join('.') } : {}),
        });
    } else if (value !== null && typeof value === 'object' && !seen.has(value)) {
      seen.add(value);
      for (const [key, inner] of Array.isArray(value) ? value.entries() : Object.entries(value)) walk(inner, [...path, String(key)]);
    }
  };
  walk(fields, []);
  return verdict(violations);
}
