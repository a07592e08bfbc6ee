import { randomUUID } from 'node:crypto';
import { flinksError, json, type Reply } from './wire.ts';

export interface AuthorizeTokensConfig {
  readonly secretKey: string;
  readonly now: () => number;
  readonly tokenLifetimeMs: number;
  /** Accept any non-empty `flinks-auth-key` on /Authorize (see SimulatorOptions). */
  readonly anyAuthorizeToken?: boolean;
}

/** `/GenerateAuthorizeToken`'s tokens: minted for the secret key, each good for one /Authorize. */
export class AuthorizeTokens {
  readonly #config: AuthorizeTokensConfig;
  readonly #tokens = new Map<string, number>();

  constructor(config: AuthorizeTokensConfig) {
    this.#config = config;
  }

  generate(authKey: string | undefined): Reply {
    if (authKey !== this.#config.secretKey) {
      return flinksError(401, 'UNAUTHORIZED', 'You must provide a valid auth key');
    }
    const now = this.#config.now();
    // One lifetime for every token: insertion order is expiry order, so the sweep stops at the
    // first live one instead of scanning every token ever minted (a mint took 1 ms at 90k).
    for (const [token, expiresAt] of this.#tokens) {
      if (expiresAt > now) break;
      this.#tokens.delete(token);
    }
    const token = randomUUID();
    // With anyAuthorizeToken nothing is checked against the map: keep it empty.
    if (!this.#config.anyAuthorizeToken) {
      this.#tokens.set(token, now + this.#config.tokenLifetimeMs);
    }
    return json(200, { HttpStatusCode: 200, Token: token });
  }

  /** Whether `authKey` is a live token; it is spent either way. */
  consume(authKey: string | undefined): boolean {
    if (authKey === undefined) return false;
    if (this.#config.anyAuthorizeToken) return authKey !== '';
    const expiresAt = this.#tokens.get(authKey);
    this.#tokens.delete(authKey);
    return expiresAt !== undefined && this.#config.now() < expiresAt;
  }
}
