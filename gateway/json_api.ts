/**
 * The JSON API: every data operation of `protocol/operations.ts` over
 * `POST /v1/cache/{cache}/{op}`, with the operation's arguments as a JSON
 * object and its result as the JSON answer. Bytes travel as WireBytes
 * (`wire_bytes.ts`): a string for UTF-8 text, `{"base64": "..."}` for any
 * bytes.
 *
 * | route                          | answer                                           |
 * | ------------------------------ | ------------------------------------------------ |
 * | `POST /v1/cache/{cache}/{op}`  | 200 the result, e.g. `{"type":"Hit","value":"v"}` |
 * | `POST /v1/pipeline`            | 200 `{"results":[...]}` (see `pipeline.ts`)       |
 * | `GET /v1/ping`                 | 200 `{"type":"Success"}`                          |
 *
 * Tokens travel as on the Momento routes. Errors are
 * `{"error":{"code","message","cause"?}}` with the status of
 * `http_errors.ts`; an unknown operation is 404 NOT_FOUND_ERROR.
 *
 * @module
 */

import type { Context, Hono } from "hono";
import { requestClaims } from "./auth.ts";
import { JSON_HEADERS } from "./http_errors.ts";
import { argNamesOf } from "./json_api_args.ts";
import { readJsonBody } from "./json_api_body.ts";
import { type OpRunContext, runOp } from "./json_api_run.ts";
import type { TokenVerifier } from "./token_verifier.ts";

/** What the JSON API routes need. */
export interface JsonApiOptions extends OpRunContext {
  verifier: TokenVerifier;
  /** Largest request body, in bytes. */
  maxRequestBytes: number;
}

/**
 * A 200 JSON response.
 *
 * @param body a JSON-ready value
 * @returns the response
 */
export function jsonOk(body: unknown): Response {
  return new Response(JSON.stringify(body), { headers: JSON_HEADERS });
}

/**
 * Adds `POST /v1/cache/{cache}/{op}` and `GET /v1/ping` to an app.
 *
 * @param app the gateway app
 * @param options store, registry, verifier, limits and limiter
 */
export function addJsonApiRoutes(app: Hono, options: JsonApiOptions): void {
  const { verifier, maxRequestBytes } = options;

  app.post("/v1/cache/:cache/:op", async (c: Context) => {
    const req = c.req.raw;
    const claims = await requestClaims(req, verifier);
    const cacheName = c.req.param("cache") as string;
    const op = c.req.param("op") as string;
    const { json, bytes } = await readJsonBody(
      req,
      maxRequestBytes,
      argNamesOf(op),
    );
    return jsonOk(await runOp(options, claims, cacheName, op, json, bytes));
  });

  app.get("/v1/ping", async (c: Context) => {
    await requestClaims(c.req.raw, verifier);
    return jsonOk({ type: "Success" });
  });
}
