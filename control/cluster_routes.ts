/**
 * The control service's cluster API, for nodes (every call carries the join
 * token from `DIR/join-token` in `Authorization`, never the super-user key):
 *
 * | request                                  | answer                                     |
 * | ---------------------------------------- | ------------------------------------------ |
 * | `POST /v1/cluster/nodes` (a NodeInfo)    | 200 the topology (registered or re-registered) |
 * | `POST /v1/cluster/nodes/{id}/heartbeat`  | 204; 404 when unknown (register again)     |
 * | `DELETE /v1/cluster/nodes/{id}`          | 204 (leaves for good); 404 when unknown    |
 * | `GET /v1/topology?after=V&waitMs=W`      | 200 the topology once its version is above V, or the current one after W ms (default 30 s, at most 60 s) |
 * | `POST /v1/cluster/caches` `{"name"}`     | 200 the cache, created cluster-wide        |
 * | `DELETE /v1/cluster/caches/{name}`       | 200 the cache deleted                      |
 * | `PUT /v1/cluster/caches/{name}/limits`   | 200 the cache with its new limits          |
 * | `POST /v1/cluster/revocations` `{"id"}`  | 204 once the topology refusing the token is published |
 * | `POST /v1/cluster/moves` `{"source","node","slots","from"}` | 200 `{"accepted":[slots],"version"}`: a primary copied `slots` to `node` (copy started at topology `from`) |
 * | `POST /v1/cluster/certificates` `{"names"}` | 200 `{"cert","key"}` (PEM): a server certificate for the node, signed by the cluster's CA (TLS only) |
 * | `POST /v1/cluster/usage` `{"node","demand":{cache: ops/s}}` | 200 `{cache: {"rate","nodes"}}`: the cluster's demand per cache, for splitting rate limits |
 * | `POST /v1/cluster/stale` `{"source","node","slots"}` | 204 once published: a primary's replica `node` failed a write of `slots`; it owns them no more |
 *
 * Cache changes come from nodes whose gateway has already checked the
 * caller's token and the limits; they are published with the next topology
 * version.
 *
 * Errors are `{"error":{"code","message"}}` with kvolt's codes.
 *
 * @module
 */

import { Hono } from "hono";
import { errorBody, ErrorCode, KvoltError } from "../protocol/errors.ts";
import type { ClusterService } from "./cluster_service.ts";
import { parseNodeInfo } from "./membership.ts";
import type { PemPair } from "./dev_certs.ts";
import { SLOT_COUNT } from "../protocol/slots.ts";

/** Longest long poll, ms. */
export const MAX_WAIT_MS = 60_000;
const DEFAULT_WAIT_MS = 30_000;

const STATUS: Partial<Record<string, 400 | 401 | 404 | 409 | 503>> = {
  [ErrorCode.INVALID_ARGUMENT]: 400,
  [ErrorCode.AUTHENTICATION]: 401,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.ALREADY_EXISTS]: 409,
  [ErrorCode.SERVER_UNAVAILABLE]: 503,
};

/** Equal strings, in time that does not depend on where they differ. */
function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ (y[i % y.length] ?? 0);
  return diff === 0;
}

/**
 * The routes.
 *
 * @param cluster membership and topology
 * @param joinToken what nodes present
 * @param issue issues a node's server certificate (a TLS control service)
 */
