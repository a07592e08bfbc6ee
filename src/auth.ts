import { createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import type { Config } from './config.ts';

/** The principal of every caller when no caller authentication is configured (development only). */
export const ANONYMOUS_PRINCIPAL = 'anonymous-development';

/** The caller could not be authenticated; answered with HTTP 401 before anything else runs. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
}

/** Finds who is calling: the `sub` of a verified `Authorization: Bearer` JWT. */
export type Authenticate = (authorization: string | null) => Promise<string>;

const SUB = /^[\x21-\x7e]{1,256}$/;

/**
 * HS256 with AUTH_JWT_SECRET, or RS256/ES256 with keys from AUTH_JWKS_URL (fetched on first use,
 * cached, refetched for an unknown `kid`); `iss` and `aud` checked when configured. With neither
 * variable set, every caller is the anonymous development principal: config refuses that in
 * production.
 */
export function createAuthenticate(auth: Config['auth']): Authenticate {
  const key: Uint8Array | JWTVerifyGetKey | null = auth.jwtSecret
    ? new TextEncoder().encode(auth.jwtSecret)
    : auth.jwksUrl
      ? createRemoteJWKSet(new URL(auth.jwksUrl), {
          cacheMaxAge: 10 * 60_000,
          timeoutDuration: 5_000,
        })
      : null;
  if (key === null) return async () => ANONYMOUS_PRINCIPAL;

  const options = {
    algorithms: auth.jwtSecret ? ['HS256'] : ['RS256', 'ES256'],
    clockTolerance: 5,
    ...(auth.issuer ? { issuer: auth.issuer } : {}),
    ...(auth.audience ? { audience: auth.audience } : {}),
  };
  return async (authorization) => {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw new UnauthenticatedError('A bearer token is required.');
    try {
      const { payload } = await (typeof key === 'function'
        ? jwtVerify(token, key, options)
        : jwtVerify(token, key, options));
      if (typeof payload.sub !== 'string' || !SUB.test(payload.sub)) {
        throw new UnauthenticatedError('The token has no usable subject.');
      }
      return payload.sub;
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      // An unreachable JWKS is the gateway's failure, not the caller's: masked as a 500.
      if (error instanceof joseErrors.JWKSTimeout) throw error;
      if (error instanceof joseErrors.JWTExpired)
        throw new UnauthenticatedError('The token has expired.');
      if (error instanceof joseErrors.JOSEError)
        throw new UnauthenticatedError('The token is not valid.');
      throw error;
    }
  };
}
