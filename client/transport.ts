/**
 * The SDK's one way to the server: `fetch` with the token, a per-attempt
 * deadline, the caller's AbortSignal, and retries (backoff with full jitter)
 * for idempotent requests on retryable failures. Every failure leaves here as
 * an sdk-core `SdkError`: TimeoutError when the deadline passes,
 * CancelledError when the caller aborts, ServerUnavailableError when the
 * server cannot be reached, else the server's own error.
 *
 * @module
 */

import {
  type SdkError,
  TimeoutError,
  UnknownServiceError,
} from "./_sdk_core.ts";
import { cancelledError, unreachableError } from "./transport_errors.ts";
import { sdkErrorFromWire, type WireError } from "./errors.ts";
import {
  CATALOGUE,
  type OpArgs,
  type OpName,
  type OpResult,
} from "../protocol/catalogue.ts";
import { toWire } from "../protocol/wire_bytes.ts";
import type { RetryStrategy } from "./retry.ts";

/** A `fetch` function (the global one, or one trusting a CA). */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** What a {@linkcode HttpTransport} needs. */
export interface TransportProps {
  /** Data endpoint, e.g. `https://127.0.0.1:8443` (no trailing slash). */
  baseUrl: string;
  /** The token sent in `Authorization`. */
  authToken: string;
  /** The fetch to use. */
  fetch: FetchFunction;
  /** Per-attempt deadline, ms. */
  timeoutMillis: number;
  /** When and how often idempotent requests are retried. */
  retryStrategy: RetryStrategy;
  /** Sent as the `read-concern` header when CONSISTENT (none for BALANCED). */
  readConcern?: string;
}

/** One request. */
export interface TransportRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path from the base URL, starting with `/`. */
  path: string;
  /** JSON body, if any. */
  body?: unknown;
  /** The caller's signal. */
  signal?: AbortSignal | undefined;
  /** Retry on retryable failures. */
  idempotent: boolean;
}

// Statuses that may pass on their own: 500 internal, 502/503/504 gateway,
// unavailable, gateway timeout. Never 429 (see retry.ts).
const RETRY_STATUSES = new Set([500, 502, 503, 504]);

class RetryableError extends Error {
  constructor(readonly sdkError: SdkError) {
    super(sdkError.message);
  }
}

/** Sends kvolt API requests; see the module doc. */
export class HttpTransport {
  readonly #props: TransportProps;

  /** @param props endpoint, token, fetch, deadline, retries */
  constructor(props: TransportProps) {
    this.#props = { ...props, baseUrl: props.baseUrl.replace(/\/+$/, "") };
  }

  /** The base URL requests go to. */
  get baseUrl(): string {
    return this.#props.baseUrl;
  }

  /**
   * Runs one data operation (`POST /v1/cache/{cache}/{op}`): the arguments
   * are written as JSON and the answer read with the catalogue's result
   * schema.
   *
   * @param cacheName the cache
   * @param op the operation's name
   * @param args the operation's arguments
   * @param signal the caller's abort signal
   * @returns the typed result
   * @throws UnknownServiceError when the answer is not a result of `op`
   */
  async op<K extends OpName>(
    cacheName: string,
    op: K,
    args: OpArgs<K>,
    signal?: AbortSignal,
  ): Promise<OpResult<K>> {
    const result = await this.send({
      method: "POST",
      path: `/v1/cache/${encodeURIComponent(cacheName)}/${op}`,
      body: toWire(args),
      signal,
      idempotent: CATALOGUE[op].idempotent,
    });
    const parsed = CATALOGUE[op].result.safeParse(result);
    if (!parsed.success) {
      throw new UnknownServiceError(
        `Invalid result of ${op}: ${JSON.stringify(result)?.slice(0, 200)}`,
      );
    }
    return parsed.data as OpResult<K>;
  }

  /**
   * Sends a request, retrying as the module doc says.
   *
   * @returns the parsed JSON body, or undefined for an empty body
   * @throws SdkError on any failure
   */
  async send(request: TransportRequest): Promise<unknown> {
    const { retryStrategy, timeoutMillis } = this.#props;
    // Fixed-timeout retries: a deadline per attempt, the client timeout for
    // all of them together.
    const perAttempt = retryStrategy.responseDataReceivedTimeoutMillis;
    const started = Date.now();
    for (let attempt = 1;; attempt++) {
      try {
        const left = timeoutMillis - (Date.now() - started);
        return await this.#attempt(
          request,
          perAttempt === undefined ? timeoutMillis : Math.min(perAttempt, left),
        );
      } catch (err) {
        if (!(err instanceof RetryableError)) throw err;
        let delay = request.idempotent
          ? retryStrategy.delayBeforeRetry(attempt)
          : null;
        if (
          delay !== null && perAttempt !== undefined &&
          Date.now() - started + delay >= timeoutMillis
        ) {
          delay = null;
        }
        if (delay === null) throw err.sdkError;
        await sleep(delay, request.signal);
      }
    }
  }

  async #attempt(
    request: TransportRequest,
    timeoutMillis: number,
  ): Promise<unknown> {
    const { signal } = request;
    if (signal?.aborted) throw cancelled();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMillis);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let status: number;
    let text: string;
    const url = this.#props.baseUrl + request.path;
    try {
      const headers: Record<string, string> = {
        authorization: this.#props.authToken,
      };
      if (request.body !== undefined) {
        headers["content-type"] = "application/json";
      }
      if (this.#props.readConcern === "consistent") {
        headers["read-concern"] = "consistent";
      }
      const response = await this.#props.fetch(
        url,
        {
          method: request.method,
          headers,
          body: request.body === undefined
            ? undefined
            : JSON.stringify(request.body),
          signal: controller.signal,
        },
      );
      status = response.status;
      text = await response.text();
    } catch (err) {
      if (timedOut) {
        throw new TimeoutError(
          `Request timed out: no answer within ${timeoutMillis} ms`,
        );
      }
      if (signal?.aborted) throw cancelled();
      throw new RetryableError(unreachableError(url, err));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
    const body = parseJson(text);
    if (status >= 200 && status < 300) return body;
    const error = (body as { error?: WireError } | undefined)?.error;
    const sdkError = sdkErrorFromWire(error, status);
    if (RETRY_STATUSES.has(status)) throw new RetryableError(sdkError);
    throw sdkError;
  }
}

function cancelled(): SdkError {
  return cancelledError();
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
