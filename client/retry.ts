/**
 * Retries: exponential backoff with full jitter, only for idempotent
 * operations and only for failures that may pass on their own (the server
 * could not be reached, or answered 500/502/503/504). A 429 (rate limit) is
 * not retried: the limit is per cache, and an immediate retry only adds load.
 * A client timeout is not retried either: the time budget is spent.
 *
 * @module
 */

/** Options of {@linkcode ExponentialBackoffRetryStrategy}. */
export interface RetryStrategyProps {
  /** Attempts in all, the first included. Default 3; 1 disables retries. */
  maxAttempts?: number;
  /** Backoff cap of the first retry, in ms. Default 20. */
  initialDelayMillis?: number;
  /** Largest backoff cap, in ms. Default 500. */
  maxBackoffMillis?: number;
}

/** Decides whether and when a failed attempt is retried. */
export interface RetryStrategy {
  /**
   * Milliseconds to wait before the next attempt, or null to give up.
   *
   * @param attempt the number of the attempt that just failed (1 = first)
   */
  delayBeforeRetry(attempt: number): number | null;
}

/**
 * Up to `maxAttempts` attempts; before retry n the client waits a random time
 * between 0 and min(maxBackoffMillis, initialDelayMillis * 2^(n-1)) ("full
 * jitter").
 *
 * @example
 * ```ts
 * import { ExponentialBackoffRetryStrategy } from "./retry.ts";
 * const retry = new ExponentialBackoffRetryStrategy({ maxAttempts: 2 });
 * if (retry.delayBeforeRetry(1) === null) throw new Error("should retry once");
 * if (retry.delayBeforeRetry(2) !== null) throw new Error("only 2 attempts");
 * ```
 */
export class ExponentialBackoffRetryStrategy implements RetryStrategy {
  readonly #maxAttempts: number;
  readonly #initialDelayMillis: number;
  readonly #maxBackoffMillis: number;

  /** @param props attempts and backoff bounds */
  constructor(props: RetryStrategyProps = {}) {
    this.#maxAttempts = props.maxAttempts ?? 3;
    this.#initialDelayMillis = props.initialDelayMillis ?? 20;
    this.#maxBackoffMillis = props.maxBackoffMillis ?? 500;
    if (!Number.isInteger(this.#maxAttempts) || this.#maxAttempts < 1) {
      throw new RangeError(
        `Invalid maxAttempts: must be an integer >= 1: received ${this.#maxAttempts}`,
      );
    }
  }

  /** Attempts in all, the first included. */
  get maxAttempts(): number {
    return this.#maxAttempts;
  }

  delayBeforeRetry(attempt: number): number | null {
    if (attempt >= this.#maxAttempts) return null;
    const cap = Math.min(
      this.#maxBackoffMillis,
      this.#initialDelayMillis * 2 ** (attempt - 1),
    );
    return Math.random() * cap;
  }
}
