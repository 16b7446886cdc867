/**
 * Authentication and unit scoping of the HTTP API.
 *
 * Every caller presents a bearer JWT (verified with `jose`, HS256 with a shared secret or RS256/ES256 with a public
 * key from configuration) carrying the user (`sub`), the unit they act for (`unit`) and their roles (`roles`). A unit's
 * staff see and act on their unit's tickets only — another unit's ticket is a 404, so its existence is not leaked —
 * while 委政务服务处 (第四条: it leads the whole process) and the platform's dispatch service see all.
 */
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { createRemoteJWKSet, jwtVerify, SignJWT, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { SERVICE_DIVISION_UNIT } from '../rules/lifecycle';
import { DomainError } from './errors';

export const ROLES = [
  /** the hotline platform integration (派单) */
  'dispatcher',
  /** a unit's acceptance department (受理部门): accepts, assigns, returns */
  'acceptor',
  /** a handling department's staff (办理部门): contacts, opinions, extension requests, reply drafts */
  'handler',
  /** reviews replies before they go to the platform (第十六条 谁审核) */
  'reviewer',
  /** a unit's leader: sensitive matters (第八条(二)), supervision answers (第二十三条) */
  'leader',
  /** revisits closed tickets (第十七条) */
  'revisitor',
  /** 委政务服务处: extension decisions, supervision (第十四条, 第二十二条) */
  'supervisor',
  /** administrators: calendar, units */
  'admin',
  /** read-only */
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling. */
export interface Principal {
  userId: string;
  unitId: string;
  roles: Role[];
  name?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export class Unauthorized extends DomainError {
  constructor(message: string) {
    super(401, 'Unauthorized', message);
  }
}

export class Forbidden extends DomainError {
  constructor(message: string) {
    super(403, 'Forbidden', message);
  }
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  unit: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  name: z.string().optional(),
});

export interface AuthConfig {
  /** HS256 shared secret (≥ 32 characters), or */
  secret?: string;
  /** a PEM public key (RS256 / ES256), or */
  publicKey?: string;
  /**
   * the issuer's JWKS URL (AUTH_JWKS_URL, RS256 / ES256): keys are fetched and cached, and a token signed with a key
   * the cache does not know makes it fetch again — keys rotate without a restart.
   */
  jwksUrl?: string;
  /** Shortest time between two fetches of the JWKS (default 30 s); tests set 0. */
  jwksCooldownMs?: number;
  issuer: string;
  audience: string;
}

function verificationKey(config: AuthConfig): KeyObject | JWTVerifyGetKey {
  if (config.jwksUrl) return createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: config.jwksCooldownMs ?? 30_000, timeoutDuration: 5_000 });
  if (config.publicKey) return createPublicKey(config.publicKey);
  if (config.secret) return createSecretKey(Buffer.from(config.secret, 'utf8'));
  throw new Error('AUTH_JWKS_URL, AUTH_JWT_PUBLIC_KEY or AUTH_JWT_SECRET is required');
}

/** Verifies a bearer token and returns its principal; throws Unauthorized with the reason. */
export function createVerifier(config: AuthConfig): (token: string) => Promise<Principal> {
  const key = verificationKey(config);
  const algorithms = config.jwksUrl || config.publicKey ? ['RS256', 'ES256'] : ['HS256'];
  return async (token) => {
    try {
      // A token without an expiry would never expire: `exp` is required.
      const options = { issuer: config.issuer, audience: config.audience, algorithms, requiredClaims: ['exp', 'sub'] };
      const { payload } = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw new Unauthorized('the token lacks sub, unit or known roles');
      return { userId: claims.data.sub, unitId: claims.data.unit, roles: claims.data.roles, ...(claims.data.name ? { name: claims.data.name } : {}) };
    } catch (err) {
      if (err instanceof Unauthorized) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new Unauthorized('the token has expired');
      if (err instanceof joseErrors.JWKSNoMatchingKey) throw new Unauthorized('the token is signed with a key the issuer does not publish');
      if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid) throw new Unauthorized('the issuer\'s keys (AUTH_JWKS_URL) could not be read; retry later');
      throw new Unauthorized('the token is not valid');
    }
  };
}

/** Express middleware: a valid bearer token, or a 401 problem. */
export function authenticate(verify: (token: string) => Promise<Principal>) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(new Unauthorized('a bearer token is required'));
    verify(match[1]!).then(
      (principal) => {
        req.principal = principal;
        next();
      },
      next,
    );
  };
}

/** The principal of an authenticated request. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new Unauthorized('a bearer token is required');
  return req.principal;
}

/** Express middleware: one of `roles`, or a 403 problem naming them. */
export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const p = principalOf(req);
    if (!p.roles.some((r) => roles.includes(r))) return next(new Forbidden(`this requires one of the roles: ${roles.join(', ')}`));
    next();
  };
}

/** 委政务服务处 (第四条) and the platform's dispatch service see every ticket; everyone else their unit's. */
export function seesAllTickets(p: Principal): boolean {
  return p.unitId === SERVICE_DIVISION_UNIT || p.roles.includes('dispatcher');
}

export function canSeeTicket(p: Principal, ticketUnitId: string): boolean {
  return seesAllTickets(p) || p.unitId === ticketUnitId;
}

/** Mints a token (local use and tests: `npm run token -- --sub … --unit … --roles …`). */
export async function mintToken(config: { secret: string; issuer: string; audience: string }, principal: Principal, expiresIn = '8h'): Promise<string> {
  return new SignJWT({ unit: principal.unitId, roles: principal.roles, ...(principal.name ? { name: principal.name } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.userId)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(createSecretKey(Buffer.from(config.secret, 'utf8')));
}
