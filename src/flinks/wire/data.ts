import { z } from 'zod';
import type { FlinksRequest, RawResponse } from '../transport.ts';
import type {
  Account,
  AccountStatements,
  AccountsDetailOptions,
  DataPending,
  StatementsOptions,
} from '../types.ts';
import { decode } from './decode.ts';
import { parseJsonExact } from './json.ts';

/*
 * The data endpoints (/GetAccountsSummary, /GetAccountsDetail and its Async, /GetStatements): the
 * request bodies, and each answer as a domain value. The account bodies are parsed with
 * parseJsonExact, every JSON number kept as its source text: amounts stay exact decimals.
 */

const DECIMAL = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const Decimal = z.string().regex(DECIMAL, 'not a number');
const Text = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
const Amount = Decimal.nullish().transform((value) => value ?? null);

const HolderWire = z
  .object({
    Name: Text,
    Email: Text,
    PhoneNumber: Text,
    Address: z
      .object({
        CivicAddress: Text,
        City: Text,
        Province: Text,
        PostalCode: Text,
        POBox: Text,
        Country: Text,
      })
      .nullish(),
  })
  .nullish();

const TransactionWire = z.object({
  Id: z.string().min(1),
  Date: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'not a date'),
  Code: Text,
  Description: z.string(),
  Debit: Amount,
  Credit: Amount,
  Balance: Amount,
});

const AccountWire = z.object({
  Id: z.string().min(1),
  Title: Text,
  AccountNumber: Text,
  LastFourDigits: Text,
  TransitNumber: Text,
  InstitutionNumber: Text,
  Category: Text,
  Type: Text,
  AccountType: Text,
  Currency: z.string().min(1),
  Balance: z.object({ Available: Amount, Current: Amount, Limit: Amount }).nullish(),
  OverdraftLimit: Amount,
  Holder: HolderWire,
  Transactions: z.array(TransactionWire).nullish(),
});

/** The 200 of /GetAccountsSummary, /GetAccountsDetail and /GetAccountsDetailAsync: the accounts. */
const AccountsBody = z
  .object({
    RequestId: z.string().min(1),
    Accounts: z.array(AccountWire).transform((accounts) => accounts.map(toAccount)),
  })
  .transform((body) => body.Accounts);

/** The 200 of /GetStatements: the PDFs of each account, as base64. */
const StatementsBody = z
  .object({
    RequestId: z.string().min(1),
    StatementsByAccount: z.array(
      z.object({
        AccountNumber: z.string(),
        Statements: z.array(
          z.object({
            UniqueId: z.string().min(1),
            FileType: z.string().min(1),
            Base64Bytes: z.string(),
          }),
        ),
      }),
    ),
  })
  .transform((body): AccountStatements[] =>
    body.StatementsByAccount.map((group) => ({
      accountNumber: group.AccountNumber,
      statements: group.Statements.map((file) => ({
        uniqueId: file.UniqueId,
        fileType: file.FileType,
        base64Bytes: file.Base64Bytes,
      })),
    })),
  );

/** The accounts of a data call's 200, every amount read as the exact digits Flinks sent. */
export function decodeAccounts(endpoint: string, response: RawResponse): Account[] {
  return decode(endpoint, response, AccountsBody, parseJsonExact);
}

/** The statements of /GetStatements' 200. */
export function decodeStatements(endpoint: string, response: RawResponse): AccountStatements[] {
  return decode(endpoint, response, StatementsBody);
}

/** A data call's 202: Flinks is still gathering the data. */
export const PendingBody = z
  .object({ FlinksCode: z.enum(['OPERATION_PENDING', 'OPERATION_DISPATCHED']) })
  .transform((body): DataPending => ({ kind: 'pending', flinksCode: body.FlinksCode }));

/** `POST /GetAccountsSummary`. */
export function encodeAccountsSummary(requestId: string): FlinksRequest {
  return post('GetAccountsSummary', { RequestId: requestId });
}

/** `POST /GetAccountsDetail`. */
export function encodeAccountsDetail(
  requestId: string,
  options: AccountsDetailOptions,
): FlinksRequest {
  return post('GetAccountsDetail', {
    RequestId: requestId,
    WithAccountIdentity: options.withAccountIdentity,
    WithKYC: options.withKyc,
    WithTransactions: options.withTransactions,
    WithBalance: options.withBalance,
    DaysOfTransactions: options.days,
    ...(options.accountIds ? { AccountsFilter: options.accountIds } : {}),
  });
}

/** `GET /GetAccountsDetailAsync/{requestId}`: a pending /GetAccountsDetail, asked again. */
export function encodeAccountsDetailAsync(requestId: string): FlinksRequest {
  const endpoint = 'GetAccountsDetailAsync';
  return { method: 'GET', endpoint, path: `${endpoint}/${encodeURIComponent(requestId)}` };
}

/** `POST /GetStatements`. */
export function encodeStatements(requestId: string, options: StatementsOptions): FlinksRequest {
  return post('GetStatements', {
    RequestId: requestId,
    NumberOfStatements: options.period,
    ...(options.accountIds ? { AccountsFilter: options.accountIds } : {}),
  });
}

function post(endpoint: string, body: object): FlinksRequest {
  return { method: 'POST', endpoint, path: endpoint, body: JSON.stringify(body) };
}

function toAccount(wire: z.output<typeof AccountWire>): Account {
  const holder = wire.Holder;
  const address = holder?.Address;
  return {
    id: wire.Id,
    title: wire.Title,
    accountNumber: wire.AccountNumber,
    lastFourDigits: wire.LastFourDigits,
    transitNumber: wire.TransitNumber,
    institutionNumber: wire.InstitutionNumber,
    category: wire.Category,
    type: wire.Type,
    accountType: wire.AccountType,
    currency: wire.Currency,
    balance: wire.Balance
      ? {
          available: wire.Balance.Available,
          current: wire.Balance.Current,
          limit: wire.Balance.Limit,
        }
      : null,
    overdraftLimit: wire.OverdraftLimit,
    holder: holder
      ? {
          name: holder.Name,
          email: holder.Email,
          phoneNumber: holder.PhoneNumber,
          address: address
            ? {
                civicAddress: address.CivicAddress,
                city: address.City,
                province: address.Province,
                postalCode: address.PostalCode,
                poBox: address.POBox,
                country: address.Country,
              }
            : null,
        }
      : null,
    transactions:
      wire.Transactions?.map((t) => ({
        id: t.Id,
        date: t.Date.slice(0, 10),
        code: t.Code,
        description: t.Description,
        debit: t.Debit,
        credit: t.Credit,
        balance: t.Balance,
      })) ?? null,
  };
}
