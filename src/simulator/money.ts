/**
 * An amount in cents, written to JSON as an exact decimal number token (`1234.56`, `-19.99`,
 * `0.1`): never a binary double on the way, so the gateway's tests can check it keeps money exact.
 */
export class Money {
  readonly cents: bigint;

  constructor(cents: bigint) {
    this.cents = cents;
  }

  static dollars(whole: number, cents = 0): Money {
    return new Money(BigInt(whole) * 100n + BigInt(cents));
  }

  plus(other: Money): Money {
    return new Money(this.cents + other.cents);
  }

  minus(other: Money): Money {
    return new Money(this.cents - other.cents);
  }

  /** The shortest decimal text: trailing zeros of the fraction dropped, no fraction for whole amounts. */
  toString(): string {
    const sign = this.cents < 0n ? '-' : '';
    const magnitude = this.cents < 0n ? -this.cents : this.cents;
    const whole = (magnitude / 100n).toString();
    const fraction = (magnitude % 100n).toString().padStart(2, '0').replace(/0+$/, '');
    return fraction === '' ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
  }

  /** `$1,234.56` style, for the statement PDFs. */
  format(currency: string): string {
    const sign = this.cents < 0n ? '-' : '';
    const magnitude = this.cents < 0n ? -this.cents : this.cents;
    const whole = (magnitude / 100n).toString().replace(/\B(?=(\d{3})+$)/g, ',');
    const fraction = (magnitude % 100n).toString().padStart(2, '0');
    return `${sign}$${whole}.${fraction} ${currency}`;
  }
}

/**
 * JSON.stringify, except that a Money is written as its exact decimal token. Node 20 has no
 * JSON.rawJSON, and a replacer can only return values that JSON.stringify then writes itself.
 */
export function toJsonText(value: unknown): string {
  if (value instanceof Money) return value.toString();
  if (value !== null && typeof value === 'object') {
    const withToJson = value as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return toJsonText(withToJson.toJSON());
    if (Array.isArray(value)) {
      return `[${value.map((item) => (isOmitted(item) ? 'null' : toJsonText(item))).join(',')}]`;
    }
    const members = Object.entries(value)
      .filter(([, member]) => !isOmitted(member))
      .map(([key, member]) => `${JSON.stringify(key)}:${toJsonText(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
