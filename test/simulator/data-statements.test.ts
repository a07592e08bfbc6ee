import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cents, openSession, parseExact, START } from '../support/simulator-data.ts';
import { GUID, type SimulatorHttp, startSimulatorHttp } from '../support/simulator-http.ts';

interface StatementsBody {
  HttpStatusCode: number;
  StatementsByAccount: {
    AccountNumber: string;
    Statements: { UniqueId: string; FileType: string; Base64Bytes: string }[];
  }[];
  [field: string]: unknown;
}

/** Checks the PDF's structure and returns its text, failing the test on any defect. */
function checkPdf(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  expect(text.startsWith('%PDF-1.4\n')).toBe(true);
  expect(text.endsWith('%%EOF')).toBe(true);
  const startxref = /startxref\n(\d+)\n%%EOF$/.exec(text);
  const xrefAt = Number(startxref?.[1]);
  expect(text.startsWith('xref\n', xrefAt)).toBe(true);
  const header = /^xref\n0 (\d+)\n/.exec(text.slice(xrefAt));
  const size = Number(header?.[1]);
  expect(size).toBeGreaterThan(5);
  const entriesAt = xrefAt + (header?.[0].length ?? 0);
  expect(text.slice(entriesAt, entriesAt + 20)).toBe('0000000000 65535 f \n');
  for (let object = 1; object < size; object += 1) {
    const entry = text.slice(entriesAt + object * 20, entriesAt + (object + 1) * 20);
    expect(entry).toMatch(/^\d{10} 00000 n \n$/);
    expect(text.startsWith(`${object} 0 obj\n`, Number(entry.slice(0, 10)))).toBe(true);
  }
  expect(text).toContain(`trailer\n<< /Size ${size} /Root 1 0 R`);
  const stream = /<< \/Length (\d+) >>\nstream\n/.exec(text);
  const streamAt = (stream?.index ?? 0) + (stream?.[0].length ?? 0);
  const length = Number(stream?.[1]);
  expect(text.slice(streamAt + length, streamAt + length + 10)).toBe('\nendstream');
  expect(text).toContain('/BaseFont /Helvetica');
  return text;
}

describe('statements', () => {
  let flinks: SimulatorHttp;
  let requestId: string;

  beforeAll(async () => {
    flinks = await startSimulatorHttp({ now: () => START });
    requestId = await openSession(flinks, 'greatday_nomfa');
  });
  afterAll(() => flinks.close());

  async function statements(extra: Record<string, unknown> = {}): Promise<StatementsBody> {
    const response = await flinks.data('GetStatements', { RequestId: requestId, ...extra });
    expect(response.status).toBe(200);
    return response.body as unknown as StatementsBody;
  }

  it.each([
    ['MostRecent', 1],
    ['Months3', 3],
    ['Months12', 12],
  ])('gives %s as %i valid PDF statements per account', async (period, count) => {
    const body = await statements({ NumberOfStatements: period });
    expect(body).toEqual({
      HttpStatusCode: 200,
      StatementsByAccount: expect.any(Array),
      Login: expect.objectContaining({ Username: 'greatday_nomfa' }),
      Institution: 'FlinksCapital',
      RequestId: requestId,
    });
    expect(body.StatementsByAccount).toHaveLength(3);
    const ids = new Set<string>();
    for (const account of body.StatementsByAccount) {
      expect(account.Statements).toHaveLength(count);
      for (const statement of account.Statements) {
        expect(statement.FileType).toBe('PDF');
        expect(statement.UniqueId).toMatch(GUID);
        ids.add(statement.UniqueId);
        const bytes = Buffer.from(statement.Base64Bytes, 'base64');
        expect(bytes.length).toBeGreaterThan(900);
        expect(bytes.length).toBeLessThan(2048);
        const text = checkPdf(bytes);
        expect(text).toContain(account.AccountNumber);
      }
    }
    expect(ids.size).toBe(3 * count);
  });

  it('gives the most recent statement for the last complete month, MostRecent by default', async () => {
    const body = await statements();
    const pdf = Buffer.from(
      body.StatementsByAccount[0]?.Statements[0]?.Base64Bytes ?? '',
      'base64',
    ).toString('latin1');
    expect(pdf).toContain('(Statement period: October 2026 \\(2026-10-01 to 2026-10-31\\)) Tj');
    expect(pdf).toContain('(FlinksCapital) Tj');
  });

  it("states opening and closing balances that the month's transactions explain", async () => {
    const detail = await flinks.data('GetAccountsDetail', {
      RequestId: requestId,
      DaysOfTransactions: 'Days365',
    });
    const chequing = parseExact(detail.text).Accounts[0];
    const october = (chequing?.Transactions ?? []).filter((t) => t.Date.startsWith('2026-10'));
    const body = await statements({ AccountsFilter: [chequing?.Id] });
    expect(body.StatementsByAccount.map((account) => account.AccountNumber)).toEqual([
      chequing?.AccountNumber,
    ]);
    const pdf = Buffer.from(
      body.StatementsByAccount[0]?.Statements[0]?.Base64Bytes ?? '',
      'base64',
    ).toString('latin1');
    const amount = (label: string) => {
      const match = new RegExp(`\\(${label}: (-?)\\$([\\d,]+\\.\\d\\d) CAD\\)`).exec(pdf);
      return cents(`${match?.[1] ?? ''}${(match?.[2] ?? 'x').replaceAll(',', '')}`);
    };
    const credits = october.reduce((sum, t) => sum + cents(t.Credit ?? '0'), 0n);
    const debits = october.reduce((sum, t) => sum + cents(t.Debit ?? '0'), 0n);
    expect(amount('Total credits')).toBe(credits);
    expect(amount('Total debits')).toBe(debits);
    expect(amount('Closing balance')).toBe(cents(october[0]?.Balance ?? 'x'));
    expect(amount('Opening balance') + credits - debits).toBe(amount('Closing balance'));
    expect(pdf).toContain(`(Transactions in the period: ${october.length}) Tj`);
  });

  it('gives the same statements, byte for byte, on every call', async () => {
    const first = await flinks.data('GetStatements', {
      RequestId: requestId,
      NumberOfStatements: 'Months3',
    });
    const second = await flinks.data('GetStatements', {
      RequestId: requestId,
      NumberOfStatements: 'Months3',
    });
    expect(second.text).toBe(first.text);
  });
});
