import assert from "node:assert/strict";
import { OP_NAMES } from "../protocol/operations.ts";
import { jsonGateway } from "./_json_api_test_utils.ts";

/** Every `$ref` in a JSON value. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) { for (const v of value) refs(v, out); }
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

Deno.test("GET /openapi.json is an OpenAPI 3 document with every operation, without a token", async () => {
  const g = await jsonGateway();
  const res = await g.app.request("/openapi.json");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  const doc = JSON.parse(await res.text());
  assert.match(doc.openapi, /^3\.\d+\.\d+$/);
  for (const op of OP_NAMES) {
    const path = doc.paths[`/v1/cache/{cache}/${op}`]?.post;
    assert.ok(path, `missing ${op}`);
    assert.equal(path.operationId, op);
    assert.ok(path.requestBody.content["application/json"].schema, op);
    assert.ok(path.responses["200"].content["application/json"].schema, op);
  }
  for (
    const path of ["/v1/pipeline", "/v1/ping", "/cache/{cache}", "/v1/caches"]
  ) {
    assert.ok(doc.paths[path], path);
  }
  for (const ref of refs(doc)) {
    const name = ref.replace("#/components/schemas/", "");
    assert.ok(doc.components.schemas[name], `dangling ${ref}`);
  }
  const setArgs = doc.components.schemas.setArgs;
  assert.deepEqual(setArgs.required, ["key", "value", "ttlMs"]);
  assert.equal(setArgs.additionalProperties, false);
});

Deno.test("GET /docs is a self-contained HTML reference of every operation", async () => {
  const g = await jsonGateway();
  const res = await g.app.request("/docs");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  const html = await res.text();
  assert.match(html, /^<!doctype html>/);
  for (const op of OP_NAMES) {
    assert.ok(html.includes(`/v1/cache/{cache}/${op}</code>`), op);
  }
  // Offline: nothing loaded from elsewhere, no script.
  assert.doesNotMatch(html, /<script|<link|src=|https?:\/\//i);
  assert.doesNotMatch(html, /<[^>]*\son\w+=/i);
});

Deno.test("every route the gateway answers is documented, each operation with a unique operationId", async () => {
  const g = await jsonGateway();
  const doc = JSON.parse(await (await g.app.request("/openapi.json")).text());
  const ids = new Set<string>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods as object)) {
      const id = (op as { operationId?: string }).operationId;
      assert.ok(id, `${method} ${path} has no operationId`);
      assert.ok(!ids.has(id), `operationId ${id} twice`);
      ids.add(id);
    }
  }
  for (const route of g.app.routes) {
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    const method = route.method.toLowerCase();
    const documented = path === "/v1/cache/{cache}/{op}"
      ? OP_NAMES.every((op) => doc.paths[`/v1/cache/{cache}/${op}`]?.[method])
      : doc.paths[path]?.[method] !== undefined;
    assert.ok(documented, `${route.method} ${route.path} is not documented`);
  }
});
