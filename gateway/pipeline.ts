/**
 * `POST /v1/pipeline`: many operations in one request, one result each, in
 * order.
 *
 * Body: `{"ops":[{"cache":"c","op":"get","args":{"key":"k"}}, ...]}`, at most
 * {@linkcode MAX_PIPELINE_OPS} entries. Answer: 200
 * `{"results":[...]}`, each entry the operation's result or
 * `{"error":{"code","message","cause"?}}`. Each operation is validated,
 * authorized, rate-limited and run on its own (`json_api_run.ts`); one
 * failure does not stop the others. Problems of the request as a whole (token,
 * body not JSON or too large, `ops` missing or too long) are ordinary error
 * responses.
 *
 * Each operation counts `ceil(body bytes / entries)` against the throughput
 * limit, so that a pipeline counts its body once.
 *
 * Speed: consecutive `get` entries are admitted one by one but read from the
 * store in one batch (`pipeline_gets.ts`), and the answer is written as
 * UTF-8 bytes directly (`json_out.ts`); the bytes are those
 * `JSON.stringify({ results })` would give.
 *
 * @module
 */

import type { Hono } from "hono";
import type { TokenClaims } from "../protocol/claims.ts";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import { requestClaims } from "./auth.ts";
import { JSON_HEADERS } from "./http_errors.ts";
import type { JsonApiOptions } from "./json_api.ts";
import { parsingJson, readJsonText } from "./json_api_body.ts";
import { type OpRunContext, runOp } from "./json_api_run.ts";
import { JsonOut } from "./json_out.ts";
import { type EntryAnswers, errorJson, GetRun } from "./pipeline_gets.ts";
import {
  type ArrayFieldErrors,
  type LazyArray,
  lazyArrayField,
  PIECE_CHARS,
  SLICE_MS,
  yieldToEventLoop,
} from "./json_slices.ts";

/** Most operations in one pipeline. */
export const MAX_PIPELINE_OPS = 1000;

const OPS_SHAPE: ArrayFieldErrors = {
  notObject: () => invalid('Invalid argument: body: expected {"ops": [...]}'),
  unknownKey: (field) => invalid(`Invalid argument: ${field}: unknown field`),
  notArray: () =>
    invalid("Invalid argument: ops: expected an array of operations"),
};

/**
 * Adds `POST /v1/pipeline` to an app.
 *
 * @param app the gateway app
 * @param options store, registry, verifier, limits and limiter
 */
export function addPipelineRoute(app: Hono, options: JsonApiOptions): void {
  const { verifier, maxRequestBytes } = options;
  app.post("/v1/pipeline", async (c) => {
    const req = c.req.raw;
    const claims = await requestClaims(req, verifier);
    const { text, bytes } = await readJsonText(req, maxRequestBytes);
    // A large pipeline is checked whole first, then its entries are parsed
    // one at a time as they run (json_slices.ts lazyArrayField).
    const json = text.length <= PIECE_CHARS
      ? await parsingJson(() => Promise.resolve(JSON.parse(text)))
      : {
        ops: await parsingJson(() => lazyArrayField(text, "ops", OPS_SHAPE)),
      };
    return await runPipeline(options, claims, json, bytes);
  });
}

/**
 * Runs every entry of a pipeline body.
 *
 * @param ctx store, registry, limits and limiter
 * @param claims the caller's verified claims
 * @param json the parsed body
 * @param bytes the body's size
 * @returns the 200 answer, `{"results":[...]}`: one result or error body
 * per entry, in order
 * @throws {KvoltError} INVALID_ARGUMENT_ERROR when the body is not
 * `{"ops": [...]}` with at most {@linkcode MAX_PIPELINE_OPS} entries
 *
 * @example One good entry, one bad
 * ```ts
 * import { MemoryStore } from "../protocol/memory_store.ts";
 * import { DEFAULT_OP_LIMITS } from "../protocol/op_limits.ts";
 * import { runPipeline } from "./pipeline.ts";
 * const info = { name: "c", id: 1, createdAt: "" };
 * const ctx = {
 *   store: new MemoryStore(),
 *   caches: { lookup: (n: string) => n === "c" ? info : undefined },
 *   limits: DEFAULT_OP_LIMITS,
 * };
 * const res = await runPipeline(ctx, { sub: "admin", p: "superuser" }, {
 *   ops: [
 *     { cache: "c", op: "get", args: { key: "k" } },
 *     { cache: "c", op: "get", args: { key: 1 } },
 *   ],
 * }, 100);
 * const { results } = await res.json();
 * if (results[0].type !== "Miss") throw new Error("no miss");
 * if (!("error" in results[1])) throw new Error("no error");
 * ```
 */
