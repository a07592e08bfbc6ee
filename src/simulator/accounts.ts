import { createHash } from 'node:crypto';
import { Money } from './money.ts';
import { findUser } from './users.ts';

/** Days of history generated per account, counted back from the clock's day (day 0 is today). */
export const HISTORY_DAYS = 400;

export interface Holder {
  readonly name: string;
  readonly civicAddress: string;
  readonly city: string;
  readonly province: string;
  readonly postalCode: string;
  readonly email: string;
  readonly phoneNumber: string;
}

export interface Transaction {
  readonly id: string;
  /** Days before the clock's day. */
  readonly daysAgo: number;
  readonly code: string | null;
  readonly description: string;
  readonly debit: Money | null;
  readonly credit: Money | null;
  /** The balance after this transaction. */
  readonly balance: Money;
}

export type AccountKind = 'chequing' | 'savings' | 'credit-card';

export interface Account {
  readonly id: string;
  readonly kind: AccountKind;
  readonly title: string;
  readonly accountNumber: string;
  readonly lastFourDigits: string;
  readonly category: 'Operations' | 'Credits';
  readonly type: string;
  readonly currency: 'CAD' | 'USD';
  readonly current: Money;
  readonly available: Money;
  readonly limit: Money | null;
  readonly overdraftLimit: Money;
  readonly transitNumber: string | null;
  readonly institutionNumber: string;
  /** Hundredths, written as a decimal ratio. */
  readonly eftEligibleRatio: Money;
  readonly eTransferEligibleRatio: Money;
  /** Most recent first. */
  readonly transactions: readonly Transaction[];
  /** The balance before the oldest transaction. */
  readonly openingBalance: Money;
}

export interface BankData {
  readonly holder: Holder;
  readonly accounts: readonly Account[];
}

/** xorshift128 over 32-bit words, seeded from a SHA-256 digest: the same stream on every run. */
class Random {
  private state: [number, number, number, number];

  constructor(seed: string) {
    const digest = createHash('sha256').update(seed).digest();
    this.state = [
      digest.readUInt32BE(0),
      digest.readUInt32BE(4),
      digest.readUInt32BE(8),
      digest.readUInt32BE(12) | 1,
    ];
  }

  next(): number {
    const [a, b, c, d] = this.state;
    const t = (a ^ (a << 11)) >>> 0;
    const next = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    this.state = [b, c, d, next];
    return next;
  }

