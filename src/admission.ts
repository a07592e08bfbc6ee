import type { ServerResponse } from 'node:http';

/**
 * At most `maxActive` requests inside the gateway at once; the next `maxQueued` wait, in order,
 * as what node:http already made of them (a parsed head and a small buffered body: a few KB,
 * where a request inside Yoga holds tens of KB until it is answered). A burst of thousands of
 * slow calls then keeps the heap bounded, and every caller is still answered: later, or with a
 * 503 when the queue is full too.
 */
export class Admission {
  readonly #maxActive: number;
  readonly #maxQueued: number;
  #active = 0;
  #queue: Array<{ res: ServerResponse; run: () => void }> = [];
  #head = 0;

  constructor(maxActive: number, maxQueued: number) {
    this.#maxActive = maxActive;
    this.#maxQueued = maxQueued;
  }

  /** Requests inside the gateway now, and waiting. */
  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /**
   * Runs `run` now or once a slot frees up (a slot is held until `res` closes); false when the
   * queue is full: the caller answers 503 itself.
   */
  enter(res: ServerResponse, run: () => void): boolean {
    if (this.#active < this.#maxActive) {
      this.#start(res, run);
      return true;
    }
    if (this.queued >= this.#maxQueued) return false;
    this.#queue.push({ res, run });
    return true;
  }

  #start(res: ServerResponse, run: () => void): void {
    this.#active++;
    res.once('close', () => {
      this.#active--;
      this.#next();
    });
    run();
  }

  #next(): void {
    while (this.#active < this.#maxActive && this.#head < this.#queue.length) {
      const entry = this.#queue[this.#head] as { res: ServerResponse; run: () => void };
      this.#queue[this.#head++] = undefined as never;
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      // A client that went away while waiting is not served.
      if (entry.res.socket?.destroyed !== false) continue;
      this.#start(entry.res, entry.run);
    }
  }
}
