import {
  createRemoteJWKSet,
  type JWTPayload,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import type { Config } from './config.ts';

/** The principal of every caller when no caller authentication is configured (development only). */
export const ANONYMOUS_PRINCIPAL = 'anonymous-development';

/** The caller could not be authenticated; answered with HTTP 401 before anything else runs. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
}

/**
 * Finds who is calling: the `sub` of a verified `Authorization: Bearer` JWT. Throws, or rejects,
 * with UnauthenticatedError; answers at once (no promise) for a token it has already verified.
 */
export type Authenticate = (authorization: string | null) => string | Promise<string>;

const SUB = /^[\x21-\x7e]{1,256}$/;

/**
 * HS256 with AUTH_JWT_SECRET, or RS256/ES256 with keys from AUTH_JWKS_URL (fetched on first use,
 * cached, refetched for an unknown `kid`); `iss` and `aud` checked when configured. With neither
 * variable set, every caller is the anonymous development principal: config refuses that in
 * production.
 */
export function createAuthenticate(auth: Config['auth']): Authenticate {
  // The HMAC key is imported once: jose would import a raw secret again on every call.
  const key: Promise<CryptoKey> | JWTVerifyGetKey | null = auth.jwtSecret
    ? crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(auth.jwtSecret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      )
    : auth.jwksUrl
      ? createRemoteJWKSet(new URL(auth.jwksUrl), {
          cacheMaxAge: 10 * 60_000,
          timeoutDuration: 5_000,
        })
      : null;
  if (key === null) return () => ANONYMOUS_PRINCIPAL;

  const maxLifetimeS = auth.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_S;
  const options = {
    algorithms: auth.jwtSecret ? ['HS256'] : ['RS256', 'ES256'],
    // jose checks exp and nbf with this tolerance; exp must be present.
    clockTolerance: CLOCK_TOLERANCE_S,
    requiredClaims: ['exp'],
    ...(auth.issuer ? { issuer: auth.issuer } : {}),
    ...(auth.audience ? { audience: auth.audience } : {}),
  };
  const verified = new VerifiedTokens();
  const verify = async (token: string): Promise<string> => {
    try {
      const { payload } = await (typeof key === 'function'
        ? jwtVerify(token, key, options)
        : jwtVerify(token, await key, options));
      if (typeof payload.sub !== 'string' || !SUB.test(payload.sub)) {
        throw new UnauthenticatedError('The token has no usable subject.');
      }
      checkLifetime(payload, maxLifetimeS);
      verified.add(token, payload.sub, payload.exp);
      return payload.sub;
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      // An unreachable JWKS is the gateway's failure, not the caller's: masked as a 500.
      if (error instanceof joseErrors.JWKSTimeout) throw error;
      if (error instanceof joseErrors.JWTExpired)
        throw new UnauthenticatedError('The token has expired.');
      if (error instanceof joseErrors.JWTClaimValidationFailed) {
        if (error.claim === 'exp') throw new UnauthenticatedError('The token has no expiry (exp).');
        if (error.claim === 'nbf') throw new UnauthenticatedError('The token is not valid yet.');
      }
      if (error instanceof joseErrors.JOSEError)
        throw new UnauthenticatedError('The token is not valid.');
      throw error;
    }
  };
  return (authorization) => {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw new UnauthenticatedError('A bearer token is required.');
    return verified.get(token) ?? verify(token);
  };
}

/** Seconds of clock skew allowed between the token's issuer and this gateway (exp, nbf, iat). */
const CLOCK_TOLERANCE_S = 5;
/** AUTH_MAX_TOKEN_LIFETIME_SECONDS' default: an hour, the common access-token lifetime. */
export const DEFAULT_MAX_TOKEN_LIFETIME_S = 3_600;

/**
 * Refuses a token issued in the future, or one that lives longer than `maxLifetimeS`: from its
 * `iat` to its `exp`, or from now when it has no `iat`. A stolen long-lived token would otherwise
 * work until its `exp`, however far away, since the gateway does not check revocation.
 */
function checkLifetime(payload: JWTPayload, maxLifetimeS: number): void {
  const now = Math.floor(Date.now() / 1000);
  const { iat, exp } = payload;
  if (iat !== undefined && iat > now + CLOCK_TOLERANCE_S) {
    throw new UnauthenticatedError('The token is not valid yet.');
  }
  if ((exp as number) - (iat ?? now) > maxLifetimeS + CLOCK_TOLERANCE_S) {
    throw new UnauthenticatedError('The token lives longer than allowed.');
  }
}

/**
 * Tokens already verified, until their `exp`: a caller sends the same token with every request,
 * and verifying it each time was the largest cost the gateway added (BENCHMARKS.md). Bounded; the
 * oldest entries go first.
 */
class VerifiedTokens {
  readonly #subjects = new Map<string, { sub: string; expiresAt: number }>();

  get(token: string): string | undefined {
    const entry = this.#subjects.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > Date.now()) return entry.sub;
    this.#subjects.delete(token);
    return undefined;
  }

  add(token: string, sub: string, exp: number | undefined): void {
    if (exp === undefined) return;
    this.#subjects.set(token, { sub, expiresAt: (exp + CLOCK_TOLERANCE_S) * 1000 });
    if (this.#subjects.size > 10_000) {
      const oldest = this.#subjects.keys().next().value;
      if (oldest !== undefined) this.#subjects.delete(oldest);
    }
  }
}
