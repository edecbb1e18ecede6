/**
 * A token bucket like the one Amazon Connect applies to StartChatContact: `ratePerSecond` tokens a
 * second, at most `burst` stored, full at the start. Each call takes one token or is throttled.
 */
export interface TokenBucketOptions {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly now?: () => number;
}

export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) {
      throw new Error(
        `TokenBucket needs ratePerSecond > 0 and burst >= 1 (got ${options.ratePerSecond}, ${options.burst})`,
      );
    }
    this.ratePerSecond = options.ratePerSecond;
    this.burst = options.burst;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = options.burst;
    this.#updatedAt = this.#now();
  }

  /** Takes a token if one is there. */
  tryTake(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.ratePerSecond);
    this.#updatedAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Refills the bucket completely, as after a quiet period. */
  refill(): void {
    this.#tokens = this.burst;
    this.#updatedAt = this.#now();
  }
}
