/**
 * The gRPC listener end to end with a grpc-js client: the control and token
 * services, and bad calls (missing metadata, an unknown method, a message that
 * is not protobuf, an oversized one), each a gRPC status while the listener
 * keeps answering.
 */

import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { cache_client as scs } from "@gomomento/generated-types/dist/cacheclient.js";
import { cache_client as ping } from "@gomomento/generated-types/dist/cacheping.js";
import { control_client as control } from "@gomomento/generated-types/dist/controlclient.js";
import { permission_messages as perm } from "@gomomento/generated-types/dist/permissionmessages.js";
import { token as tok } from "@gomomento/generated-types/dist/token.js";
import { SignJWT } from "jose";
import { TOKEN_ISSUER, type TokenMinter } from "../protocol/claims.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import { opLimits } from "../gateway/app.ts";
import { RateLimiter } from "../gateway/rate_limits.ts";
import { grpcFront } from "../cli/grpc_front.ts";
import { TokenVerifier } from "../gateway/token_verifier.ts";
import {
  keyPair,
  MemoryCacheRegistry,
  mintToken,
} from "../gateway/_test_utils.ts";
import {
  type Decoder,
  failedCode,
  grpcTestClient,
} from "../gateway/grpc/_grpc_test_client.ts";
import type { Message } from "../gateway/grpc/method.ts";

async function fixture(limiter?: RateLimiter) {
  const keys = await keyPair();
  const caches = new MemoryCacheRegistry();
  await caches.create("orders");
  const verifier = new TokenVerifier(keys.publicKey);
  const minter: TokenMinter = {
    mint: (claims, { expiresAt }) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: "EdDSA" })
        .setIssuer(TOKEN_ISSUER)
        .setIssuedAt()
        .setExpirationTime(expiresAt)
        .sign(keys.privateKey),
  };
  // the listener as serve runs it: this process accepts, the relay process
  // speaks HTTP/2 and hands each call back to the grpc-web handler
  const front = grpcFront(
    { host: "127.0.0.1", port: 0, tls: undefined, shutdownMs: 1000 },
    {
      store: new MemoryStore(),
      caches,
      verifier,
      limits: { ...opLimits(), maxItemBytes: 1024 },
      minter,
      limiter,
    },
  );
  front.endpoints.http = "h:8443";
  await front.listen();
  const client = grpcTestClient(`127.0.0.1:${front.port()}`);
  const superUser = await mintToken(keys.privateKey);
  const scoped = await mintToken(keys.privateKey, {
    p: [{ role: "readwrite", cache: { all: true } }],
  });
  const call = <T>(
    path: string,
    request: Message | Uint8Array,
    decoder: Decoder<T>,
    metadata: Record<string, string> = { authorization: superUser },
  ) => client.call(path, request, decoder, metadata);
  return {
    call,
    caches,
    verifier,
    superUser,
    scoped,
    port: front.port()!,
    grpcEndpoint: front.endpoints.grpc!,
    relay: () => front.relay()!,
    async close() {
      client.close();
      await front.shutdown();
    },
  };
}

const CTRL = "/control_client.ScsControl";

Deno.test("grpc control: create, list, flush, delete; super-user keys only", async () => {
  const f = await fixture();
  try {
    const create = (name: string, md?: Record<string, string>) =>
      f.call(
        `${CTRL}/CreateCache`,
        new control._CreateCacheRequest({ cache_name: name }),
        control._CreateCacheResponse,
        md,
      );
    await create("made");
    assert.equal(await failedCode(create("made")), grpc.status.ALREADY_EXISTS);
    assert.equal(
      await failedCode(create("bad name!")),
      grpc.status.INVALID_ARGUMENT,
    );
    const listed = await f.call(
      `${CTRL}/ListCaches`,
      new control._ListCachesRequest(),
      control._ListCachesResponse,
    );
    assert.deepEqual(listed.cache.map((c) => c.cache_name).sort(), [
      "made",
      "orders",
    ]);
    assert.ok(listed.cache[0]!.cache_limits.max_item_size_kb > 0);
    assert.equal(
      await failedCode(f.call(
        `${CTRL}/FlushCache`,
        new control._FlushCacheRequest({ cache_name: "absent" }),
        control._FlushCacheResponse,
      )),
      grpc.status.NOT_FOUND,
    );
    await f.call(
      `${CTRL}/DeleteCache`,
      new control._DeleteCacheRequest({ cache_name: "made" }),
      control._DeleteCacheResponse,
    );
    assert.equal(f.caches.lookup("made"), undefined);
    assert.equal(
      await failedCode(create("other", { authorization: f.scoped })),
      grpc.status.PERMISSION_DENIED,
    );
    assert.equal(
      await failedCode(create("other", {})),
      grpc.status.UNAUTHENTICATED,
    );
  } finally {
    await f.close();
  }
});

