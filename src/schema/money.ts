import { builder } from './builder.ts';

interface MoneyShape {
  amount: string;
  currency: string;
}

export const money = (amount: string | null, currency: string): MoneyShape | null =>
  amount === null ? null : { amount, currency };

export const Money = builder.objectRef<MoneyShape>('Money').implement({
  description: 'An exact amount of money.',
  fields: (t) => ({
    amount: t.expose('amount', {
      type: 'Decimal',
      description: 'The amount, exactly as Flinks sent it.',
    }),
    currency: t.exposeString('currency', { description: 'ISO 4217 code, e.g. `CAD` or `USD`.' }),
  }),
});
