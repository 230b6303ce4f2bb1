/**
 * The accept loop's per-connection state (`listener.ts`): its phase, which
 * bound it has passed, closing it, and timing an upload's progress.
 *
 * @module
 */

import type { ConnectionLimits } from "./listener.ts";

/** Declared bodies up to this size are timed whole, not chunk by chunk. */
export const SMALL_BODY_BYTES = 64 * 1024;

/** Where a connection is: waiting for a head, serving, or idle between requests. */
export const enum Phase {
  Head,
  Busy,
  Idle,
}

/** What the accept loop tracks per connection. */
export interface ConnState {
  controller: AbortController;
  phase: Phase;
  /** Requests being handled on this connection. */
  inFlight: number;
  /** Clock (ms) when the current phase's bound started. */
  since: number;
  /** Uploads in progress and the clock of their last progress. */
  uploads: number;
  lastProgress: number;
}

// Deno closes a connection's resource when its signal aborts; when the peer
// has closed it a moment before (its resource already gone, `finished` not yet
// settled) that close throws BadResource inside the abort event, where it
// would surface as an uncaught error and end the process. Aborts happen only
// through closeConnection, which marks that window so the listener below can
// swallow exactly that error.
let aborting = false;
let guardInstalled = false;

/** Aborts a connection's signal (Deno then closes it), at most once. */
export function closeConnection(state: ConnState): void {
  if (state.controller.signal.aborted) return;
  if (!guardInstalled) {
    guardInstalled = true;
    globalThis.addEventListener("error", (event) => {
      if (aborting && event.error instanceof Deno.errors.BadResource) {
        event.preventDefault();
      }
    });
  }
  aborting = true;
  try {
    state.controller.abort();
  } finally {
    aborting = false;
  }
}

/** Which bound a connection has passed at `now`, if any. */
export function expired(
  state: ConnState,
  now: number,
  limits: ConnectionLimits,
): "head" | "idle" | "body" | undefined {
  switch (state.phase) {
    case Phase.Head:
      return now - state.since > limits.headTimeoutMs ? "head" : undefined;
    case Phase.Idle:
      return now - state.since > limits.idleTimeoutMs ? "idle" : undefined;
    case Phase.Busy:
      return state.uploads > 0 &&
          now - state.lastProgress > limits.bodyTimeoutMs
        ? "body"
        : undefined;
  }
}

/**
 * The request with its body passed through a stream that notes each chunk as
 * progress (only requests with a body pay for it).
 */
export function trackUpload(
  request: Request,
  body: ReadableStream<Uint8Array>,
  state: ConnState,
): Request {
  state.uploads++;
  state.lastProgress = Date.now();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    state.uploads--;
  };
  const reader = body.getReader();
  const tracked = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        state.lastProgress = Date.now();
        if (done) {
          end();
          controller.close();
          return;
        }
        controller.enqueue(value);
      } catch (err) {
        end();
        controller.error(err);
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: tracked,
    duplex: "half",
  } as RequestInit);
}
