import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { SIMULATOR_LOGIN_IDS } from '../../src/simulator/index.ts';
import { defined, type SimulatorHttp, startSimulatorHttp } from './simulator-http.ts';

export const START = Date.UTC(2026, 10, 24, 0, 41, 3, 169);
export const MINUTE = 60 * 1000;
export const DAY = 24 * 60 * MINUTE;

export const CITY = 'What city were you born in?';
export const SHAPE = 'What shape do people like most?';

export interface WireTransaction {
  Id: string;
  Date: string;
  Code: string | null;
  Description: string;
  /** Amounts stay the JSON number tokens as sent (see parseExact). */
  Debit: string | null;
  Credit: string | null;
  Balance: string;
}

export interface WireAccount {
  Id: string;
  Title: string;
  AccountNumber: string;
  LastFourDigits: string;
  Category: string;
  Type: string;
  Currency: string;
  Balance: { Available: string; Current: string; Limit: string | null } | null;
  Holder: unknown;
  TransitNumber?: string | null;
  InstitutionNumber?: string | null;
  OverdraftLimit?: string;
  Transactions?: WireTransaction[] | null;
}

export interface DataBody {
  HttpStatusCode: number;
  Accounts: WireAccount[];
  RequestId: string;
  [field: string]: unknown;
}

/**
 * JSON.parse after quoting every number token, so that amounts keep their exact text. The
 * simulator's strings never hold a colon or bracket followed by a bare number, so this is safe here.
 */
export function parseExact(text: string): DataBody {
  return JSON.parse(text.replace(/([:[,])(-?\d+(?:\.\d+)?)(?=[,}\]])/g, '$1"$2"')) as DataBody;
}

/** Integer cents of a decimal token with at most two decimals. */
export function cents(token: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(token);
  if (match === null) throw new Error(`Not an amount in cents: ${token}`);
  const value = BigInt(match[2] ?? '0') * 100n + BigInt((match[3] ?? '0').padEnd(2, '0'));
  return match[1] === '-' ? -value : value;
}

export function seededLoginId(username: string): string {
  return defined(
    SIMULATOR_LOGIN_IDS.find((login) => login.username === username)?.loginId,
    `seeded LoginId of ${username}`,
  );
}

/** Logs in live (answering Greatday's two questions when asked) and returns the open RequestId. */
export async function openSession(flinks: SimulatorHttp, username: string): Promise<string> {
  let response = await flinks.logIn(username);
  const requestId = defined(response.body.RequestId, 'RequestId');
  if (response.status === 203) {
    response = await flinks.answer(requestId, { [CITY]: ['Montreal'] });
    response = await flinks.answer(requestId, { [SHAPE]: ['Triangle'] });
  }
  expect(response.status).toBe(200);
  return requestId;
}

export const ALL_OPTIONS = {
  WithAccountIdentity: true,
  WithKYC: true,
  WithTransactions: true,
  WithBalance: true,
  DaysOfTransactions: 'Days365',
};

/**
 * A simulator for the tests of one `describe`, on a clock set back to START before each test:
 * `sim.flinks` calls it, `sim.now` moves its time.
 */
export function simulatorOnClock(): { flinks: SimulatorHttp; now: number } {
  const sim = { now: START } as { flinks: SimulatorHttp; now: number };
  beforeAll(async () => {
    sim.flinks = await startSimulatorHttp({ now: () => sim.now });
  });
  beforeEach(() => {
    sim.now = START;
  });
  afterAll(() => sim.flinks.close());
  return sim;
}
