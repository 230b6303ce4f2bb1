/**
 * The OpenAPI 3.1 document of kvolt's HTTP API, generated from the route
 * definitions (`createRoute` of @hono/zod-openapi) built over the same zod
 * schemas that validate requests, the operation catalogue
 * (`protocol/catalogue.ts`); never hand-kept.
 * Served at `GET /openapi.json`, and rendered as HTML at `GET /docs`
 * (`openapi_page.ts`). Both are public: they describe the API, not its data.
 *
 * @example Every operation has a path
 * ```ts
 * import { openApiDocument } from "./openapi.ts";
 * const doc = openApiDocument();
 * if (!doc.openapi.startsWith("3.")) throw new Error("not OpenAPI 3");
 * if (doc.paths?.["/v1/cache/{cache}/dictionaryFetch"] === undefined) {
 *   throw new Error("missing operation");
 * }
 * ```
 *
 * @module
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Hono } from "hono";
import {
  CATALOGUE,
  type Family,
  OP_NAMES,
  type OpName,
} from "../protocol/catalogue.ts";
import { MAX_PIPELINE_OPS } from "./pipeline.ts";
import { renderReferencePage } from "./openapi_page.ts";
import { errorAnswer, errorSchema, otherRoutes } from "./openapi_routes.ts";

/** The generated document's type. */
export type OpenApiDocument = ReturnType<OpenAPIHono["getOpenAPI31Document"]>;

const cacheParam = z.object({
  cache: z.string().openapi({ param: { name: "cache", in: "path" } }),
});

const ACCESS_TEXT = {
  read: "readonly or readwrite",
  write: "writeonly or readwrite",
  readWrite: "readwrite",
} as const;

/** An operation's arguments, as a named component of the document. */
function argsComponent(op: OpName) {
  return CATALOGUE[op].args.meta({ id: `${op}Args` });
}

function opRoute(op: OpName) {
  const schema = CATALOGUE[op];
  return createRoute({
    method: "post",
    path: `/v1/cache/{cache}/${op}`,
    operationId: op,
    tags: [FAMILY_TAGS[schema.family]],
    summary: schema.summary,
    description: `Token role: ${ACCESS_TEXT[schema.access]}. ${
      schema.idempotent
        ? "Idempotent: clients may retry it."
        : "Not idempotent: clients do not retry it."
    }`,
    security: [{ token: [] }],
    request: {
      params: cacheParam,
      body: {
        required: true,
        content: { "application/json": { schema: argsComponent(op) } },
      },
    },
    responses: {
      200: {
        description: "The operation's result.",
        content: { "application/json": { schema: schema.result } },
      },
      400: errorAnswer("Invalid argument (the message names the field)."),
      401: errorAnswer("Missing, bad or expired token."),
      403: errorAnswer("The token does not allow this operation."),
      404: errorAnswer("Unknown cache or operation."),
      412: errorAnswer("The item has another type, or a bad increment."),
      413: errorAnswer("Item, element or request too large."),
      429: errorAnswer("Rate limit exceeded."),
    },
  });
}

const FAMILY_TAGS: Record<Family, string> = {
  scalar: "scalars",
  dictionary: "dictionaries",
  list: "lists",
  set: "sets",
  sortedSet: "sorted sets",
};

function pipelineRoute() {
  const entry = z.discriminatedUnion(
    "op",
    OP_NAMES.map((op) =>
      z.strictObject({
        cache: z.string(),
        op: z.literal(op),
        args: argsComponent(op),
      })
    ) as never,
  );
  const result = z.union([
    z.looseObject({}).openapi({
      description: "The operation's result.",
    }),
    errorSchema,
  ]);
  return createRoute({
    method: "post",
    path: "/v1/pipeline",
    operationId: "pipeline",
    tags: ["pipeline"],
    summary:
      `Runs up to ${MAX_PIPELINE_OPS} operations; one result or error each, in order.`,
    security: [{ token: [] }],
    request: {
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z.strictObject({
              ops: z.array(entry).max(MAX_PIPELINE_OPS),
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: "One entry per operation, in order.",
        content: {
          "application/json": {
            schema: z.strictObject({ results: z.array(result) }),
          },
        },
      },
      400: errorAnswer('The body is not {"ops": [...]} or has too many.'),
      401: errorAnswer("Missing, bad or expired token."),
      413: errorAnswer("Request too large."),
    },
  });
}

let cached: OpenApiDocument | undefined;

/**
 * The OpenAPI document (built on first use, then reused).
 *
 * @returns the OpenAPI 3.1 document
 */
export function openApiDocument(): OpenApiDocument {
  if (cached !== undefined) return cached;
  const doc = new OpenAPIHono();
  const registry = doc.openAPIRegistry;
  registry.registerComponent("securitySchemes", "token", {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description:
      "An API key or token, raw or as `Bearer <token>` (or the `token` query parameter, not both).",
  });
  for (const op of OP_NAMES) registry.registerPath(opRoute(op));
  registry.registerPath(pipelineRoute());
  for (const route of otherRoutes()) registry.registerPath(route);
  cached = doc.getOpenAPI31Document({
    openapi: "3.1.0",
    // Relative: the server that serves this document.
    servers: [{ url: "/" }],
    info: {
      title: "kvolt",
      version: "1",
      description:
        'A Momento-class cache: Momento\'s HTTP API for scalars, and a JSON API reaching every operation. Bytes travel as WireBytes: a string for UTF-8 text, {"base64": "..."} for any bytes.',
    },
  });
  return cached;
}

/**
 * Adds `GET /openapi.json` and `GET /docs` to an app.
 *
 * @param app the gateway app
 */
export function addOpenApiRoutes(app: Hono): void {
  let page: string | undefined;
  app.get(
    "/openapi.json",
    () =>
      new Response(JSON.stringify(openApiDocument()), {
        headers: { "content-type": "application/json" },
      }),
  );
  app.get("/docs", () => {
    page ??= renderReferencePage(openApiDocument());
    return new Response(page, {
      headers: { "content-type": "text/html; charset=utf-8" },
    });
  });
}
