import assert from "node:assert/strict";
import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import { errorResponse, httpStatus, methodNotAllowed } from "./http_errors.ts";

Deno.test("httpStatus maps every error code", () => {
  const expected: Record<string, number> = {
    INVALID_ARGUMENT_ERROR: 400,
    BAD_REQUEST_ERROR: 400,
    AUTHENTICATION_ERROR: 401,
    PERMISSION_ERROR: 403,
    NOT_FOUND_ERROR: 404,
    ALREADY_EXISTS_ERROR: 409,
    FAILED_PRECONDITION_ERROR: 412,
    LIMIT_EXCEEDED_ERROR: 429,
    CANCELLED_ERROR: 499,
    INTERNAL_SERVER_ERROR: 500,
    UNKNOWN_ERROR: 500,
    SERVER_UNAVAILABLE: 503,
    TIMEOUT_ERROR: 504,
  };
  for (const code of Object.values(ErrorCode)) {
    assert.equal(httpStatus(new KvoltError(code, "x")), expected[code], code);
  }
});

Deno.test("httpStatus answers size limits with 413 and rate limits with 429", () => {
  const limit = (cause: LimitCause) =>
    httpStatus(new KvoltError(ErrorCode.LIMIT_EXCEEDED, "x", cause));
  assert.equal(limit(LimitCause.ITEM_SIZE), 413);
  assert.equal(limit(LimitCause.REQUEST_SIZE), 413);
  assert.equal(limit(LimitCause.ELEMENT_SIZE), 413);
  assert.equal(limit(LimitCause.OPERATIONS_RATE), 429);
  assert.equal(limit(LimitCause.THROUGHPUT_RATE), 429);
});

Deno.test("errorResponse and methodNotAllowed send the JSON error body", async () => {
  const res = errorResponse(
    new KvoltError(
      ErrorCode.LIMIT_EXCEEDED,
      "Too fast",
      LimitCause.OPERATIONS_RATE,
    ),
  );
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.deepEqual(await res.json(), {
    error: {
      code: "LIMIT_EXCEEDED_ERROR",
      message: "Too fast",
      cause: "operations_rate_limit_exceeded",
    },
  });
  const wrong = methodNotAllowed("POST", "/x", ["GET"]);
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "GET");
  assert.equal((await wrong.json()).error.code, "BAD_REQUEST_ERROR");
});
