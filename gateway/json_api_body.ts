/**
 * Reading the JSON body of a JSON API or pipeline request, under the
 * request size limit. The Content-Type is not checked (`curl -d` sends
 * `application/x-www-form-urlencoded`); the body must be UTF-8 JSON.
 *
 * @module
 */

import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import { readBodyLimited } from "./body.ts";
import { parseJsonSliced } from "./json_slices.ts";
import { noteBodyRead } from "./memory_pressure.ts";

/** Default largest request body: 10 MiB (a 5 MiB item fits, in base64). */
export const DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024;

const decoder = new TextDecoder("utf-8", { fatal: true });

/** A parsed JSON body and its size in bytes. */
export interface JsonBody {
  json: unknown;
  bytes: number;
}

/**
 * The request's body, parsed as JSON; a large body in slices that let other
 * requests run (`json_slices.ts`), its top-level fields checked against
 * `allowedKeys` before the rest is built.
 *
 * @param req the request
 * @param maxBytes the largest body accepted
 * @param allowedKeys the fields a top-level object may have, if known
 * @returns the parsed JSON and the body's size
 * @throws {KvoltError} LIMIT_EXCEEDED_ERROR request_size_limit_exceeded over
 * the limit; INVALID_ARGUMENT_ERROR when it is empty, not UTF-8 or not JSON,
 * or has a field not in `allowedKeys` ("Invalid argument: f: unknown field")
 */
export async function readJsonBody(
  req: Request,
  maxBytes: number,
  allowedKeys?: ReadonlySet<string>,
): Promise<JsonBody> {
  const { text, bytes } = await readJsonText(req, maxBytes);
  const json = await parsingJson(() =>
    parseJsonSliced(text, {
      ...(allowedKeys ? { allowedKeys } : {}),
      unknownKey: unknownField,
    })
  );
  return { json, bytes };
}

/**
 * The request's body as text, checked to be non-empty UTF-8 under the size
 * limit (parse it with {@linkcode parsingJson}).
 *
 * @param req the request
 * @param maxBytes the largest body accepted
 * @returns the text and the body's size in bytes
 * @throws {KvoltError} as {@linkcode readJsonBody}, but for JSON itself
 */
export async function readJsonText(
  req: Request,
  maxBytes: number,
): Promise<{ text: string; bytes: number }> {
  const tooLarge = (received: string) =>
    new KvoltError(
      ErrorCode.LIMIT_EXCEEDED,
      `Cannot accept request: the body is larger than the ${maxBytes} byte limit: received ${received}`,
      LimitCause.REQUEST_SIZE,
    );
  const raw = await readBodyLimited(req, maxBytes, tooLarge);
  if (raw.length > maxBytes) throw tooLarge(`${raw.length} bytes`);
  noteBodyRead(raw.length);
  let text: string;
  try {
    text = decoder.decode(raw);
  } catch {
    throw invalidBody("not UTF-8");
  }
  if (text.trim() === "") throw invalidBody("empty: expected a JSON object");
  return { text, bytes: raw.length };
}

/**
 * Runs a parse of the body, turning a syntax error into INVALID_ARGUMENT
 * "Invalid request body: not JSON: ..." (a KvoltError passes as it is).
 *
 * @param parse the parse to run
 */
export async function parsingJson<T>(parse: () => Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (err) {
    if (err instanceof KvoltError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw invalidBody(`not JSON: ${clip(detail)}`);
  }
}

/** The error for a field an operation does not take. */
export function unknownField(key: string): KvoltError {
  return new KvoltError(
    ErrorCode.INVALID_ARGUMENT,
    `Invalid argument: ${key}: unknown field`,
  );
}

function invalidBody(detail: string): KvoltError {
  return new KvoltError(
    ErrorCode.INVALID_ARGUMENT,
    `Invalid request body: ${detail}`,
  );
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}...` : text;
}
