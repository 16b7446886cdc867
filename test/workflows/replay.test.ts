/**
 * Replay: committed histories of representative tickets run through the current workflow code. A change that would
 * make a running ticket's workflow non-deterministic fails here (record new histories with
 * scripts/record-histories.ts when a new path exists; keep the old ones).
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../lib/worker';

const dir = path.join(__dirname, '..', 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

test('there are recorded histories to replay', () => {
  expect(files).toEqual(
    expect.arrayContaining([
      'accepted-on-time.json',
      'accepted-after-overdue.json',
      'lifecycle-closed.json',
      'lifecycle-returned-redispatched-withdrawn.json',
      'lifecycle-extension-overdue-supervision.json',
      'lifecycle-reopened-reclosed.json',
      'core-lifecycle-closed.json',
      'core-lifecycle-returned-redispatched-withdrawn.json',
      'core-lifecycle-extension-overdue-supervision.json',
      'core-lifecycle-reopened-reclosed.json',
      'core-continued-as-new.json',
      'core-parts-consolidated.json',
      'core-lifecycle-extension-overdue-supervision-case-1.json',
      // Since KEEP_TIMERS_PATCH (issue 12): a timer kept while its due instant stays.
      'timers-lifecycle-closed.json',
      'timers-lifecycle-returned-redispatched-withdrawn.json',
      'timers-lifecycle-extension-overdue-supervision.json',
      'timers-lifecycle-reopened-reclosed.json',
      'timers-continued-as-new.json',
      'timers-parts-consolidated.json',
    ]),
  );
});

test.each(files)('%s replays deterministically on the current workflow code', async (file) => {
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  await expect(Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history, file)).resolves.toBeUndefined();
});
