/**
 * Named timeout and retry presets of the ticket workflow's activities. Pure constants (no Node modules), so workflow
 * code can import them; the activity modules re-export the ones that concern them.
 */
import type { ActivityOptions } from '@temporalio/common';
import type { LocalActivityOptions } from '@temporalio/workflow';

/** Persistence and deadline planning: short, retried until the database is back (a step must not be lost). */
export const PERSISTENCE_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const satisfies ActivityOptions;

/**
 * Webhook delivery of queued notifications: at least once, backing off to one attempt every 10 minutes; no maximum
 * attempts — a notification is retried until the receiver takes it or refuses it (4xx). Each HTTP request is itself
 * limited to 10 s.
 */
export const NOTIFICATION_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
} as const satisfies ActivityOptions;

/** The hotline platform connector: the reply is retried until the platform takes it or refuses it (4xx). */
export const PLATFORM_OPTIONS = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
} as const satisfies ActivityOptions;

/**
 * Local activities of a decision (persistence, deadline planning): they ride in the decision's own workflow task. Retried
 * until the database is back; a failure the activity marks non-retryable (a row the database refuses) is not retried.
 */
export const LOCAL_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const satisfies LocalActivityOptions;
