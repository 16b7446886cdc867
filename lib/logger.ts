/** Structured logs (pino). Reporter identities, phone numbers and credentials are redacted wherever they appear. */
import pino from 'pino';
import { maskPhoneNumbers } from './pii';

const REDACT = [
  'reporter',
  '*.reporter',
  '*.*.reporter',
  'phone',
  '*.phone',
  '*.*.phone',
  'reporterName',
  'reporterPhone',
  '*.reporterName',
  '*.reporterPhone',
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'password',
  '*.password',
  'secret',
  '*.secret',
  '*.*.secret',
  'token',
  '*.token',
  '*.*.token',
  '*.headers.authorization',
  // The webhook's signing key and the hotline platform's token, should a configuration object be logged.
  'NOTIFY_WEBHOOK_SECRET',
  '*.NOTIFY_WEBHOOK_SECRET',
  'PLATFORM_TOKEN',
  '*.PLATFORM_TOKEN',
];

export type Logger = pino.Logger;

export function createLogger(level: string, name = 'hotline', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    // Free-text messages may quote a reporter's number: mask it before it is written.
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskPhoneNumbers(a) : a)) as typeof args;
        return method.apply(this, masked);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
