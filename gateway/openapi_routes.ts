/**
 * Route definitions for the OpenAPI document beyond the JSON API's data
 * operations: Momento's scalar routes, ping and the control routes, plus the
 * error body every route answers with.
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";

/** The JSON error body, for every error response. */
export const errorSchema = z.strictObject({
  error: z.strictObject({
    code: z.string().openapi({ example: "INVALID_ARGUMENT_ERROR" }),
    message: z.string(),
    cause: z.string().optional().openapi({
      description: "For LIMIT_EXCEEDED_ERROR: which limit.",
    }),
  }),
}).openapi("Error");

/**
 * An error response of the document.
 *
 * @param description when it happens
 * @returns the response object
 */
export function errorAnswer(description: string) {
  return {
    description,
    content: { "application/json": { schema: errorSchema } },
  };
}

const security = [{ token: [] }];
const unauthorized = errorAnswer("Missing, bad or expired token.");
const forbidden = errorAnswer("The token does not allow this.");
const noContent = { description: "Done." };

const momentoQuery = z.object({
  key: z.string().optional().openapi({
    description: "The key as text (give key or key_base64).",
  }),
  key_base64: z.string().optional().openapi({
    description: "The key as base64 (standard or URL-safe).",
  }),
  token: z.string().optional().openapi({
    description: "The token, when not in the Authorization header.",
  }),
});
const cacheName = z.object({
  cache: z.string().openapi({ param: { name: "cache", in: "path" } }),
});
const name = z.object({
  name: z.string().openapi({ param: { name: "name", in: "path" } }),
});
const cacheInfo = z.object({ name: z.string(), createdAt: z.string() });

/**
 * Momento's routes, ping and the control routes, as route definitions.
 *
 * @returns the routes, for the document's registry
 */
export function otherRoutes() {
  return [...itemAndControlRoutes(), ...tokenAndOpsRoutes()];
}

