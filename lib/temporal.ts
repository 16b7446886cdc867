/** Connecting to Temporal and registering the project's search attributes. */
import { Client, Connection, ScheduleAlreadyRunning, type ConnectionOptions } from '@temporalio/client';
import { REVISIT_SAMPLING_SCHEDULE } from '../workflows/messages';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KEYWORD_LIST: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  TEXT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
};

/**
 * Registers every custom search attribute the workflows write that the namespace does not have yet. Safe to repeat.
 * On a cluster where this client may not change the namespace, an administrator registers them instead (README).
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = SEARCH_ATTRIBUTES.filter((k) => !known.has(k.name));
  await addSearchAttributes(connection, namespace, missing);
  return missing.map((k) => k.name);
}

/** Registers `keys` without asking what exists (the time-skipping test server cannot list them). */
export async function addSearchAttributes(connection: Connection, namespace: string, keys: readonly SearchAttributeKey<SearchAttributeType>[] = SEARCH_ATTRIBUTES): Promise<void> {
  if (keys.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(keys.map((k) => [k.name, INDEXED[k.type]!])),
  });
}

/** A client of `namespace` at an address, or with the options of lib/config.ts temporalConnectionOptions (TLS, API key). */
export async function connectClient(target: string | ConnectionOptions, namespace: string): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect(typeof target === 'string' ? { address: target } : target);
  return { connection, client: new Client({ connection, namespace }) };
}

/**
 * The daily revisit draw (第十七条): at 01:00 Asia/Shanghai the `revisit-sampling` schedule starts
 * revisitSamplingWorkflow for the previous day. Created once; an existing schedule is left as it is.
 */
export async function ensureRevisitSchedule(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: REVISIT_SAMPLING_SCHEDULE,
      spec: { calendars: [{ hour: 1, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: 'revisitSamplingWorkflow', taskQueue, args: [{}] },
      policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
