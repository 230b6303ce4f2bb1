// Runs tests/grpc_node/calls.mjs through the official Momento Node SDK
// against kvolt's gRPC port, pings it with the SDK's ping client, and, over
// TLS, connects with the API key alone (no endpoint overrides: the key names
// the gRPC port). Prints one JSON object for tests/grpc_sdk_test.ts.
// Usage: node sdk_calls.mjs <apiKey> <host:port> <secure: true|false> <scopedToken>
// required, not imported: `deno check tests/` would try to resolve it
import { createRequire } from "node:module";
import { runCalls } from "./calls.mjs";

const require = createRequire(import.meta.url);
const sdk = require("@gomomento/sdk");
const { InternalNodeGrpcPingClient } = require(
  "@gomomento/sdk/dist/src/internal/ping-client",
);
const { AuthClient, CacheClient, Configurations, CredentialProvider } = sdk;

const [apiKey, endpoint, secure, scoped] = process.argv.slice(2);
const configuration = Configurations.Laptop.v1();

function providerFor(key) {
  return CredentialProvider.fromString({
    apiKey: key,
    endpointOverrides: {
      cacheEndpoint: endpoint,
      controlEndpoint: endpoint,
      tokenEndpoint: endpoint,
      secureConnection: secure === "true",
    },
  });
}

const clientFor = (key) =>
  CacheClient.create({
    configuration,
    credentialProvider: providerFor(key),
    defaultTtlSeconds: 60,
  });

const authFor = (key) =>
  new AuthClient({ credentialProvider: providerFor(key) });

const result = await runCalls(sdk, { clientFor, authFor }, {
  apiKey,
  scoped,
  cache: "sdk",
});
await new InternalNodeGrpcPingClient({
  endpoint,
  configuration,
  credentialProvider: providerFor(apiKey),
}).ping();
result.ping = "ok";
if (secure === "true") {
  // the key alone: its claims name the gRPC port, TLS by default
  const plain = await CacheClient.create({
    configuration,
    credentialProvider: CredentialProvider.fromString({ apiKey }),
    defaultTtlSeconds: 60,
  });
  result.keyAlone = (await plain.get("sdk", "user:1")).value();
  plain.close();
}
console.log(JSON.stringify(result));
process.exit(0);
