/**
 * The floor of `deno task bench:grpc`: a bare grpc-js server in Deno whose
 * `cache_client.Scs/Get` answers a fixed 100-byte Hit, with no token check,
 * no store and no limits. Prints `grpc hello listening on PORT` once it
 * listens and stops on SIGTERM or SIGINT.
 *
 * Usage: `deno run -A bench/grpc_hello_server.ts`
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { cache_client } from "@gomomento/generated-types/dist/cacheclient.js";

/** Start of the line printed once the server listens; the port follows. */
export const GRPC_HELLO_READY_PREFIX = "grpc hello listening on ";

if (import.meta.main) {
  const value = new Uint8Array(100).fill(120);
  const server = new grpc.Server();
  server.addService(cache_client.UnimplementedScsService.definition, {
    Get: (
      _call: unknown,
      callback: (err: null, response: cache_client._GetResponse) => void,
    ) => {
      callback(
        null,
        new cache_client._GetResponse({
          result: cache_client.ECacheResult.Hit,
          cache_body: value,
        }),
      );
    },
  });
  server.bindAsync(
    "127.0.0.1:0",
    grpc.ServerCredentials.createInsecure(),
    (err, port) => {
      if (err) throw err;
      console.log(`${GRPC_HELLO_READY_PREFIX}${port}`);
    },
  );
  const stop = () => server.tryShutdown(() => Deno.exit(0));
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
}
