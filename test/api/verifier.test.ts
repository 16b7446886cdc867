/** Token verification (api/auth.ts): what a bearer token must be to be believed. */
import { createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { createVerifier, mintToken } from '../../api/auth';
import { principal, TEST_AUTH } from '../helpers/auth';

const verify = createVerifier(TEST_AUTH);
const key = createSecretKey(Buffer.from(TEST_AUTH.secret, 'utf8'));
const claims = { unit: 'road-transport-bureau', roles: ['acceptor'] };

test('a token minted for a principal is believed, with its user, unit and roles', async () => {
  const p = principal('road-transport-bureau', ['acceptor', 'handler'], 'rtb-07');
  await expect(verify(await mintToken(TEST_AUTH, p))).resolves.toEqual(p);
});

test('a token without an expiry is refused: it would never expire', async () => {
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('rtb-07').setIssuer(TEST_AUTH.issuer).setAudience(TEST_AUTH.audience).sign(key);
  await expect(verify(token)).rejects.toMatchObject({ status: 401 });
});

test('an expired token is refused and says so', async () => {
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('rtb-07')
    .setIssuer(TEST_AUTH.issuer)
    .setAudience(TEST_AUTH.audience)
    .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
    .sign(key);
  await expect(verify(token)).rejects.toMatchObject({ status: 401, message: 'the token has expired' });
});

describe('AUTH_JWKS_URL: tokens verified against the issuer’s published keys, which rotate without a restart', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createServer } = require('node:http') as typeof import('node:http');
  const jose = require('jose') as typeof import('jose');

  test('a token of a published key is believed; a new key is picked up when the issuer publishes it; an unknown key is refused', async () => {
    const a = await jose.generateKeyPair('RS256');
    const b = await jose.generateKeyPair('ES256');
    const published = [{ ...(await jose.exportJWK(a.publicKey)), kid: 'a', alg: 'RS256', use: 'sig' }];
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/.well-known/jwks.json`;
    try {
      const verifyJwks = createVerifier({ jwksUrl: url, jwksCooldownMs: 0, issuer: TEST_AUTH.issuer, audience: TEST_AUTH.audience });
      const sign = (key: import('jose').KeyLike, kid: string, alg: string) =>
        new SignJWT({ unit: 'road-transport-bureau', roles: ['leader'] }).setProtectedHeader({ alg, kid }).setSubject('rtb-leader').setIssuer(TEST_AUTH.issuer).setAudience(TEST_AUTH.audience).setIssuedAt().setExpirationTime('5m').sign(key);

      await expect(verifyJwks(await sign(a.privateKey, 'a', 'RS256'))).resolves.toMatchObject({ userId: 'rtb-leader', unitId: 'road-transport-bureau', roles: ['leader'] });
      // Key b is not published yet: refused, with the reason.
      await expect(verifyJwks(await sign(b.privateKey, 'b', 'ES256'))).rejects.toMatchObject({ status: 401, message: expect.stringContaining('does not publish') });
      // The issuer rotates: b is published, and the same verifier (no restart) believes its tokens.
      published.push({ ...(await jose.exportJWK(b.publicKey)), kid: 'b', alg: 'ES256', use: 'sig' });
      await expect(verifyJwks(await sign(b.privateKey, 'b', 'ES256'))).resolves.toMatchObject({ userId: 'rtb-leader' });
      expect(fetches).toBeGreaterThanOrEqual(2);
      // A shared-secret token is not accepted by a JWKS verifier.
      await expect(verifyJwks(await mintToken(TEST_AUTH, principal('road-transport-bureau', ['leader'])))).rejects.toMatchObject({ status: 401 });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
