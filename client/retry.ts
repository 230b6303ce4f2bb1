/**
 * Retries: exponential backoff with full jitter, only for idempotent
 * operations and only for failures that may pass on their own (the server
 * could not be reached, or answered 500/502/503/504). A 429 (rate limit) is
 * not retried: the limit is per cache, and an immediate retry only adds load.
 * A client timeout is not retried either: the time budget is spent.
 *
 * @module
 */

import type { MomentoLoggerFactory } from "./_sdk_core.ts";

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
   * When set, each attempt's deadline (ms), and the configuration's client
   * timeout bounds all attempts together (Momento's fixed-timeout retries).
   */
  readonly responseDataReceivedTimeoutMillis?: number;
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

/**
 * Momento's `FixedCountRetryStrategy`: retries an eligible (idempotent)
 * request at once until `maxAttempts` attempts were made; `maxAttempts: 0`
 * (or 1) disables retries, as in Momento's tests.
 *
 * @example
 * ```ts
 * import { FixedCountRetryStrategy } from "./retry.ts";
 * const none = new FixedCountRetryStrategy({ maxAttempts: 0 });
 * if (none.delayBeforeRetry(1) !== null) throw new Error();
 * ```
 */
export class FixedCountRetryStrategy implements RetryStrategy {
  readonly #maxAttempts: number;

  /**
   * @param props Momento's props: `maxAttempts`; `loggerFactory` and
   * `eligibilityStrategy` are accepted (kvolt retries idempotent requests
   * on 5xx and network errors)
   */
  constructor(props: {
    maxAttempts: number;
    loggerFactory?: MomentoLoggerFactory;
    eligibilityStrategy?: unknown;
  }) {
    if (!Number.isInteger(props.maxAttempts) || props.maxAttempts < 0) {
      throw new RangeError(
        `Invalid maxAttempts: must be an integer >= 0: received ${props.maxAttempts}`,
      );
    }
    this.#maxAttempts = props.maxAttempts;
  }

  delayBeforeRetry(attempt: number): number | null {
    return attempt >= this.#maxAttempts ? null : 0;
  }
}

/**
 * Momento's `FixedTimeoutRetryStrategy`: each attempt waits at most
 * `responseDataReceivedTimeoutMillis` (default 1000) and an eligible request
 * is retried every `retryDelayIntervalMillis` (default 100, +/-10% jitter)
 * until the client timeout has passed since the first attempt.
 *
 * @example
 * ```ts
 * import { FixedTimeoutRetryStrategy } from "./retry.ts";
 * const s = new FixedTimeoutRetryStrategy({ retryDelayIntervalMillis: 50 });
 * if (s.responseDataReceivedTimeoutMillis !== 1000) throw new Error();
 * ```
 */
export class FixedTimeoutRetryStrategy implements RetryStrategy {
  readonly #retryDelayIntervalMillis: number;
  /** The per-attempt deadline, ms. */
  readonly responseDataReceivedTimeoutMillis: number;

  /** @param props Momento's props (`loggerFactory`, `eligibilityStrategy` accepted) */
  constructor(props: {
    loggerFactory?: MomentoLoggerFactory;
    eligibilityStrategy?: unknown;
    retryDelayIntervalMillis?: number;
    responseDataReceivedTimeoutMillis?: number;
  } = {}) {
    this.#retryDelayIntervalMillis = props.retryDelayIntervalMillis ?? 100;
    this.responseDataReceivedTimeoutMillis =
      props.responseDataReceivedTimeoutMillis ?? 1000;
  }

  delayBeforeRetry(): number | null {
    const jitter = 0.9 + Math.random() * 0.2;
    return this.#retryDelayIntervalMillis * jitter;
  }
}
