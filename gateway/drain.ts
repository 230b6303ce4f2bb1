/**
 * Answers that refuse a request before reading its body (a bad token, an
 * unknown cache, a missing `ttl_seconds`) must still reach the client. Over
 * HTTP/2, Deno resets a stream whose request body the handler left unread, and
 * the client sees a framing error instead of the status (curl: error 92, 12-78%
 * of tries here); `body.cancel()` does not help, reading the body does. So
 * before such an answer is returned, the rest of the body is read and dropped,
 * up to `limit` bytes; a larger upload is cancelled once past it, and a 413
 * (a body refused for its size) is not drained (the client may then see the
 * answer cut off, which the API allows above the item limit).
 *
 * @module
 */

/**
 * Reads and drops what is left of `request`'s body (at most `limit` bytes),
 * then resolves `response`. A request whose body is absent or already being
 * read is answered at once.
 *
 * @param request the request answered
 * @param response the answer
 * @param limit the most body bytes read to let the answer through
 * @returns the answer, once the body has been read
 */
export function afterDrain(
  request: Request,
  response: Response,
  limit: number,
): Response | Promise<Response> {
  const method = request.method;
  if (method === "GET" || method === "HEAD") return response;
  // A 413 refuses the body for its size: it is not read (the API allows the
  // answer to be cut off then).
  if (response.status === 413) return response;
  const body = request.body;
  if (body === null || request.bodyUsed || body.locked) return response;
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) return response;
  return drain(body, limit).then(() => response);
}

async function drain(
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<void> {
  const reader = body.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.length;
      if (read > limit) {
        await reader.cancel().catch(() => {});
        return;
      }
    }
  } catch {
    // The client went away: nothing to answer.
  }
}
