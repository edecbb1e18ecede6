/**
 * The platform types the client's options name. Where the program has the DOM's or Node's types, they are
 * the platform's own `AbortSignal` and `fetch`; where it has neither (a server-side tsconfig without `dom`, a
 * React Native one), they are the parts the client uses, so its declarations type-check in any project.
 */

/** What the client uses of an `AbortSignal`. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { readonly once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** What the client uses of a `Response`. */
export interface ResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** What the client uses of `fetch`. */
export type FetchLike = (
  url: string,
  init: {
    readonly method: string;
    readonly headers: Record<string, string>;
    readonly body: string;
    readonly signal: AbortSignalLike;
  },
) => Promise<ResponseLike>;

/** The platform's `AbortSignal`, or `AbortSignalLike` where the program has none. */
export type PlatformAbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer S } }
  ? S
  : AbortSignalLike;

/** The platform's `fetch`, or `FetchLike` where the program has none. */
export type PlatformFetch = typeof globalThis extends { fetch: infer F } ? F : FetchLike;
