/** Decisions as a careful client sends them in the fault tests: JSON posts, repeated with their Idempotency-Key on a 503. */
import type { Answer } from './api-client';

export async function postJson(url: string, authorization: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { authorization, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/**
 * A decision sent with an Idempotency-Key and repeated with the same key while the answer is a 503 (no worker or no
 * Temporal took it in time), for up to `attempts` seconds. Returns every answer in order.
 */
export async function decideUntilAnswered(url: string, authorization: string, key: string, attempts = 30): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < attempts; i++) {
    const a = await postJson(url, authorization, undefined, { 'idempotency-key': key });
    answers.push(a);
    if (a.status !== 503) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return answers;
}
