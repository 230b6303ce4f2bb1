/**
 * A server exposed to a network: descriptor exhaustion, silent, dripping,
 * stalled and idle connections, the connection cap, and a bounded shutdown,
 * each against a real `serve` process (loopback, bounded in time).
 */

import assert from "node:assert/strict";
import { hasConnectionServer } from "../cli/listener.ts";
import { type RunningServer, serveArgs, startServer } from "./_server.ts";

const encoder = new TextEncoder();
/** Longest wait for a connection the server should close; a bound, not a sleep. */
const CLOSE_BOUND_MS = 8_000;

async function withServer(
  extra: string[],
  run: (server: RunningServer, port: number) => Promise<void>,
  wrapper?: (args: string[]) => [string, string[]],
): Promise<string> {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-conn-" });
  const args = serveArgs(dataDir, "--http", ...extra);
  const [command, argv] = wrapper?.(args) ?? [Deno.execPath(), args];
  const server = await startServer(command, argv);
  let stdout = "";
  try {
    await run(server, Number(new URL(server.url).port));
    const stopped = await server.stop();
    stdout = stopped.stdout;
    assert.equal(stopped.code, 0, stopped.stderr);
  } finally {
    await server.kill();
    await Deno.remove(dataDir, { recursive: true });
  }
  return stdout;
}

/** Resolves "closed" when the peer closes `conn`, "open" after `boundMs`. */
async function closedWithin(
  conn: Deno.Conn,
  boundMs = CLOSE_BOUND_MS,
): Promise<"closed" | "open"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<"open">((resolve) => {
    timer = setTimeout(() => resolve("open"), boundMs);
  });
  const read = (async (): Promise<"closed"> => {
    const buf = new Uint8Array(4096);
    try {
      while (await conn.read(buf) !== null) { /* drain any answer */ }
    } catch { /* reset counts as closed */ }
    return "closed";
  })();
  try {
    return await Promise.race([read, bound]);
  } finally {
    clearTimeout(timer);
  }
}

async function get(url: string, apiKey: string): Promise<number> {
  const res = await fetch(`${url}/cache/default?key=k`, {
    headers: { authorization: apiKey },
  });
  await res.body?.cancel();
  return res.status;
}

Deno.test("canary: Deno still has the per-connection server the listener uses", () => {
  assert.ok(
    hasConnectionServer(),
    "Deno[Deno.internal].serveHttpOnConnection is gone: cli/listener.ts needs another way",
  );
});

Deno.test("300 idle connections at ulimit -n 256 do not take serve down", async () => {
  // No cap of ours (--max-connections above the limit): the accept loop meets
  // EMFILE itself and must keep going.
  const stdout = await withServer(
    ["--max-connections", "100000"],
    async (server, port) => {
      const conns: Deno.Conn[] = [];
      for (let i = 0; i < 300; i++) {
        conns.push(await Deno.connect({ hostname: "127.0.0.1", port }));
      }
      // Some were accepted, the rest wait in the backlog; the server is
      // still up, and answers once descriptors free up.
      for (const conn of conns) conn.close();
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 404; attempt++) {
        try {
          status = await get(server.url, server.apiKey);
        } catch {
          status = 0;
        }
      }
      assert.equal(status, 404, "a GET after the flood is answered");
    },
    (args) => [
      "bash",
      ["-c", 'ulimit -n 256 && exec "$0" "$@"', Deno.execPath(), ...args],
    ],
  );
  assert.match(stdout, /stopped/);
});

