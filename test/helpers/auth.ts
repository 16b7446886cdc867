/** Tokens for tests: the same HS256 scheme as local runs, with a test secret. */
import { mintToken, type Principal, type Role } from '../../api/auth';

export const TEST_AUTH = { secret: 'test-only-secret-of-the-hotline-suite-0123456789', issuer: 'tj-transport-hotline', audience: 'hotline-api' };

export function principal(unitId: string, roles: Role[], userId = `${unitId}-${roles.join('-')}`): Principal {
  return { userId, unitId, roles };
}

/** `Authorization` header value for a principal. */
export async function bearer(p: Principal): Promise<string> {
  return `Bearer ${await mintToken(TEST_AUTH, p)}`;
}
