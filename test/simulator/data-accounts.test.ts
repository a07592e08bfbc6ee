import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorLoginId } from '../../src/simulator/index.ts';
import {
  ALL_OPTIONS,
  cents,
  DAY,
  type DataBody,
  openSession,
  parseExact,
  START,
  type WireAccount,
} from '../support/simulator-data.ts';
import { GUID, type SimulatorHttp, startSimulatorHttp } from '../support/simulator-http.ts';

const DATA_LINKS = [
  { rel: 'AccountsDetail', href: '/GetAccountsDetail', example: null },
  { rel: 'AccountsSummary', href: '/GetAccountsSummary', example: null },
  { rel: 'Statements', href: '/GetStatements', example: null },
];
const START_AS_LAST_REFRESH = '2026-11-24T00:41:03.1690000';
const TODAY = '2026-11-24';
const AMOUNT = /^-?\d+(\.\d{1,2})?$/;
// 2^46 < 8765432109876543 cents < 2^53: exact as integer cents, not as a double of dollars.
const EXACT_SAVINGS = '87654321098765.43';

function isoDaysBefore(days: number): string {
  return new Date(Date.UTC(2026, 10, 24) - days * DAY).toISOString().slice(0, 10);
}

describe('account data', () => {
  let flinks: SimulatorHttp;
  let nomfa: string;
  let greatday: string;

  beforeAll(async () => {
    let now = START;
    flinks = await startSimulatorHttp({ now: () => now });
    nomfa = await openSession(flinks, 'greatday_nomfa');
    greatday = await openSession(flinks, 'Greatday');
    // Greatday's first detail call is a 202 for 1,500 ms: get it out of the way.
    expect((await flinks.data('GetAccountsDetail', { RequestId: greatday })).status).toBe(202);
    now += 1_500;
  });
  afterAll(() => flinks.close());

  async function detail(requestId: string, options: Record<string, unknown> = ALL_OPTIONS) {
    const response = await flinks.data('GetAccountsDetail', { RequestId: requestId, ...options });
    expect(response.status).toBe(200);
    return { response, body: parseExact(response.text) };
  }

  it('summarises a chequing, a savings and a USD credit card with their holder', async () => {
    const response = await flinks.data('GetAccountsSummary', { RequestId: nomfa });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      HttpStatusCode: 200,
      Accounts: expect.any(Array),
      Links: DATA_LINKS,
      Tag: null,
      InstitutionName: 'FlinksCapital',
      Login: {
        Username: 'greatday_nomfa',
        IsScheduledRefresh: false,
        LastRefresh: START_AS_LAST_REFRESH,
        Type: 'Personal',
        Id: simulatorLoginId('greatday_nomfa'),
      },
      InstitutionId: 14,
      Institution: 'FlinksCapital',
      RequestId: nomfa,
    });
    const accounts = parseExact(response.text).Accounts;
    expect(accounts.map(({ Type, Category, Currency }) => [Type, Category, Currency])).toEqual([
      ['Chequing', 'Operations', 'CAD'],
      ['Savings', 'Operations', 'CAD'],
      ['CreditCard', 'Credits', 'USD'],
    ]);
    for (const account of accounts) {
      expect(Object.keys(account).sort()).toEqual(
        [
          'AccountNumber',
          'AccountType',
          'Balance',
          'Category',
          'Currency',
          'ETransferEligibleRatio',
          'EftEligibleRatio',
          'Holder',
          'Id',
          'LastFourDigits',
          'Title',
          'Type',
        ].sort(),
      );
      expect(account.Id).toMatch(GUID);
      expect(account.AccountNumber.endsWith(account.LastFourDigits)).toBe(true);
      expect(account.Holder).toEqual({
        Name: expect.any(String),
        Address: {
          CivicAddress: expect.any(String),
          City: expect.any(String),
          Province: expect.any(String),
          PostalCode: expect.stringMatching(/^[A-Z]\d[A-Z] \d[A-Z]\d$/),
          POBox: null,
          Country: 'CA',
        },
        Email: expect.stringContaining('@'),
        PhoneNumber: expect.stringMatching(/^\d{10}$/),
      });
    }
    const [chequing, savings, card] = accounts as [WireAccount, WireAccount, WireAccount];
    expect(chequing.Balance?.Limit).toBeNull();
    expect(savings.Balance?.Limit).toBeNull();
    const limit = card.Balance?.Limit ?? '0';
    expect(cents(card.Balance?.Available ?? '')).toBe(
      cents(limit) - cents(card.Balance?.Current ?? ''),
    );
  });

  it('echoes the Tag of the authorization in the summary', async () => {
    const login = await flinks.logIn('greatday_nomfa', { Tag: 'client-42' });
    const response = await flinks.data('GetAccountsSummary', { RequestId: login.body.RequestId });
    expect(response.body.Tag).toBe('client-42');
  });

  it('gives identity, KYC, transactions and balances when asked for all of them', async () => {
    const { body } = await detail(nomfa);
    expect(body).toEqual({
      HttpStatusCode: '200',
      Accounts: expect.any(Array),
      InstitutionName: 'FlinksCapital',
      Login: expect.objectContaining({ Username: 'greatday_nomfa' }),
      InstitutionId: '14',
      Institution: 'FlinksCapital',
      RequestId: nomfa,
    });
    const [chequing, savings, card] = body.Accounts as [WireAccount, WireAccount, WireAccount];
    expect(chequing.TransitNumber).toMatch(/^\d{5}$/);
    expect(chequing.InstitutionNumber).toBe('777');
    expect(savings.TransitNumber).toBe(chequing.TransitNumber);
    expect(card.TransitNumber).toBeNull();
    for (const account of body.Accounts) {
      expect(account.Holder).not.toBeNull();
      expect(account.Balance).not.toBeNull();
      expect(account.OverdraftLimit).toMatch(AMOUNT);
      expect(account.Transactions?.length).toBeGreaterThan(20);
    }
    expect(chequing.Transactions?.length).toBeGreaterThan(300);
  });

  it('leaves identity, holder, transactions and balance null when asked without them', async () => {
    const { body } = await detail(nomfa, {
      WithAccountIdentity: false,
      WithKYC: false,
      WithTransactions: false,
      WithBalance: false,
    });
    for (const account of body.Accounts) {
      expect(account).toMatchObject({
        TransitNumber: null,
        InstitutionNumber: null,
        Holder: null,
        Transactions: null,
        Balance: null,
      });
      expect(account.OverdraftLimit).toMatch(AMOUNT);
    }
  });

  it('gives everything for a body with nothing but the RequestId, as in Flinks example', async () => {
    const { body } = await detail(nomfa, {});
    const chequing = body.Accounts[0];
    expect(chequing?.TransitNumber).toMatch(/^\d{5}$/);
    expect(chequing?.Holder).not.toBeNull();
    expect(chequing?.Balance).not.toBeNull();
    const dates = chequing?.Transactions?.map((transaction) => transaction.Date) ?? [];
    expect((dates.at(-1) ?? '') >= isoDaysBefore(89)).toBe(true);
  });

  it('gives the last 90 days for Days90 and the last 365 for Days365, most recent first', async () => {
    const year = (await detail(nomfa, { ...ALL_OPTIONS, DaysOfTransactions: 'Days365' })).body;
    const quarter = (await detail(nomfa, { ...ALL_OPTIONS, DaysOfTransactions: 'Days90' })).body;
    for (const [index, account] of year.Accounts.entries()) {
      const all = account.Transactions ?? [];
      const recent = quarter.Accounts[index]?.Transactions ?? [];
      const dates = all.map((transaction) => transaction.Date);
      expect(dates).toEqual([...dates].sort().reverse());
      expect((dates[0] ?? '9') <= TODAY).toBe(true);
      expect((dates.at(-1) ?? '') >= isoDaysBefore(364)).toBe(true);
      expect(recent.length).toBeLessThan(all.length);
      expect(recent).toEqual(all.filter((transaction) => transaction.Date >= isoDaysBefore(89)));
    }
    expect(year.Accounts[0]?.Transactions?.length).toBeGreaterThanOrEqual(350);
  });

  it('limits the accounts to the AccountsFilter and ignores unknown ids', async () => {
    const all = (await detail(nomfa)).body.Accounts;
    const ids = all.map((account) => account.Id);
    const { body } = await detail(nomfa, {
      ...ALL_OPTIONS,
      AccountsFilter: [ids[2], '00000000-0000-4000-8000-000000000000', ids[0]],
    });
    expect(body.Accounts.map((account) => account.Id)).toEqual([ids[0], ids[2]]);
    const none = await detail(nomfa, { AccountsFilter: ['00000000-0000-4000-8000-000000000000'] });
    expect(none.body.Accounts).toEqual([]);
  });

  it('keeps every running balance consistent with the debits, the credits and the current balance', async () => {
    for (const requestId of [nomfa, greatday]) {
      const { body } = await detail(requestId);
      for (const account of body.Accounts) {
        const transactions = account.Transactions ?? [];
        const owed = account.Category === 'Credits';
        expect(transactions[0]?.Balance).toBe(account.Balance?.Current);
        for (const [index, transaction] of transactions.entries()) {
          const older = transactions[index + 1];
          expect(transaction.Id).toMatch(GUID);
          expect((transaction.Debit === null) !== (transaction.Credit === null)).toBe(true);
          if (older === undefined) continue;
          const change = cents(transaction.Credit ?? '0') - cents(transaction.Debit ?? '0');
          expect(cents(transaction.Balance) - cents(older.Balance)).toBe(owed ? -change : change);
        }
      }
    }
  });

  it("writes Greatday's savings balance as the exact decimal a double cannot hold", async () => {
    const { response, body } = await detail(greatday);
    expect(String(JSON.parse(EXACT_SAVINGS))).not.toBe(EXACT_SAVINGS);
    expect(response.text).toContain(`"Current":${EXACT_SAVINGS}`);
    expect(body.Accounts[1]?.Balance?.Current).toBe(EXACT_SAVINGS);
    const summary = await flinks.data('GetAccountsSummary', { RequestId: greatday });
    expect(summary.text).toContain(`"Available":${EXACT_SAVINGS},"Current":${EXACT_SAVINGS}`);
  });

  it('writes every amount as a plain decimal of at most two places', async () => {
    const { response } = await detail(nomfa);
    const tokens = [
      ...response.text.matchAll(
        /"(Debit|Credit|Balance|Available|Current|Limit|OverdraftLimit)":(-?[\d.eE+]+)/g,
      ),
    ].map((match) => match[2]);
    expect(tokens.length).toBeGreaterThan(500);
    for (const token of tokens) expect(token).toMatch(AMOUNT);
    expect(tokens.some((token) => /\.\d$/.test(token ?? ''))).toBe(true);
  });

  it('gives two simulators on the same clock the same bytes for the same user', async () => {
    const other = await startSimulatorHttp({ now: () => START });
    try {
      const otherId = await openSession(other, 'greatday_nomfa');
      for (const endpoint of ['GetAccountsSummary', 'GetAccountsDetail', 'GetStatements']) {
        const body = { RequestId: nomfa, ...ALL_OPTIONS, NumberOfStatements: 'Months3' };
        const mine = await flinks.data(endpoint, body);
        const theirs = await other.data(endpoint, { ...body, RequestId: otherId });
        expect(mine.status).toBe(200);
        expect(theirs.text.replaceAll(otherId, nomfa)).toBe(mine.text);
      }
    } finally {
      await other.close();
    }
  });

  it('gives different users different accounts', async () => {
    const mine = (await detail(nomfa)).body as DataBody;
    const theirs = (await detail(greatday)).body as DataBody;
    expect(mine.Accounts.map((account) => account.Id)).not.toEqual(
      theirs.Accounts.map((account) => account.Id),
    );
  });
});
