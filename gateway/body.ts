/**
 * Reading a request body under a size limit without ever holding more than
 * the limit: a declared `Content-Length` over it is refused before reading,
 * and a streamed (chunked) body is counted as it arrives and cut off.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import { concatBytes } from "../protocol/bytes.ts";

/**
 * The whole body of a request, if it is at most `limit` bytes.
 *
 * @param req the request
 * @param limit the most bytes accepted
 * @param tooLarge builds the error to throw, given a description of what was
 * received (e.g. `7340032 bytes`, `more than 5242880 bytes`)
 * @returns the body bytes (empty when there is no body)
 * @throws {KvoltError} from `tooLarge`, once the body is known to be too large;
 * BAD_REQUEST_ERROR when the body stream fails (e.g. the client went away)
 */
export async function readBodyLimited(
  req: Request,
  limit: number,
  tooLarge: (received: string) => KvoltError,
): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (declared !== null) {
    const length = Number(declared);
    if (length > limit) throw tooLarge(`${length} bytes`);
  }
  if (req.body === null) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw uploadCutOff();
    }
    const { done, value } = chunk;
    if (done) break;
    total += value.length;
    if (total > limit) {
      // Stop the upload: nothing past the limit is read or buffered.
      reader.cancel().catch(() => {});
      throw tooLarge(`more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return concatBytes(chunks, total);
}

/**
 * The error for an upload that broke off (client gone, truncated body): the
 * client's fault, not an internal error.
 *
 * @returns a BAD_REQUEST_ERROR
 */
export function uploadCutOff(): KvoltError {
  return new KvoltError(
    ErrorCode.BAD_REQUEST,
    "Invalid request body: the upload ended before the body was complete",
  );
}
