/**
 * Errors always arrive: refusals sent before the body is read reach HTTP/2
 * clients (curl over TLS) with their status and JSON, and a complete body
 * followed by the client's half-close is accepted. Against a real `serve`.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { serveArgs, startServer } from "./_server.ts";

const encoder = new TextEncoder();

async function curlHasHttp2(): Promise<boolean> {
  try {
    const out = await new Deno.Command("curl", {
      args: ["-V"],
      stdout: "piped",
    })
      .output();
    return out.success && /HTTP2/.test(new TextDecoder().decode(out.stdout));
  } catch {
    return false;
  }
}

const HAS_CURL_H2 = await curlHasHttp2();
if (!HAS_CURL_H2) {
  console.log(
    "http_edges_test: no curl with HTTP/2 on PATH: the HTTP/2 test is ignored",
  );
}

Deno.test({
  name:
    "refused requests with 1 MiB bodies reach curl over HTTP/2 with status and JSON, every time",
  ignore: !HAS_CURL_H2,
}, async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-h2-" });
  const server = await startServer(Deno.execPath(), serveArgs(dataDir));
  const bodyFile = join(dataDir, "body.bin");
  await Deno.writeFile(bodyFile, new Uint8Array(1 << 20).fill(120));
  try {
    const ca = join(dataDir, "tls", "ca.pem");
    const cases = [
      // [what, method, path, token, status, code]
      [
        "no ttl_seconds",
        "PUT",
        "/cache/default?key=k",
        server.apiKey,
        400,
        "INVALID_ARGUMENT_ERROR",
      ],
      [
        "a bad token",
        "PUT",
        "/cache/default?key=k&ttl_seconds=60",
        "not-a-token",
        401,
        "AUTHENTICATION_ERROR",
      ],
      [
        "an unknown cache",
        "PUT",
        "/cache/nope?key=k&ttl_seconds=60",
        server.apiKey,
        404,
        "NOT_FOUND_ERROR",
      ],
      [
        "a bad token on the JSON API",
        "POST",
        "/v1/cache/default/set",
        "not-a-token",
        401,
        "AUTHENTICATION_ERROR",
      ],
    ] as const;
    for (const [what, method, path, token, status, code] of cases) {
      for (let i = 0; i < 15; i++) {
        const out = await new Deno.Command("curl", {
          args: [
            "-sS",
            "--http2",
            "--cacert",
            ca,
            "-X",
            method,
            "-H",
            `Authorization: ${token}`,
            "--data-binary",
            `@${bodyFile}`,
            "-w",
            "\n%{http_version} %{http_code}",
            `${server.url}${path}`,
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = new TextDecoder().decode(out.stdout);
        assert.equal(
          out.code,
          0,
          `${what}, try ${i}: curl failed: ${
            new TextDecoder().decode(out.stderr)
          }`,
        );
        const [body, last] = [
          text.slice(0, text.lastIndexOf("\n")),
          text.slice(text.lastIndexOf("\n") + 1),
        ];
        assert.equal(last, `2 ${status}`, `${what}, try ${i}`);
        assert.equal(JSON.parse(body).error.code, code, what);
      }
    }
  } finally {
    await server.stop();
    await server.kill();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a complete body followed by the client's half-close is accepted", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-halfclose-" });
  const server = await startServer(
    Deno.execPath(),
    serveArgs(dataDir, "--http"),
  );
  const port = Number(new URL(server.url).port);
  const send = async (head: string, body: string): Promise<string> => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(encoder.encode(
      `${head}\r\nHost: x\r\nAuthorization: ${server.apiKey}\r\nContent-Length: ${
        encoder.encode(body).length
      }\r\n\r\n${body}`,
    ));
    await conn.closeWrite();
    const buf = new Uint8Array(4096);
    let text = "";
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    conn.close();
    return text;
  };
  try {
    // The key is verified (and cached) first, so each handler below answers
    // without waiting on the verifier. While a handler is still waiting (a
    // token's first use) and the request's last bytes arrive with the FIN,
    // Deno's HTTP/1.1 server can drop the connection unanswered: seen for a
    // few header lengths (a ~5-byte window near 1.5 KB requests), with
    // Deno.serve as with kvolt's listener. Left to Deno; see ARCHITECTURE.md.
    const warm = await fetch(`${server.url}/cache/default?key=warm`, {
      headers: { authorization: server.apiKey },
    });
    await warm.body?.cancel();
    for (let i = 0; i < 25; i++) {
      const answer = await send(
        `PUT /cache/default?key=hc${i}&ttl_seconds=60 HTTP/1.1`,
        "v".repeat(1000 + 97 * i),
      );
      assert.match(answer, /^HTTP\/1\.1 204 /, answer.slice(0, 200));
      const json = await send(
        "POST /v1/cache/default/set HTTP/1.1",
        JSON.stringify({
          key: `j${i}`,
          value: "w".repeat(500 + 13 * i),
          ttlMs: 60_000,
        }),
      );
      assert.match(json, /^HTTP\/1\.1 200 /, json.slice(0, 200));
    }
    const res = await fetch(`${server.url}/cache/default?key=hc24`, {
      headers: { authorization: server.apiKey },
    });
    assert.equal((await res.text()).length, 1000 + 97 * 24);
  } finally {
    await server.stop();
    await server.kill();
    await Deno.remove(dataDir, { recursive: true });
  }
});
