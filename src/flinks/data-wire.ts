import { parse as parseLossless } from 'lossless-json';
import { z } from 'zod';
import type { Account } from './types.ts';

/*
 * zod schemas of Flinks' data bodies. They are parsed with every JSON number kept as its source
 * text (lossless-json): Flinks sends money as JSON numbers, and JSON.parse would round an amount
 * such as 12345678901234.57 to the nearest double.
 */

/** Parses JSON keeping each number as the exact digits sent; undefined when not JSON. */
export function parseJsonExact(text: string): unknown {
  try {
    return parseLossless(text, null, (digits) => digits);
  } catch {
    return undefined;
  }
}

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

const Accounts = z.array(AccountWire).transform((accounts) => accounts.map(toAccount));

export const AccountsBody = z.object({ RequestId: z.string().min(1), Accounts });

export const StatementsBody = z.object({
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
});

export const PendingBody = z.object({
  FlinksCode: z.enum(['OPERATION_PENDING', 'OPERATION_DISPATCHED']),
});

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
