/**
 * The benchmark's yardstick (issue 12): a workflow that receives the same Updates as a ticket's lifecycle — accept,
 * assign, recordContact, draftReply, reviewReply — with the same commands, keeps a status, and does nothing else:
 * no rule layer, no activities, no timers. What a ticket costs beyond this is the cost of the regulation's code.
 */
import { condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';

type Result = { status: string; sequence: number };
const update = (name: string) => defineUpdate<Result, [unknown]>(name);
export const bareStatusQuery = defineQuery<string>('bareStatus');

export async function bareWorkflow(_input: unknown): Promise<Result> {
  let status = 'dispatched';
  let sequence = 1;
  const step = (to: string) => () => {
    status = to;
    sequence++;
    return { status, sequence };
  };
  setHandler(update('accept'), step('accepted'));
  setHandler(update('assign'), step('assigned'));
  setHandler(update('recordContact'), step('contacted'));
  setHandler(update('draftReply'), step('reply-drafted'));
  setHandler(update('reviewReply'), step('closed'));
  setHandler(bareStatusQuery, () => status);
  await condition(() => status === 'closed');
  return { status, sequence };
}