Deno.test("the banner says the descriptor limit and the bounds", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-conn-" });
  const server = await startServer(
    "bash",
    [
      "-c",
      'ulimit -n 256 && exec "$0" "$@"',
      Deno.execPath(),
      ...serveArgs(dataDir, "--http"),
    ],
  );
  try {
    const line = server.banner.find((l) => l.includes("descriptor limit"));
    assert.ok(line, server.banner.join("\n"));
    assert.match(line, /descriptor limit 256/);
    assert.match(line, /at most 128 connections/);
    assert.match(line, /head 10 s, idle 60 s, body 10 s, shutdown 10 s/);
  } finally {
    await server.stop();
    await server.kill();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a silent connection and one that drips its head are closed at the head timeout", async () => {
  await withServer(["--head-timeout", "0.3"], async (_server, port) => {
    const silent = await Deno.connect({ hostname: "127.0.0.1", port });
    const drip = await Deno.connect({ hostname: "127.0.0.1", port });
    await drip.write(encoder.encode("GET /cache/default?key=k HTTP/1.1\r\n"));
    const dripping = (async () => {
      // One header line every 100 ms, never the blank line that ends a head.
      for (let i = 0; i < 60; i++) {
        try {
          await drip.write(encoder.encode(`x-drip-${i}: 1\r\n`));
        } catch {
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    assert.equal(await closedWithin(silent), "closed");
    assert.equal(await closedWithin(drip), "closed");
    silent.close();
    drip.close();
    await dripping;
  });
});

Deno.test("a stalled upload is closed at the body timeout; a steady one is not", async () => {
  await withServer(["--body-timeout", "0.3"], async (server, port) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(encoder.encode(
      `PUT /cache/default?key=k&ttl_seconds=60 HTTP/1.1\r\nHost: x\r\nAuthorization: ${server.apiKey}\r\nContent-Length: 1000\r\n\r\nabc`,
    ));
    assert.equal(await closedWithin(conn), "closed");
    conn.close();

    // Progress every 100 ms keeps an upload alive past the bound.
    const body = new ReadableStream<Uint8Array>(
      {
        start() {
          this.sent = 0;
        },
        async pull(controller) {
          if (this.sent === 8) return controller.close();
          this.sent++;
          await new Promise((r) => setTimeout(r, 100));
          controller.enqueue(encoder.encode("abcd"));
        },
        sent: 0,
      } as UnderlyingDefaultSource<Uint8Array> & { sent: number },
    );
    const res = await fetch(
      `${server.url}/cache/default?key=k&ttl_seconds=60`,
      {
        method: "PUT",
        headers: { authorization: server.apiKey },
        body,
      },
    );
    assert.equal(res.status, 204, await res.text());
  });
});

Deno.test("an idle keep-alive connection is closed at the idle timeout", async () => {
  await withServer(["--idle-timeout", "0.3"], async (server, port) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(encoder.encode(
      `GET /cache/default?key=k HTTP/1.1\r\nHost: x\r\nAuthorization: ${server.apiKey}\r\n\r\n`,
    ));
    // The answer arrives, then the connection is closed once idle.
    assert.equal(await closedWithin(conn), "closed");
    conn.close();
  });
});

Deno.test("above --max-connections a new connection is closed at once", async () => {
  await withServer(["--max-connections", "3"], async (server, port) => {
    const held: Deno.Conn[] = [];
    for (let i = 0; i < 3; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      // A request answered proves the connection was accepted and counted.
      await conn.write(encoder.encode(
        `GET /cache/default?key=k HTTP/1.1\r\nHost: x\r\nAuthorization: ${server.apiKey}\r\n\r\n`,
      ));
      const n = await conn.read(new Uint8Array(4096));
      assert.ok(n !== null && n > 0);
      held.push(conn);
    }
    const extra = await Deno.connect({ hostname: "127.0.0.1", port });
    // Closed long before the 10 s head timeout.
    assert.equal(await closedWithin(extra, 5_000), "closed");
    extra.close();
    for (const conn of held) conn.close();
  });
});

Deno.test("SIGTERM with a stalled upload stops at the shutdown deadline and says what it cut off", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-conn-" });
  const server = await startServer(
    Deno.execPath(),
    serveArgs(
      dataDir,
      "--http",
      "--shutdown-timeout",
      "0.5",
      "--body-timeout",
      "60",
    ),
  );
  const conn = await Deno.connect({
    hostname: "127.0.0.1",
    port: Number(new URL(server.url).port),
  });
  try {
    // With Expect: 100-continue, Deno answers "100 Continue" once the
    // handler starts reading the body: proof the request is in flight.
    await conn.write(encoder.encode(
      `PUT /cache/default?key=k&ttl_seconds=60 HTTP/1.1\r\nHost: x\r\nAuthorization: ${server.apiKey}\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n`,
    ));
    const buf = new Uint8Array(1024);
    const n = await conn.read(buf);
    assert.match(
      new TextDecoder().decode(buf.subarray(0, n ?? 0)),
      /^HTTP\/1\.1 100 Continue/,
    );
    await conn.write(encoder.encode("abc"));
    const { code, stdout } = await server.stop();
    assert.equal(code, 0);
    assert.match(stdout, /1 request\(s\) cut off at the 0\.5 s deadline/);
  } finally {
    conn.close();
    await server.kill();
    await Deno.remove(dataDir, { recursive: true });
  }
});
