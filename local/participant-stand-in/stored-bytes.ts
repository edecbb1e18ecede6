/**
 * The sandbox's memory budget: the bytes of every kept transcript item and attachment, against one cap.
 * When something does not fit, the owner is asked to free space (by dropping ended chats) before the
 * request is refused.
 */
export class StoredBytes {
  readonly limit: number;
  #used = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  get used(): number {
    return this.#used;
  }

  /**
   * Takes `bytes` from the budget if they fit, calling `freeSome` (which returns false when it has nothing
   * left to free) until they do. Returns whether they were taken.
   */
  tryTake(bytes: number, freeSome: () => boolean): boolean {
    while (this.#used + bytes > this.limit) {
      if (!freeSome()) return false;
    }
    this.#used += bytes;
    return true;
  }

  /** Takes `bytes` whatever the budget says: for the few system events a chat must always get. */
  force(bytes: number): void {
    this.#used += bytes;
  }

  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }
}