function tokenRequest(
  fields: {
    seconds?: number;
    auth?: string;
    permissions?: perm.PermissionsType[];
  },
) {
  return new tok._GenerateDisposableTokenRequest({
    expires: new tok._GenerateDisposableTokenRequest.Expires({
      valid_for_seconds: fields.seconds ?? 600,
    }),
    auth_token: fields.auth ?? "",
    permissions: new perm.Permissions({
      explicit: new perm.ExplicitPermissions({
        permissions: fields.permissions ?? [],
      }),
    }),
    token_id: "mine",
  });
}

const prefixReadOnly = new perm.PermissionsType({
  cache_permissions: new perm.PermissionsType.CachePermissions({
    role: perm.CacheRole.CacheReadOnly,
    cache_selector: new perm.PermissionsType.CacheSelector({
      cache_name: "orders",
    }),
    item_selector: new perm.PermissionsType.CacheItemSelector({
      key_prefix: new TextEncoder().encode("u:"),
    }),
  }),
});

Deno.test("grpc token: GenerateDisposableToken mints a scoped token naming both endpoints; bad requests are refused", async () => {
  const f = await fixture();
  const mint = (request: tok._GenerateDisposableTokenRequest) =>
    f.call(
      "/token.Token/GenerateDisposableToken",
      request,
      tok._GenerateDisposableTokenResponse,
      {},
    );
  try {
    const minted = await mint(
      tokenRequest({ auth: f.superUser, permissions: [prefixReadOnly] }),
    );
    assert.equal(minted.endpoint, f.grpcEndpoint);
    const claims = await f.verifier.verify(minted.api_key);
    assert.deepEqual(claims.p, [{
      role: "readonly",
      cache: { name: "orders" },
      item: { keyPrefix: "u:" },
    }]);
    assert.deepEqual([claims.c, claims.cp, claims.h, claims.t], [
      f.grpcEndpoint,
      f.grpcEndpoint,
      "h:8443",
      "mine",
    ]);
    assert.equal(claims.exp, minted.valid_until);
    const topicOnly = new perm.PermissionsType({
      topic_permissions: new perm.PermissionsType.TopicPermissions({
        role: perm.TopicRole.TopicReadWrite,
        all_caches: new perm.PermissionsType.All(),
        all_topics: new perm.PermissionsType.All(),
      }),
    });
    for (
      const [request, expected] of [
        [
          tokenRequest({ auth: f.superUser, permissions: [topicOnly] }),
          grpc.status.INVALID_ARGUMENT,
        ],
        [
          tokenRequest({
            auth: f.superUser,
            permissions: [prefixReadOnly],
            seconds: 0,
          }),
          grpc.status.INVALID_ARGUMENT,
        ],
        [
          tokenRequest({ auth: f.scoped, permissions: [prefixReadOnly] }),
          grpc.status.PERMISSION_DENIED,
        ],
        [
          tokenRequest({ permissions: [prefixReadOnly] }),
          grpc.status.UNAUTHENTICATED,
        ],
      ] as const
    ) {
      assert.equal(await failedCode(mint(request)), expected);
    }
  } finally {
    await f.close();
  }
});

