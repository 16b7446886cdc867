/** All activities of the ticket workflow, bound to their dependencies. Workflows import only the type. */
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { PlatformConfig, WebhookConfig } from '../lib/config';
import { DEFAULT_PARAMETERS, type Parameters } from '../rules/parameters';
import { createAppealActivities } from './appeals';
import { createDeadlineActivities } from './deadlines';
import { createFilingActivities } from './filings';
import { createNotificationActivities } from './notifications';
import { createPersistenceActivities } from './persistence';
import { createPlatformActivities } from './platform';
import { createRevisitSamplingActivities } from './revisit-sampling';

export interface ActivityDeps {
  db: Db;
  /** The regulation's parameters with the deployment's overrides (rules/parameters.ts). */
  params?: Parameters;
  webhook?: WebhookConfig | null;
  platform?: PlatformConfig | null;
  logger?: Logger;
}

export function createActivities({ db, params = DEFAULT_PARAMETERS, webhook = null, platform = null, logger }: ActivityDeps) {
  return {
    ...createPersistenceActivities(db),
    ...createDeadlineActivities(db, params),
    ...createRevisitSamplingActivities(db, params),
    ...createAppealActivities(db, params),
    ...createFilingActivities(db, params),
    ...createNotificationActivities({ db, webhook, ...(logger ? { logger } : {}) }),
    ...createPlatformActivities({ platform, ...(logger ? { logger } : {}) }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { StepEvent, QueuedNotification, RecipientRole, TicketPatch, RecordDispatchInput, RecordStepInput } from './persistence';