export function clusterRoutes(
  cluster: ClusterService,
  joinToken: string,
  issue?: (names: string[]) => Promise<PemPair>,
) {
  const app = new Hono();
  app.onError((err, c) => {
    const known = err instanceof KvoltError ? err : new KvoltError(
      ErrorCode.INTERNAL_SERVER,
      "Internal server error",
    );
    if (!(err instanceof KvoltError)) {
      console.error(`kvolt control: ${err}`);
    }
    return c.json(errorBody(known), STATUS[known.code] ?? 500);
  });
  app.use("/v1/*", async (c, next) => {
    const token = c.req.header("authorization")?.replace(/^Bearer\s+/i, "");
    if (token === undefined || !sameSecret(token, joinToken)) {
      throw new KvoltError(
        ErrorCode.AUTHENTICATION,
        "Invalid join token: nodes present DIR/join-token of the control service",
      );
    }
    await next();
  });
  app.post("/v1/cluster/nodes", async (c) => {
    let node;
    try {
      node = parseNodeInfo(await c.req.json());
    } catch (err) {
      throw new KvoltError(
        ErrorCode.INVALID_ARGUMENT,
        `Invalid node: ${err instanceof Error ? err.message : err}`,
      );
    }
    return c.json(await cluster.register(node));
  });
  app.post("/v1/cluster/nodes/:id/heartbeat", async (c) => {
    if (!(await cluster.heartbeat(c.req.param("id")))) throw unknownNode();
    return c.body(null, 204);
  });
  app.delete("/v1/cluster/nodes/:id", async (c) => {
    if (!(await cluster.leave(c.req.param("id")))) throw unknownNode();
    return c.body(null, 204);
  });
  app.get("/v1/topology", async (c) => {
    const after = intParam(c.req.query("after"), "after", -1);
    const wait = Math.min(
      intParam(c.req.query("waitMs"), "waitMs", DEFAULT_WAIT_MS),
      MAX_WAIT_MS,
    );
    // not the request's signal: reading it makes Deno print a warning about
    // its legacy abort; a poller that went away holds a waiter until `wait`
    return c.json(await cluster.topology(after, wait));
  });
  app.post("/v1/cluster/revocations", async (c) => {
    const body = await c.req.json().catch(() => undefined);
    const id = (body as { id?: unknown } | undefined)?.id;
    if (typeof id !== "string" || id.length === 0 || id.length > 128) {
      throw new KvoltError(
        ErrorCode.INVALID_ARGUMENT,
        "Invalid argument: id: expected a token id",
      );
    }
    await cluster.revoke(id);
    return c.body(null, 204);
  });
  app.post("/v1/cluster/moves", async (c) => {
    const { source, node, slots, from } = await slotReport(c.req.raw);
    if (!Number.isSafeInteger(from)) {
      throw new KvoltError(
        ErrorCode.INVALID_ARGUMENT,
        "Invalid argument: from: expected a topology version",
      );
    }
    const accepted = await cluster.moved(source, node, slots, from as number);
    const { version } = await cluster.topology(-1, 0);
    return c.json({ accepted, version });
  });
  app.post("/v1/cluster/usage", async (c) => {
    const body = await c.req.json().catch(() => undefined) as
      | { node?: unknown; demand?: unknown }
      | undefined;
    const demand = body?.demand;
    if (
      typeof body?.node !== "string" || typeof demand !== "object" ||
      demand === null || Array.isArray(demand) ||
      !Object.values(demand).every((v) =>
        typeof v === "number" && v >= 0 && v < Infinity
      )
    ) {
      throw new KvoltError(
        ErrorCode.INVALID_ARGUMENT,
        "Invalid argument: expected {node, demand: {cache: operations per second}}",
      );
    }
    return c.json(
      cluster.usage(body.node, demand as Record<string, number>),
    );
  });
  app.post("/v1/cluster/stale", async (c) => {
    const { source, node, slots } = await slotReport(c.req.raw);
    await cluster.stale(source, node, slots);
    return c.body(null, 204);
  });
  app.post("/v1/cluster/certificates", async (c) => {
    const body = await c.req.json().catch(() => undefined);
    const names = (body as { names?: unknown } | undefined)?.names;
    if (
      !Array.isArray(names) || names.length === 0 || names.length > 16 ||
      !names.every((n) =>
        typeof n === "string" && /^[A-Za-z0-9.:_-]{1,253}$/.test(n)
      )
    ) {
      throw new KvoltError(
        ErrorCode.INVALID_ARGUMENT,
        "Invalid argument: names: expected 1 to 16 host names or addresses",
      );
    }
    if (issue === undefined) {
      throw new KvoltError(
        ErrorCode.INVALID_ARGUMENT,
        "This control service runs --http: it issues no certificates",
      );
    }
    const pair = await issue(names as string[]);
    return c.json({ cert: pair.certPem, key: pair.keyPem });
  });
  app.post("/v1/cluster/caches", async (c) => {
    const body = await c.req.json().catch(() => undefined);
    const name = (body as { name?: unknown } | undefined)?.name;
    if (typeof name !== "string") {
      throw new KvoltError(
        ErrorCode.INVALID_ARGUMENT,
        "Invalid argument: name: expected a string",
      );
    }
    return c.json(await cluster.createCache(name));
  });
  app.delete("/v1/cluster/caches/:name", async (c) => {
    return c.json(await cluster.deleteCache(c.req.param("name")));
  });
  app.put("/v1/cluster/caches/:name/limits", async (c) => {
    const limits = await c.req.json().catch(() => undefined);
    if (typeof limits !== "object" || limits === null) {
      throw new KvoltError(
        ErrorCode.INVALID_ARGUMENT,
        "Invalid argument: limits: expected an object",
      );
    }
    return c.json(await cluster.setCacheLimits(c.req.param("name"), limits));
  });
  return app;
}

/** A primary's report about a node and slots, checked. */
async function slotReport(req: Request): Promise<
  { source: string; node: string; slots: number[]; from?: unknown }
> {
  const body = await req.json().catch(() => undefined) as
    | Record<string, unknown>
    | undefined;
  const { source, node, slots, from } = body ?? {};
  if (
    typeof source !== "string" || typeof node !== "string" ||
    !Array.isArray(slots) ||
    !slots.every((s) => Number.isInteger(s) && s >= 0 && s < SLOT_COUNT)
  ) {
    throw new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      "Invalid argument: expected {source, node, slots: [slot]}",
    );
  }
  return { source, node, slots: slots as number[], from };
}

function unknownNode(): KvoltError {
  return new KvoltError(
    ErrorCode.NOT_FOUND,
    "Unknown node: register it again",
  );
}

function intParam(
  text: string | undefined,
  name: string,
  fallback: number,
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < -1) {
    throw new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      `Invalid argument: ${name}: expected an integer: received ${
        text.slice(0, 40)
      }`,
    );
  }
  return n;
}
