/**
 * A filter on the bytes a gRPC client sends (HTTP/2, after TLS): it passes
 * every frame through except GOAWAY.
 *
 * Why: Deno 2.9.6's `node:http2` (nghttp2, under grpc-js in the relay) can
 * abort as it handles a client's GOAWAY (`find_stream_on_goaway_func:
 * Assertion stream->closed_next == NULL`): a client closing its channel sends
 * one. For a server that opens no streams of its own (gRPC's do not), a
 * client's GOAWAY says only that no new stream will come; the client closes
 * the connection once its streams end, and the relay then sees the close,
 * which it handles without fault. So dropping the frame changes nothing the
 * relay must know, and avoids the code that crashes.
 *
 * It reads only frame headers (9 bytes: 24-bit length, type, flags, stream
 * id) after the 24-byte connection preface; payloads pass through without a
 * copy. Bytes that are not HTTP/2 pass through as they are (nghttp2 refuses
 * them).
 *
 * @module
 */

/** The client connection preface's length (`PRI * HTTP/2.0...`). */
const PREFACE_BYTES = 24;
const HEADER_BYTES = 9;
const GOAWAY = 0x7;

/**
 * A transform that drops a client's GOAWAY frames from an HTTP/2 byte
 * stream and passes everything else, in order.
 *
 * @returns the transform
 */
export function dropGoaway(): TransformStream<Uint8Array, Uint8Array> {
  let preface = PREFACE_BYTES;
  const header = new Uint8Array(HEADER_BYTES);
  let headerHave = 0;
  // the current frame's payload bytes still to come, and their fate
  let payloadLeft = 0;
  let dropping = false;
  return new TransformStream({
    transform(chunk, out) {
      let at = 0;
      const pass = (end: number) => {
        if (end > at) out.enqueue(chunk.subarray(at, end));
        at = end;
      };
      if (preface > 0) {
        const n = Math.min(preface, chunk.byteLength);
        preface -= n;
        pass(n);
      }
      while (at < chunk.byteLength) {
        if (payloadLeft > 0) {
          const end = Math.min(chunk.byteLength, at + payloadLeft);
          payloadLeft -= end - at;
          if (dropping) at = end;
          else pass(end);
          continue;
        }
        const n = Math.min(HEADER_BYTES - headerHave, chunk.byteLength - at);
        header.set(chunk.subarray(at, at + n), headerHave);
        headerHave += n;
        at += n;
        if (headerHave < HEADER_BYTES) break;
        headerHave = 0;
        payloadLeft = (header[0]! << 16) | (header[1]! << 8) | header[2]!;
        dropping = header[3] === GOAWAY;
        if (!dropping) out.enqueue(header.slice());
      }
    },
    flush(out) {
      // a cut-off header at the end: pass what came
      if (headerHave > 0) out.enqueue(header.slice(0, headerHave));
    },
  });
}