function itemAndControlRoutes() {
  const momento = { tags: ["Momento HTTP API"], security };
  const control = { tags: ["control (super-user)"], security };
  return [
    createRoute({
      operationId: "getItem",
      ...momento,
      method: "get",
      path: "/cache/{cache}",
      summary: "Reads a value (Momento's HTTP API).",
      request: { params: cacheName, query: momentoQuery },
      responses: {
        200: {
          description: "The value's raw bytes.",
          content: {
            "application/octet-stream": {
              schema: z.string().openapi({ format: "binary" }),
            },
          },
        },
        400: errorAnswer("Bad key."),
        401: unauthorized,
        403: forbidden,
        404: errorAnswer("Missing key or cache."),
      },
    }),
    createRoute({
      operationId: "setItem",
      ...momento,
      method: "put",
      path: "/cache/{cache}",
      summary: "Stores the raw body as the value (Momento's HTTP API).",
      request: {
        params: cacheName,
        query: momentoQuery.extend({
          ttl_seconds: z.string().openapi({ description: "TTL in seconds." }),
        }),
        body: {
          content: {
            "application/octet-stream": {
              schema: z.string().openapi({ format: "binary" }),
            },
          },
        },
      },
      responses: {
        204: noContent,
        400: errorAnswer("Bad key or TTL."),
        401: unauthorized,
        403: forbidden,
        404: errorAnswer("Missing cache."),
        413: errorAnswer("Key and value larger than the item limit."),
      },
    }),
    createRoute({
      operationId: "deleteItem",
      ...momento,
      method: "delete",
      path: "/cache/{cache}",
      summary: "Removes an item (Momento's HTTP API).",
      request: { params: cacheName, query: momentoQuery },
      responses: {
        204: noContent,
        400: errorAnswer("Bad key."),
        401: unauthorized,
        403: forbidden,
        404: errorAnswer("Missing cache."),
      },
    }),
    createRoute({
      operationId: "ping",
      method: "get",
      path: "/v1/ping",
      tags: ["JSON API"],
      security,
      summary: "Checks the token and that the server answers.",
      responses: {
        200: {
          description: "Alive.",
          content: {
            "application/json": {
              schema: z.object({ type: z.literal("Success") }),
            },
          },
        },
        401: unauthorized,
      },
    }),
    createRoute({
      operationId: "listCaches",
      ...control,
      method: "get",
      path: "/v1/caches",
      summary: "Lists the caches.",
      responses: {
        200: {
          description: "The caches, by name.",
          content: {
            "application/json": {
              schema: z.object({ caches: z.array(cacheInfo) }),
            },
          },
        },
        401: unauthorized,
        403: forbidden,
      },
    }),
    createRoute({
      operationId: "createCache",
      ...control,
      method: "put",
      path: "/v1/caches/{name}",
      summary: "Creates a cache, or sets its rate limits when it exists.",
      request: {
        params: name,
        body: {
          required: false,
          content: {
            "application/json": {
              schema: z.object({
                limits: z.object({
                  opsPerSecond: z.number().optional(),
                  bytesPerSecond: z.number().optional(),
                  opsBurst: z.number().optional(),
                  bytesBurst: z.number().optional(),
                }).optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: {
          description: "Created.",
          content: { "application/json": { schema: cacheInfo } },
        },
        400: errorAnswer("Bad name."),
        401: unauthorized,
        403: forbidden,
        409: errorAnswer("The cache exists."),
      },
    }),
    createRoute({
      operationId: "deleteCache",
      ...control,
      method: "delete",
      path: "/v1/caches/{name}",
      summary: "Deletes a cache and its items.",
      request: { params: name },
      responses: {
        204: noContent,
        401: unauthorized,
        403: forbidden,
        404: errorAnswer("No such cache."),
      },
    }),
    createRoute({
      operationId: "flushCache",
      ...control,
      method: "post",
      path: "/v1/caches/{name}/flush",
      summary: "Removes every item of a cache.",
      request: { params: name },
      responses: {
        204: noContent,
        401: unauthorized,
        403: forbidden,
        404: errorAnswer("No such cache."),
      },
    }),
  ];
}

/** `POST /v1/tokens`, its revocation, `/healthz`, `/metrics` and the documentation itself. */
function tokenAndOpsRoutes() {
  const permission = z.object({
    role: z.enum(["readwrite", "readonly", "writeonly"]),
    cache: z.union([
      z.object({ all: z.literal(true) }),
      z.object({ name: z.string() }),
    ]),
    item: z.union([
      z.object({ all: z.literal(true) }),
      z.object({ key: z.string() }),
      z.object({ keyPrefix: z.string() }),
    ]),
  }).openapi("CachePermission");
  return [
    createRoute({
      operationId: "generateDisposableToken",
      method: "post",
      path: "/v1/tokens",
      tags: ["control (super-user)"],
      security,
      summary: "Mints a disposable token (super-user key only).",
      request: {
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z.object({
                expiresInSeconds: z.number().int().min(1).max(86_400),
                permissions: z.array(permission).min(1).max(20),
                tokenId: z.string().max(64).optional(),
              }),
            },
          },
        },
      },
      responses: {
        200: {
          description: "The token, the endpoint it names, its expiry.",
          content: {
            "application/json": {
              schema: z.object({
                authToken: z.string(),
                endpoint: z.string(),
                expiresAt: z.number().int(),
                id: z.string().openapi({
                  description: "The token's unique id, for revoking it.",
                }),
              }),
            },
          },
        },
        400: errorAnswer("Bad expiry or permissions."),
        401: unauthorized,
        403: forbidden,
      },
    }),
    createRoute({
      operationId: "revokeToken",
      method: "post",
      path: "/v1/tokens/revoke",
      tags: ["control (super-user)"],
      security,
      summary:
        "Revokes a token by its id (super-user key only): refused from then on.",
      request: {
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z.object({ id: z.string().min(1).max(128) }),
            },
          },
        },
      },
      responses: {
        204: { description: "Revoked." },
        400: errorAnswer("No id."),
        401: unauthorized,
        403: forbidden,
        503: errorAnswer("This gateway keeps no revocations."),
      },
    }),
    createRoute({
      operationId: "healthz",
      method: "get",
      path: "/healthz",
      tags: ["operations"],
      security: [],
      summary: "Liveness and readiness, without a token and without data.",
      responses: {
        200: {
          description: "Serving.",
          content: {
            "application/json": {
              schema: z.object({ status: z.literal("ok") }),
            },
          },
        },
        503: {
          description: "Shutting down.",
          content: {
            "application/json": {
              schema: z.object({ status: z.literal("stopping") }),
            },
          },
        },
      },
    }),
    createRoute({
      operationId: "metrics",
      method: "get",
      path: "/metrics",
      tags: ["operations"],
      security,
      summary: "Prometheus metrics (super-user key only).",
      responses: {
        200: {
          description: "Prometheus text format 0.0.4.",
          content: { "text/plain": { schema: z.string() } },
        },
        401: unauthorized,
        403: forbidden,
      },
    }),
    createRoute({
      operationId: "openapi",
      method: "get",
      path: "/openapi.json",
      tags: ["operations"],
      security: [],
      summary: "This document.",
      responses: {
        200: {
          description: "OpenAPI 3.1.",
          content: { "application/json": { schema: z.object({}) } },
        },
      },
    }),
    createRoute({
      operationId: "docs",
      method: "get",
      path: "/docs",
      tags: ["operations"],
      security: [],
      summary: "This document as a page.",
      responses: {
        200: {
          description: "HTML.",
          content: { "text/html": { schema: z.string() } },
        },
      },
    }),
  ];
}
