/**
 * The kvolt command line. `deno task serve` runs `main.ts serve`, and
 * `deno task compile` turns this file into the standalone `kvolt` binary.
 *
 * @module
 */

import { parseServeArgs } from "./cli/serve_args.ts";
import { serve } from "./cli/serve.ts";
import { serveNodes } from "./cli/serve_nodes.ts";
import { parseControlArgs, runControl } from "./cli/control.ts";
import { parseNodeArgs, runNode } from "./cli/node.ts";
import { StartError, USAGE, UsageError } from "./cli/usage.ts";
import denoJson from "./deno.json" with { type: "json" };

/** kvolt's version, from deno.json. */
export const VERSION: string = denoJson.version;

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case "serve": {
        const options = parseServeArgs(rest);
        if (options.help) break;
        await (options.nodes > 1 ? serveNodes(options) : serve(options));
        return 0;
      }
      case "control": {
        const options = parseControlArgs(rest);
        if (options.help) break;
        await runControl(options);
        return 0;
      }
      case "node": {
        const options = parseNodeArgs(rest);
        if (options.help) break;
        await runNode(options);
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
