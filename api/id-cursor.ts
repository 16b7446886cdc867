/** The keyset cursor of lists ordered by a numeric id (revisit tasks, knowledge-base entries): opaque to callers. */
import { z } from 'zod';
import { BadRequest } from './errors';

export function encodeIdCursor(id: bigint): string {
  return Buffer.from(JSON.stringify({ k: id.toString() })).toString('base64url');
}

/** The id a cursor this API returned names; a 400 naming `cursor` for anything else. */
export function decodeIdCursor(raw: string): bigint {
  try {
    const c = z.object({ k: z.string().regex(/^[0-9]{1,19}$/) }).parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return BigInt(c.k);
  } catch {
    throw new BadRequest('the request is invalid', [{ field: 'cursor', message: 'is not a cursor this API returned' }]);
  }
}
