/**
 * The reporter key (第二十二条(二), spec decision "related tickets"): a keyed hash of the reporter's phone number that
 * finds the same reporter's earlier tickets without the number leaving the intake columns. Only the key is compared,
 * stored on the ticket (`Ticket.reporterKey`) and indexed; the number itself is never matched, logged or sent to a
 * workflow. The key is an HMAC, so someone holding the table but not REPORTER_KEY_SECRET cannot test guessed numbers
 * (the mainland numbering space is small enough to enumerate against a plain hash).
 *
 * The secret must stay the same for as long as tickets are to be matched: a new secret starts a new series of keys.
 */
import { createHmac } from 'node:crypto';

/** A national number (mobile, landline with area code, or local number) once the country code is gone. */
const NATIONAL = /^(?:1[3-9]\d{9}|0\d{9,11}|\d{7,8})$/;

/**
 * The national number of a mainland phone number as the platform may write it (`+86 138-1234-5678`,
 * `008613812345678`, `86 022-23456789`, `022 2345 6789`): its digits, without the country code 86 (written `+86`,
 * `0086` or `86`). A leading 86 that belongs to the number itself (an 8-digit local number such as 86123456) stays.
 */
export function nationalNumber(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.startsWith('0086') && NATIONAL.test(digits.slice(4))) return digits.slice(4);
  if (digits.startsWith('86') && NATIONAL.test(digits.slice(2))) return digits.slice(2);
  return digits;
}

/** HMAC-SHA256 of the reporter's national number under `secret`, hex: equal for every way of writing the number. */
export function reporterKey(phone: string, secret: string): string {
  return createHmac('sha256', secret).update(nationalNumber(phone), 'utf8').digest('hex');
}
