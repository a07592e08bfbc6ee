/** Per entry beyond its strings: the Map slot, the objects, the key. */
const ENTRY_OVERHEAD = 200;

export interface Slot<V> {
  value: V;
  expiresAt: number;
  bytes: number;
}

/**
 * Entries that expire, held within a byte budget: past it the least recently written go first.
 * Keys are a kind's one-letter prefix and an id.
 */
export class ExpiringSlots<V extends { kind: string }> {
  readonly maxBytes: number;
  readonly #slots = new Map<string, Slot<V>>();
  #bytes = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#slots.size;
  }

  /** Forgets every expired entry; returns how many. */
  sweep(now: number): number {
    let swept = 0;
    for (const [key, slot] of this.#slots) {
      if (slot.expiresAt <= now) {
        this.remove(key, slot);
        swept += 1;
      }
    }
    return swept;
  }

  /** The slot under a whole key, expired or not. */
  slot(key: string): Slot<V> | undefined {
    return this.#slots.get(key);
  }

  /** Every slot, in write order; `remove` during the walk is safe. */
  entries(): MapIterator<[string, Slot<V>]> {
    return this.#slots.entries();
  }

  get<K extends V['kind']>(prefix: string, id: string, kind: K) {
    const slot = this.#slots.get(prefix + id);
    return slot?.value.kind === kind ? (slot.value as Extract<V, { kind: K }>) : undefined;
  }

  live<K extends V['kind']>(prefix: string, id: string, now: number, kind: K) {
    const key = prefix + id;
    const slot = this.#slots.get(key);
    if (!slot) return undefined;
    if (slot.expiresAt <= now) {
      this.remove(key, slot);
      return undefined;
    }
    return slot.value.kind === kind ? (slot.value as Extract<V, { kind: K }>) : undefined;
  }

  set(key: string, value: V, expiresAt: number, bytes: number) {
    this.delete(key);
    const slot = { value, expiresAt, bytes: bytes + key.length + ENTRY_OVERHEAD };
    this.#slots.set(key, slot);
    this.#bytes += slot.bytes;
    // Map order is write order: the least recently written go first.
    for (const [oldest, old] of this.#slots) {
      if (this.#bytes <= this.maxBytes || oldest === key) break;
      this.remove(oldest, old);
    }
  }

  delete(key: string) {
    const slot = this.#slots.get(key);
    if (slot) this.remove(key, slot);
  }

  remove(key: string, slot: Slot<V>) {
    this.#slots.delete(key);
    this.#bytes -= slot.bytes;
  }
}

const WIDE = /[\u0100-\uffff]/;

/**
 * Bytes a value holds in V8, estimated: one byte per character of a Latin-1 string (two
 * otherwise) plus a header, eight per number, a few words per object and array.
 */
export function sizeOf(value: unknown): number {
  if (typeof value === 'string') return 16 + value.length * (WIDE.test(value) ? 2 : 1);
  if (typeof value === 'number' || typeof value === 'boolean') return 8;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + 8 + sizeOf(item), 16);
  if (value && typeof value === 'object') {
    let sum = 24;
    for (const item of Object.values(value)) sum += 8 + sizeOf(item);
    return sum;
  }
  return 8;
}
