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
 * @module
 */

import type { Hono } from "hono";
import type { TokenClaims } from "../protocol/claims.ts";
import { errorBody, ErrorCode, KvoltError } from "../protocol/errors.ts";
import { type JsonApiOptions, jsonOk, requestClaims } from "./json_api.ts";
import { readJsonBody } from "./json_api_body.ts";
import { type OpRunContext, runOp } from "./json_api_run.ts";

/** Most operations in one pipeline. */
export const MAX_PIPELINE_OPS = 1000;

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
    const { json, bytes } = await readJsonBody(req, maxRequestBytes);
    return jsonOk({ results: runPipeline(options, claims, json, bytes) });
  });
}

/**
 * Runs every entry of a pipeline body.
 *
 * @param ctx store, registry, limits and limiter
 * @param claims the caller's verified claims
 * @param json the parsed body
 * @param bytes the body's size
 * @returns one result or error body per entry, in order
 * @throws {KvoltError} INVALID_ARGUMENT_ERROR when the body is not
 * `{"ops": [...]}` with at most {@linkcode MAX_PIPELINE_OPS} entries
 *
 * @example One good entry, one bad
 * ```ts
 * import { MemoryStore } from "../protocol/memory_store.ts";
 * import { DEFAULT_OP_LIMITS } from "./op_validation.ts";
 * import { runPipeline } from "./pipeline.ts";
 * const info = { name: "c", id: 1, createdAt: "" };
 * const ctx = {
 *   store: new MemoryStore(),
 *   caches: { lookup: (n: string) => n === "c" ? info : undefined },
 *   limits: DEFAULT_OP_LIMITS,
 * };
 * const results = runPipeline(ctx, { sub: "admin", p: "superuser" }, {
 *   ops: [
 *     { cache: "c", op: "get", args: { key: "k" } },
 *     { cache: "c", op: "get", args: { key: 1 } },
 *   ],
 * }, 100);
 * if ((results[0] as { type?: string }).type !== "Miss") throw new Error("no miss");
 * if (!("error" in (results[1] as object))) throw new Error("no error");
 * ```
 */
export function runPipeline(
  ctx: OpRunContext,
  claims: TokenClaims,
  json: unknown,
  bytes: number,
): unknown[] {
  const ops = pipelineOps(json);
  const share = ops.length === 0 ? 0 : Math.ceil(bytes / ops.length);
  const results: unknown[] = new Array(ops.length);
  for (let i = 0; i < ops.length; i++) {
    try {
      const { cache, op, args } = entry(ops[i], i);
      results[i] = runOp(ctx, claims, cache, op, args, share);
    } catch (err) {
      results[i] = errorEntry(err);
    }
  }
  return results;
}

function invalid(message: string): KvoltError {
  return new KvoltError(ErrorCode.INVALID_ARGUMENT, message);
}

function pipelineOps(json: unknown): unknown[] {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw invalid('Invalid argument: body: expected {"ops": [...]}');
  }
  for (const field in json) {
    if (field !== "ops") {
      throw invalid(`Invalid argument: ${field}: unknown field`);
    }
  }
  const ops = (json as { ops?: unknown }).ops;
  if (!Array.isArray(ops)) {
    throw invalid("Invalid argument: ops: expected an array of operations");
  }
  if (ops.length > MAX_PIPELINE_OPS) {
    throw invalid(
      `Invalid argument: ops: at most ${MAX_PIPELINE_OPS} operations in a pipeline: received ${ops.length}`,
    );
  }
  return ops;
}

interface Entry {
  cache: string;
  op: string;
  args: unknown;
}

function entry(value: unknown, i: number): Entry {
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

function errorEntry(err: unknown): unknown {
  if (err instanceof KvoltError) return errorBody(err);
  console.error("kvolt gateway: unexpected error in a pipeline:", err);
  return errorBody(
    new KvoltError(ErrorCode.INTERNAL_SERVER, "Internal server error"),
  );
}
