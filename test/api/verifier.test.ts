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