export async function runPipeline(
  ctx: OpRunContext,
  claims: TokenClaims,
  json: unknown,
  bytes: number,
): Promise<Response> {
  const ops = pipelineOps(json);
  const share = ops.length === 0 ? 0 : Math.ceil(bytes / ops.length);
  const answers: EntryAnswers = new Array(ops.length);
  const gets = new GetRun(ctx, claims, share);
  let sliceStart = performance.now();
  // The clock is read every 8 entries when entries are small (cheap for a
  // pipeline of gets), at every entry when they are large.
  const every = share > 512 ? 0 : 7;
  for (let i = 0; i < ops.length; i++) {
    // A long pipeline runs in slices so that other requests are served
    // between them. Gets admitted so far are read first, so order is kept.
    if ((i & every) === every && performance.now() - sliceStart > SLICE_MS) {
      await gets.flush(answers);
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
    try {
      const { cache, op, args } = pipelineEntry(ops.at(i), i);
      if (op === "get") {
        gets.add(i, cache, args);
        continue;
      }
      // Everything before this entry happens before it (order matters).
      const flushed = gets.flush(answers);
      if (flushed !== undefined) await flushed;
      let result = runOp(ctx, claims, cache, op, args, share);
      if (result instanceof Promise) result = await result;
      answers[i] = JSON.stringify(result) ?? "null";
    } catch (err) {
      answers[i] = errorJson(err);
    }
  }
  await gets.flush(answers);
  const out = new JsonOut();
  out.text('{"results":[');
  for (let i = 0; i < answers.length; i++) {
    if (i > 0) out.text(",");
    const answer = answers[i]!;
    if (typeof answer === "string") out.text(answer);
    else out.hit(answer);
  }
  out.text("]}");
  return new Response(out.bytes() as Uint8Array<ArrayBuffer>, {
    headers: JSON_HEADERS,
  });
}

function invalid(message: string): KvoltError {
  return new KvoltError(ErrorCode.INVALID_ARGUMENT, message);
}

function pipelineOps(json: unknown): unknown[] | LazyArray {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw invalid('Invalid argument: body: expected {"ops": [...]}');
  }
  for (const field in json) {
    if (field !== "ops") {
      throw invalid(`Invalid argument: ${field}: unknown field`);
    }
  }
  const ops = (json as { ops?: unknown }).ops;
  if (isLazyArray(ops)) {
    checkCount(ops.length);
    return ops;
  }
  if (!Array.isArray(ops)) {
    throw invalid("Invalid argument: ops: expected an array of operations");
  }
  checkCount(ops.length);
  return ops;
}

function checkCount(length: number): void {
  if (length > MAX_PIPELINE_OPS) {
    throw invalid(
      `Invalid argument: ops: at most ${MAX_PIPELINE_OPS} operations in a pipeline: received ${length}`,
    );
  }
}

function isLazyArray(value: unknown): value is LazyArray {
  return typeof value === "object" && value !== null &&
    !Array.isArray(value) && typeof (value as LazyArray).at === "function" &&
    typeof (value as LazyArray).length === "number";
}

/** One entry of a pipeline, its shape checked. */
export interface PipelineEntry {
  cache: string;
  op: string;
  args: unknown;
}

/**
 * Checks the shape of entry `i` (not its arguments).
 *
 * @param value the entry as parsed
 * @param i its index, for messages
 * @returns the entry
 * @throws {KvoltError} INVALID_ARGUMENT_ERROR naming the bad field
 */
export function pipelineEntry(value: unknown, i: number): PipelineEntry {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(
      `Invalid argument: ops.${i}: expected {"cache", "op", "args"}`,
    );
  }
  const e = value as Record<string, unknown>;
  for (const field in e) {
    if (field !== "cache" && field !== "op" && field !== "args") {
      throw invalid(`Invalid argument: ops.${i}.${field}: unknown field`);
    }
  }
  if (typeof e.cache !== "string" || e.cache === "") {
    throw invalid(`Invalid argument: ops.${i}.cache: expected a cache name`);
  }
  if (typeof e.op !== "string") {
    throw invalid(`Invalid argument: ops.${i}.op: expected an operation name`);
  }
  if (e.args === undefined) {
    throw invalid(`Invalid argument: ops.${i}.args: missing`);
  }
  return { cache: e.cache, op: e.op, args: e.args };
}
