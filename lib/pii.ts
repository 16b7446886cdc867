/**
 * Reporters' personal data. Their names and phone numbers stay in PostgreSQL: they never enter workflow history
 * (which keeps every input forever and is shown in the Temporal UI) and never reach a log line.
 */

/** Mainland mobile numbers, landlines with or without area code, and long digit runs that could be either. */
const PHONE_LIKE = /(?<!\d)(?:\+?86[-\s]?)?(?:1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}|0\d{2,3}[-\s]?\d{7,8}|\d{7,8})(?!\d)/g;

/** Replaces every phone-like number in free text, keeping the last two digits (e.g. `138****78`). */
export function maskPhoneNumbers(text: string): string {
  return text.replace(PHONE_LIKE, (m) => {
    const digits = m.replace(/\D/g, '');
    return `${digits.slice(0, digits.length > 8 ? 3 : 0)}****${digits.slice(-2)}`;
  });
}
