import assert from "node:assert/strict";
import { Metadata, status } from "@grpc/grpc-js";
import { cache_client as ping } from "@gomomento/generated-types/dist/cacheping.js";
import { cache_client as scs } from "@gomomento/generated-types/dist/cacheclient.js";
import { createGrpcCalls } from "./calls.ts";
import { createGrpcWeb } from "./web.ts";
import { isGrpcWeb } from "./web_frames.ts";
import { b64, framed, parse } from "./_web_test_utils.ts";

type Cb = (err: unknown, value?: unknown) => void;
// deno-lint-ignore no-explicit-any
type Call = any;

const seen: string[] = [];
const web = createGrpcWeb(
  createGrpcCalls([
    {
      definition: ping.UnimplementedPingService.definition,
      handlers: {
        Ping: (call: Call, cb: Cb) => {
          seen.push(String(call.metadata.get("authorization")[0]));
          cb(null, new ping._PingResponse());
        },
      },
    },
    {
      definition: scs.UnimplementedScsService.definition,
      handlers: {
        Get: (call: Call, cb: Cb) => {
          const key = new TextDecoder().decode(call.request.cache_key);
          if (key === "limit") {
            const m = new Metadata();
            m.set("err", "operations_rate_limit_exceeded");
            return cb({
              code: status.RESOURCE_EXHAUSTED,
              details: "Too many",
              metadata: m,
            });
          }
          if (key === "throw") throw new Error("bug");
          cb(
            null,
            new scs._GetResponse({
              result: scs.ECacheResult.Hit,
              cache_body: call.request.cache_key,
            }),
          );
        },
        GetBatch: (call: Call) => {
          for (const item of call.request.items) {
            call.write(
              new scs._GetResponse({
                result: scs.ECacheResult.Hit,
                cache_body: item.cache_key,
              }),
            );
          }
          call.end();
        },
      },
    },
  ]),
  { maxMessageBytes: 1024 },
);

function post(path: string, body: BodyInit, text = false): Promise<Response> {
  return web(
    new Request(`http://x${path}`, {
      method: "POST",
      headers: {
        "content-type": text
          ? "application/grpc-web-text"
          : "application/grpc-web+proto",
        authorization: "tok",
      },
      body,
    }),
  );
}

Deno.test("grpc-web: a unary call answers its message and status 0, with the request's metadata", async () => {
  const res = await post(
    "/cache_client.Ping/Ping",
    framed(new ping._PingRequest().serialize()),
  );
  assert.equal(res.headers.get("content-type"), "application/grpc-web+proto");
  const { messages, trailers } = await parse(res);
  assert.equal(messages.length, 1);
  assert.equal(trailers["grpc-status"], "0");
  assert.equal(seen.at(-1), "tok");
});

Deno.test("grpc-web-text: base64 request and response", async () => {
  const req = new scs._GetRequest({
    cache_key: new TextEncoder().encode("k1"),
  });
  const res = await post(
    "/cache_client.Scs/Get",
    b64(framed(req.serialize())),
    true,
  );
  assert.equal(
    res.headers.get("content-type"),
    "application/grpc-web-text+proto",
  );
  const { messages, trailers } = await parse(res, true);
  assert.equal(trailers["grpc-status"], "0");
  const got = scs._GetResponse.deserialize(messages[0]!);
  assert.equal(new TextDecoder().decode(got.cache_body), "k1");
});

Deno.test("grpc-web: a server-streaming call answers every message, then the status", async () => {
  const req = new scs._GetBatchRequest({
    items: ["a", "b", "c"].map((k) =>
      new scs._GetRequest({ cache_key: new TextEncoder().encode(k) })
    ),
  });
  const { messages, trailers } = await parse(
    await post("/cache_client.Scs/GetBatch", framed(req.serialize())),
  );
  assert.deepEqual(
    messages.map((m) =>
      new TextDecoder().decode(scs._GetResponse.deserialize(m).cache_body)
    ),
    ["a", "b", "c"],
  );
  assert.equal(trailers["grpc-status"], "0");
});

Deno.test("grpc-web: an error carries its status and metadata in the trailers", async () => {
  const req = new scs._GetRequest({
    cache_key: new TextEncoder().encode("limit"),
  });
  const { messages, trailers } = await parse(
    await post("/cache_client.Scs/Get", framed(req.serialize())),
  );
  assert.equal(messages.length, 0);
  assert.equal(trailers["grpc-status"], String(status.RESOURCE_EXHAUSTED));
  assert.equal(trailers["err"], "operations_rate_limit_exceeded");
  assert.equal(decodeURIComponent(trailers["grpc-message"]!), "Too many");
});

Deno.test("grpc-web: bad input answers a gRPC status, never a crash", async () => {
  const cases: [string, BodyInit, number, boolean?][] = [
    ["/cache_client.Scs/Nope", framed(new Uint8Array()), status.UNIMPLEMENTED],
    ["/cache_client.Scs/Get", new Uint8Array([0, 0]), status.INVALID_ARGUMENT],
    [
      "/cache_client.Scs/Get",
      new Uint8Array([0, 0, 0, 0, 9, 1]),
      status.INVALID_ARGUMENT,
    ],
    [
      "/cache_client.Scs/Get",
      framed(new Uint8Array([1]), 1),
      status.UNIMPLEMENTED,
    ],
    [
      "/cache_client.Scs/Get",
      framed(new Uint8Array([0xff, 0xff, 0xff])),
      status.INVALID_ARGUMENT,
    ],
    [
      "/cache_client.Scs/Get",
      framed(new Uint8Array(2000)),
      status.RESOURCE_EXHAUSTED,
    ],
    ["/cache_client.Scs/Get", "%%%not base64", status.INVALID_ARGUMENT, true],
    [
      "/cache_client.Scs/Get",
      framed(
        new scs._GetRequest({ cache_key: new TextEncoder().encode("throw") })
          .serialize(),
      ),
      status.INTERNAL,
    ],
  ];
  for (const [path, body, code, text] of cases) {
    const { trailers } = await parse(await post(path, body, text), text);
    assert.equal(
      trailers["grpc-status"],
      String(code),
      `${path} ${String(body).slice(0, 20)}`,
    );
  }
});

Deno.test("grpc-web: content types", () => {
  assert.equal(isGrpcWeb("application/grpc-web+proto"), true);
  assert.equal(isGrpcWeb("application/grpc-web-text"), true);
  assert.equal(isGrpcWeb("application/json"), false);
  assert.equal(isGrpcWeb(null), false);
});