Deno.test("grpc listener: bad calls are gRPC statuses and the listener keeps answering", async () => {
  const f = await fixture();
  const get = (request: Message | Uint8Array, md?: Record<string, string>) =>
    f.call("/cache_client.Scs/Get", request, scs._GetResponse, md);
  const key = new scs._GetRequest({ cache_key: new TextEncoder().encode("k") });
  try {
    assert.equal(
      await failedCode(get(key, { cache: "orders" })),
      grpc.status.UNAUTHENTICATED,
    );
    assert.equal(
      await failedCode(get(key, { authorization: f.superUser })),
      grpc.status.INVALID_ARGUMENT,
    );
    assert.equal(
      await failedCode(
        get(key, { authorization: f.superUser, cache: "absent" }),
      ),
      grpc.status.NOT_FOUND,
    );
    assert.equal(
      await failedCode(
        f.call("/cache_client.Scs/NoSuchMethod", key, scs._GetResponse),
      ),
      grpc.status.UNIMPLEMENTED,
    );
    // field 1 as a length-delimited value running past the end
    assert.notEqual(
      await failedCode(get(new Uint8Array([0x0a, 0xff, 0x01]), {
        authorization: f.superUser,
        cache: "orders",
      })),
      grpc.status.OK,
    );
    assert.equal(
      // past the largest message (10 MiB, the JSON API's request limit)
      await failedCode(get(new Uint8Array(11 * 1024 * 1024), {
        authorization: f.superUser,
        cache: "orders",
      })),
      grpc.status.RESOURCE_EXHAUSTED,
    );
    const miss = await get(key, {
      authorization: f.superUser,
      cache: "orders",
    });
    assert.equal(miss.result, scs.ECacheResult.Miss);
    await f.call(
      "/cache_client.Ping/Ping",
      new ping._PingRequest(),
      ping._PingResponse,
      {},
    );
  } finally {
    await f.close();
  }
});

Deno.test("grpc listener: a relay process that crashes costs its connections, not the cache, and is started again", async () => {
  const f = await fixture();
  const md = { authorization: f.superUser, cache: "orders" };
  const bytes = (text: string) => new TextEncoder().encode(text);
  let again: ReturnType<typeof grpcTestClient> | undefined;
  try {
    await f.call(
      "/cache_client.Scs/Set",
      new scs._SetRequest({
        cache_key: bytes("kept"),
        cache_body: bytes("value"),
        ttl_milliseconds: 60_000,
      }),
      scs._SetResponse,
      md,
    );
    const crashed = f.relay();
    // what Deno's node:http2 abort does to the relay, without waiting for it
    Deno.kill(crashed.pid, "SIGKILL");
    // once this process has seen it go (a connection made in the instant
    // the relay dies goes down with it), a new connection reaches the relay
    // started in its place
    await crashed.exited;
    again = grpcTestClient(`127.0.0.1:${f.port}`);
    const got = await again.call(
      "/cache_client.Scs/Get",
      new scs._GetRequest({ cache_key: bytes("kept") }),
      scs._GetResponse,
      md,
    );
    assert.equal(got.result, scs.ECacheResult.Hit);
    assert.equal(new TextDecoder().decode(got.cache_body), "value");
    assert.notEqual(f.relay().pid, crashed.pid);
  } finally {
    again?.close();
    await f.close();
  }
});

Deno.test("grpc listener: a request's wire size counts against the cache's throughput limit", async () => {
  const f = await fixture(
    new RateLimiter({ defaults: { opsPerSecond: 1000, bytesPerSecond: 512 } }),
  );
  const md = { authorization: f.superUser, cache: "orders" };
  try {
    const set = (bytes: number) =>
      f.call(
        "/cache_client.Scs/Set",
        new scs._SetRequest({
          cache_key: new TextEncoder().encode("k"),
          cache_body: new Uint8Array(bytes),
          ttl_milliseconds: 60_000,
        }),
        scs._SetResponse,
        md,
      );
    // 900 bytes (within the 1 KiB item limit) is more than a second of
    // 512 bytes/s: the first passes on a full bucket and leaves it in debt,
    // the second is refused, only if the messages' size is counted
    await set(900);
    assert.equal(await failedCode(set(900)), grpc.status.RESOURCE_EXHAUSTED);
  } finally {
    await f.close();
  }
});