  below(n: number): number {
    return Math.floor((this.next() / 2 ** 32) * n);
  }

  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.next() / 2 ** 32 < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.below(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  cents(minDollars: number, maxDollars: number): Money {
    return new Money(BigInt(this.between(minDollars * 100, maxDollars * 100)));
  }

  digits(count: number): string {
    return Array.from({ length: count }, () => String(this.below(10))).join('');
  }

  guid(): string {
    const hex = Array.from({ length: 4 }, () => this.next().toString(16).padStart(8, '0')).join('');
    const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

const FIRST_NAMES = ['Marie', 'Jean', 'Sophie', 'Olivier', 'Chloe', 'Samuel', 'Emma', 'Gabriel'];
const LAST_NAMES = ['Tremblay', 'Gagnon', 'Roy', 'Cote', 'Bouchard', 'Gauthier', 'Morin', 'Lavoie'];
const PLACES = [
  { street: 'Rue Saint-Denis', city: 'Montreal', province: 'QC', postal: 'H2J', area: '514' },
  { street: 'Queen Street West', city: 'Toronto', province: 'ON', postal: 'M5V', area: '416' },
  { street: 'Granville Street', city: 'Vancouver', province: 'BC', postal: 'V6Z', area: '604' },
  { street: 'Rue Saint-Jean', city: 'Quebec', province: 'QC', postal: 'G1R', area: '418' },
  { street: 'Jasper Avenue', city: 'Edmonton', province: 'AB', postal: 'T5J', area: '780' },
];
const EMPLOYERS = ['ACME LOGISTICS', 'NORD TECHNOLOGIES', 'HOPITAL GENERAL', 'ERABLE FOODS'];

interface Merchant {
  readonly description: string;
  readonly min: number;
  readonly max: number;
}

const CHEQUING_MERCHANTS: readonly Merchant[] = [
  { description: 'POS PURCHASE - METRO #412', min: 12, max: 160 },
  { description: 'POS PURCHASE - IGA EXTRA', min: 9, max: 140 },
  { description: 'POS PURCHASE - TIM HORTONS #2231', min: 2, max: 18 },
  { description: 'POS PURCHASE - PHARMAPRIX', min: 6, max: 75 },
  { description: 'POS PURCHASE - SHELL C02345', min: 30, max: 95 },
  { description: 'POS PURCHASE - SAQ 23117', min: 15, max: 80 },
  { description: 'POS PURCHASE - STM METRO', min: 3, max: 97 },
  { description: 'ATM WITHDRAWAL - 1200 PEEL', min: 20, max: 200 },
];
const CARD_MERCHANTS: readonly Merchant[] = [
  { description: 'AMAZON.COM*MK2LP', min: 8, max: 240 },
  { description: 'NETFLIX.COM', min: 15, max: 23 },
  { description: 'UBER *TRIP', min: 7, max: 48 },
  { description: 'APPLE.COM/BILL', min: 1, max: 15 },
  { description: 'HILTON HOTELS', min: 140, max: 420 },
  { description: 'DELTA AIR LINES', min: 180, max: 690 },
];

interface Draft {
  readonly daysAgo: number;
  readonly code: string | null;
  readonly description: string;
  readonly debit: Money | null;
  readonly credit: Money | null;
}

const ZERO = new Money(0n);

interface Ledger {
  readonly balance: Money;
  add(draft: Omit<Draft, 'daysAgo'>): void;
}

/** Runs a day-by-day history oldest first (day 0 is the oldest), so spending can depend on what is left. */
function simulate(
  start: Money,
  owed: boolean,
  perDay: (day: number, ledger: Ledger) => void,
): { drafts: Draft[]; end: Money } {
  const drafts: Draft[] = [];
  let balance = start;
  for (let day = 0; day < HISTORY_DAYS; day += 1) {
    const daysAgo = HISTORY_DAYS - 1 - day;
    perDay(day, {
      get balance() {
        return balance;
      },
      add(draft) {
        drafts.push({ daysAgo, ...draft });
        balance = balance.plus(effect(draft, owed));
      },
    });
  }
  return { drafts, end: balance };
}

function effect(draft: Pick<Draft, 'debit' | 'credit'>, owed: boolean): Money {
  const change = (draft.credit ?? ZERO).minus(draft.debit ?? ZERO);
  return owed ? new Money(-change.cents) : change;
}

/**
 * Balances walked back from the current one. For a credit card the balance is what is owed, so a
 * Debit (a purchase) raises it and a Credit (a payment) lowers it; for the others a Credit raises it.
 */
function withBalances(
  random: Random,
  drafts: readonly Draft[],
  current: Money,
  owed: boolean,
): { transactions: Transaction[]; openingBalance: Money } {
  const ids = drafts.map(() => random.guid());
  const transactions: Transaction[] = [];
  let balance = current;
  for (let index = drafts.length - 1; index >= 0; index -= 1) {
    const draft = drafts[index];
    const id = ids[index];
    if (draft === undefined || id === undefined) continue;
    transactions.push({ id, ...draft, balance });
    balance = balance.minus(effect(draft, owed));
  }
  return { transactions, openingBalance: balance };
}

function debit(code: string | null, description: string, amount: Money) {
  return { code, description, debit: amount, credit: null };
}

function credit(code: string | null, description: string, amount: Money) {
  return { code, description, debit: null, credit: amount };
}

function generate(username: string): BankData {
  const random = new Random(`flinks-simulator-data:${username.toLowerCase()}`);
  const place = random.pick(PLACES);
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const holder: Holder = {
    name: `${first} ${last}`,
    civicAddress: `${random.between(10, 9899)} ${place.street}`,
    city: place.city,
    province: place.province,
    postalCode: `${place.postal} ${random.digits(1)}${String.fromCharCode(65 + random.below(26))}${random.digits(1)}`,
    email: `${first}.${last}@example.com`.toLowerCase(),
    phoneNumber: `${place.area}555${random.digits(4)}`,
  };
  const transitNumber = random.digits(5);
  const employer = random.pick(EMPLOYERS);
  const pay = random.cents(1900, 3100);
  const rent = random.cents(1100, 1900);
  const savingsTransfer = Money.dollars(random.pick([200, 250, 300, 500]));
  const phases = Array.from({ length: 6 }, () => random.below(30));
  const payPhase = random.below(14);
  const monthly = (day: number, which: number) => (day + (phases[which] ?? 0)) % 30 === 0;

  const cardLimit = Money.dollars(random.between(4, 20) * 500);
  const cardPayments = new Map<number, Money>();
  const card = simulate(random.cents(150, 900), true, (day, ledger) => {
    const owed = ledger.balance.cents;
    if (monthly(day, 5) && owed > 0n) {
      const payment = new Money(owed - (owed * BigInt(random.below(30))) / 100n);
      cardPayments.set(day, payment);
      ledger.add(credit('PAY', 'PAYMENT - THANK YOU', payment));
    }
    if (random.chance(0.34)) {
      const merchant = random.pick(CARD_MERCHANTS);
      const amount = random.cents(merchant.min, merchant.max);
      if (ledger.balance.plus(amount).cents <= cardLimit.cents) {
        ledger.add(debit(null, merchant.description, amount));
      }
    }
  });

  const overdraftLimit = Money.dollars(random.pick([0, 500, 1000]));
  const floor = -overdraftLimit.cents / 2n;
  const chequing = simulate(random.cents(1800, 5200), false, (day, ledger) => {
    if ((day + payPhase) % 14 === 0) ledger.add(credit('DD', `PAYROLL DEPOSIT - ${employer}`, pay));
    if (monthly(day, 0)) ledger.add(debit('PAP', 'PRE-AUTHORIZED DEBIT - RENT', rent));
    if (monthly(day, 1))
      ledger.add(debit('PAP', 'BELL CANADA - BILL PAYMENT', random.cents(65, 110)));
    if (monthly(day, 2)) ledger.add(debit('PAP', 'HYDRO - BILL PAYMENT', random.cents(38, 160)));
    if (monthly(day, 3)) ledger.add(debit('TRF', 'TRANSFER TO SAVINGS', savingsTransfer));
    const cardPayment = cardPayments.get(day);
    if (cardPayment !== undefined) {
      ledger.add(debit('PAY', 'MASTERCARD USD - PAYMENT', cardPayment));
    }
    if (random.chance(0.06)) {
      ledger.add(credit('ETR', 'INTERAC E-TRANSFER RECEIVED', random.cents(20, 400)));
    }
    const purchases = random.chance(0.6) ? 1 + random.below(2) : 0;
    for (let count = 0; count < purchases; count += 1) {
      const merchant = random.pick(CHEQUING_MERCHANTS);
      const amount = random.cents(merchant.min, merchant.max);
      if (ledger.balance.minus(amount).cents >= floor) {
        const code = merchant.description.startsWith('ATM') ? 'ATM' : null;
        ledger.add(debit(code, merchant.description, amount));
      }
    }
  });

  const savings = simulate(random.cents(2000, 30000), false, (day, ledger) => {
    if (monthly(day, 3)) ledger.add(credit('TRF', 'TRANSFER FROM CHEQUING', savingsTransfer));
    if (monthly(day, 4)) {
      // Some months pay whole dimes, so that amounts such as 0.1 appear in the JSON.
      const interest = random.chance(0.3)
        ? BigInt(random.between(1, 9) * 10)
        : (ledger.balance.cents * 15n) / 10000n;
      if (interest > 0n) ledger.add(credit('INT', 'INTEREST', new Money(interest)));
    }
    if (random.chance(0.012)) {
      const amount = random.cents(100, 1500);
      if (amount.cents < ledger.balance.cents) {
        ledger.add(debit('TRF', 'TRANSFER TO CHEQUING', amount));
      }
    }
  });

  const savingsCurrent = findUser(username)?.savingsCents;
  const accountNumber = (prefix: string) => `${prefix}${random.digits(5)}`;
  const chequingNumber = accountNumber('10');
  const savingsNumber = accountNumber('20');
  const cardLastFour = random.digits(4);
  const chequingHistory = withBalances(random, chequing.drafts, chequing.end, false);
  const savingsBalance = savingsCurrent === undefined ? savings.end : new Money(savingsCurrent);
  const savingsHistory = withBalances(random, savings.drafts, savingsBalance, false);
  const cardHistory = withBalances(random, card.drafts, card.end, true);

  const accounts: Account[] = [
    {
      id: random.guid(),
      kind: 'chequing',
      title: 'Daily Chequing',
      accountNumber: chequingNumber,
      lastFourDigits: chequingNumber.slice(-4),
      category: 'Operations',
      type: 'Chequing',
      currency: 'CAD',
      current: chequing.end,
      available: chequing.end,
      limit: null,
      overdraftLimit,
      transitNumber,
      institutionNumber: '777',
      eftEligibleRatio: new Money(100n),
      eTransferEligibleRatio: new Money(BigInt(random.between(60, 100))),
      ...chequingHistory,
    },
    {
      id: random.guid(),
      kind: 'savings',
      title: 'High Interest Savings',
      accountNumber: savingsNumber,
      lastFourDigits: savingsNumber.slice(-4),
      category: 'Operations',
      type: 'Savings',
      currency: 'CAD',
      current: savingsBalance,
      available: savingsBalance,
      limit: null,
      overdraftLimit: ZERO,
      transitNumber,
      institutionNumber: '777',
      eftEligibleRatio: new Money(BigInt(random.between(50, 100))),
      eTransferEligibleRatio: new Money(0n),
      ...savingsHistory,
    },
    {
      id: random.guid(),
      kind: 'credit-card',
      title: 'US Dollar Mastercard',
      accountNumber: `5191********${cardLastFour}`,
      lastFourDigits: cardLastFour,
      category: 'Credits',
      type: 'CreditCard',
      currency: 'USD',
      current: card.end,
      available: cardLimit.minus(card.end),
      limit: cardLimit,
      overdraftLimit: ZERO,
      transitNumber: null,
      institutionNumber: '777',
      eftEligibleRatio: new Money(0n),
      eTransferEligibleRatio: new Money(0n),
      ...cardHistory,
    },
  ];
  return { holder, accounts };
}

const generated = new Map<string, BankData>();

/** The accounts of a login: a function of the lower-cased username only, cached (usernames are few). */
export function bankDataOf(username: string): BankData {
  const key = username.toLowerCase();
  let data = generated.get(key);
  if (data === undefined) {
    data = generate(key);
    generated.set(key, data);
  }
  return data;
}

/** The balance at the end of the day `daysAgo` days before the clock's day. */
export function balanceAtEndOf(account: Account, daysAgo: number): Money {
  const latest = account.transactions.find((transaction) => transaction.daysAgo >= daysAgo);
  return latest?.balance ?? account.openingBalance;
}
