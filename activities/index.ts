/** All activities of the ticket workflow, bound to their dependencies. Workflows import only the type. */
import type { Db } from '../lib/db';
import { createPersistenceActivities } from './persistence';

export interface ActivityDeps {
  db: Db;
}

export function createActivities({ db }: ActivityDeps) {
  return { ...createPersistenceActivities(db) };
}

export type Activities = ReturnType<typeof createActivities>;
export type { StepEvent, QueuedNotification, TicketPatch, RecordDispatchInput, RecordStepInput } from './persistence';
