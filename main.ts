/**
 * The kvolt command line. `deno task serve` runs `main.ts serve`, and
 * `deno task compile` turns this file into the standalone `kvolt` binary.
 *
 * @module
 */

import { StartError, USAGE, UsageError } from "./cli/usage.ts";
import denoJson from "./deno.json" with { type: "json" };

/** kvolt's version, from deno.json. */
export const VERSION: string = denoJson.version;

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      // each command loads only its own modules: the gRPC relay, which
      // serve restarts after a crash, starts in a third of the time
      case "serve": {
        const { parseServeArgs } = await import("./cli/serve_args.ts");
        const options = parseServeArgs(rest);
        if (options.help) break;
        if (options.nodes > 1) {
          await (await import("./cli/serve_nodes.ts")).serveNodes(options);
        } else await (await import("./cli/serve.ts")).serve(options);
        return 0;
      }
      case "control": {
        const { parseControlArgs, runControl } = await import(
          "./cli/control.ts"
        );
        const options = parseControlArgs(rest);
        if (options.help) break;
        await runControl(options);
        return 0;
      }
      case "node": {
        const { parseNodeArgs } = await import("./cli/node_args.ts");
        const options = parseNodeArgs(rest);
        if (options.help) break;
        await (await import("./cli/node.ts")).runNode(options);
        return 0;
      }
      case "grpc-relay": {
        const { parseGrpcRelayArgs, runGrpcRelay } = await import(
          "./cli/grpc_relay.ts"
        );
        await runGrpcRelay(parseGrpcRelayArgs(rest));
        return 0;
      }
      case "version":
      case "--version":
      case "-V":
        console.log(`kvolt ${VERSION}`);
        return 0;
      case undefined:
      case "help":
      case "-h":
      case "--help":
        break;
      default:
        throw new UsageError(`Unknown command: ${command}`);
    }
    console.log(USAGE);
    return 0;
  } catch (err) {
    if (err instanceof StartError) {
      console.error(`kvolt: ${err.message}`);
      return 1;
    }
    if (!(err instanceof UsageError)) throw err;
    console.error(`kvolt: ${err.message}\n\n${USAGE}`);
    return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
