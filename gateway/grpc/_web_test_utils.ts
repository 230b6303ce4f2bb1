/** grpc-web framing for tests: a request body, and a response body read back. */

export function framed(message: Uint8Array, flag = 0): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(5 + message.length);
  out[0] = flag;
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, 5);
  return out;
}

export function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** Splits a grpc-web response body into messages and trailers. */
export async function parse(res: Response, text = false) {
  let body = new Uint8Array(await res.arrayBuffer());
  if (text) {
    const s = new TextDecoder().decode(body);
    body = Uint8Array.from(
      (s.match(/[^=]+=*/g) ?? []).flatMap((p) =>
        [...atob(p)].map((c) => c.charCodeAt(0))
      ),
    );
  }
  const messages: Uint8Array[] = [];
  const trailers: Record<string, string> = {};
  for (let at = 0; at < body.length;) {
    const len = new DataView(body.buffer, body.byteOffset + at).getUint32(1);
    const payload = body.subarray(at + 5, at + 5 + len);
    if (body[at]! & 0x80) {
      for (const line of new TextDecoder().decode(payload).split("\r\n")) {
        const i = line.indexOf(":");
        if (i > 0) trailers[line.slice(0, i)] = line.slice(i + 1);
      }
    } else messages.push(payload);
    at += 5 + len;
  }
  return { messages, trailers };
}
