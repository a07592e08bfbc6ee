import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a statement download link works. */
export const STATEMENT_LINK_TTL_MS = 5 * 60 * 1000;

/**
 * The key of statement download links, derived from the Flinks secret key rather than random, so
 * that every instance with the same secret serves the others' links.
 */
export function statementLinkKey(secretKey: string): Buffer {
  return createHmac('sha256', secretKey).update('statement download links').digest();
}

/** What a statement download link names; the owner is not in the link but in its signature. */
export interface StatementLink {
  requestId: string;
  statementId: string;
  period: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Short-lived download links for statement PDFs, signed with HMAC-SHA256 over the link and the
 * principal it was issued to: a link verifies only against the RequestId's owner, and carries
 * nothing a reader could learn the principal from. Stateless, so any instance sharing the key
 * serves it.
 */
export class StatementLinks {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  sign(link: StatementLink, principal: string): string {
    const payload = Buffer.from(
      JSON.stringify([link.requestId, link.statementId, link.period, link.expiresAt]),
    ).toString('base64url');
    return `${payload}.${this.#mac(payload, principal)}`;
  }

  /** The link a token names, unsigned-checked: call `verify` with the owner before trusting it. */
  read(token: string): StatementLink | null {
    const [payload] = token.split('.');
    try {
      const [requestId, statementId, period, expiresAt] = JSON.parse(
        Buffer.from(payload ?? '', 'base64url').toString('utf8'),
      ) as unknown[];
      if (
        typeof requestId !== 'string' ||
        typeof statementId !== 'string' ||
        typeof period !== 'string' ||
        typeof expiresAt !== 'number'
      ) {
        return null;
      }
      return { requestId, statementId, period, expiresAt };
    } catch {
      return null;
    }
  }

  verify(token: string, principal: string): boolean {
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return false;
    const expected = Buffer.from(this.#mac(payload, principal));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #mac(payload: string, principal: string): string {
    return createHmac('sha256', this.#key).update(`${payload}\n${principal}`).digest('base64url');
  }
}
