/** Driving the HTTP API as its users do: requests with a role's token, and a ticket taken to closure through HTTP only. */
import type { Dispatch } from '../../api/schemas';
import { fullReply } from './tickets';
import { eventually } from './env';

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function apiClient(base: () => string, tokens: Record<string, string>) {
  async function call(method: string, path: string, who: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${base()}/api/v1${path}`, {
      method,
      headers: { authorization: tokens[who]!, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async function ok(method: string, path: string, who: string, body?: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const a = await call(method, path, who, body);
    if (a.status >= 300) throw new Error(`${method} ${path} as ${who}: ${a.status} ${JSON.stringify(a.body)}`);
    return a.body;
  }

  /**
   * Dispatches `d` and takes it to closure as the unit's acceptor, handler and reviewer (tokens `dispatcher`,
   * `acceptor`, `handler`, `reviewer`), through HTTP only.
   */
  async function closed(d: Dispatch): Promise<void> {
    await ok('POST', '/tickets', 'dispatcher', d);
    await ok('POST', `/tickets/${d.ticketNo}/accept`, 'acceptor', {});
    await ok('POST', `/tickets/${d.ticketNo}/assign`, 'acceptor', { departmentIds: ['passenger-division'] });
    const at = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    await ok('POST', `/tickets/${d.ticketNo}/contacts`, 'handler', { at, staffName: '李明', method: 'phone', reached: true, outcome: '已向反映人了解情况' });
    await ok('POST', `/tickets/${d.ticketNo}/reply`, 'handler', fullReply(at));
    await ok('POST', `/tickets/${d.ticketNo}/reply/review`, 'reviewer', { approved: true });
    await eventually(() => call('GET', `/tickets/${d.ticketNo}`, 'reviewer'), (a) => a.body?.status === 'closed');
  }

  return { call, ok, closed };
}
