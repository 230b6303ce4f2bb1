/**
 * The outside programs `deno task bench:http` drives, installed from Debian's
 * packages with `apt-get install -y` when they are missing and the bench runs
 * as root.
 *
 * @module
 */

import { onPath } from "./_procs.ts";

/** An executable and the Debian package that holds it. */
export interface Tool {
  binary: string;
  aptPackage: string;
}

/** What the bench uses. */
export const BENCH_TOOLS: readonly Tool[] = [
  { binary: "wrk", aptPackage: "wrk" },
  { binary: "redis-server", aptPackage: "redis-server" },
  { binary: "redis-benchmark", aptPackage: "redis-tools" },
  { binary: "webdis", aptPackage: "webdis" },
];

const APT_TIMEOUT_MS = 10 * 60_000;

async function apt(args: string[]): Promise<boolean> {
  try {
    const out = await new Deno.Command("apt-get", {
      args,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
      signal: AbortSignal.timeout(APT_TIMEOUT_MS),
    }).output();
    if (!out.success) {
      const tail = new TextDecoder().decode(out.stderr).trim().split("\n")
        .slice(-3).join("\n");
      console.error(`bench: apt-get ${args.join(" ")} failed:\n${tail}`);
    }
    return out.success;
  } catch (err) {
    console.error(`bench: cannot run apt-get: ${(err as Error).message}`);
    return false;
  }
}

/**
 * Installs the tools that are missing (as root, with apt-get; `apt-get update`
 * first only when a plain install fails) and says which are still missing.
 *
 * @param tools the tools needed
 * @param install false to only check
 * @returns the binaries still missing
 */
export async function ensureTools(
  tools: readonly Tool[],
  install: boolean,
): Promise<string[]> {
  const missing = async () => {
    const out: Tool[] = [];
    for (const tool of tools) if (!(await onPath(tool.binary))) out.push(tool);
    return out;
  };
  let absent = await missing();
  if (absent.length === 0) return [];
  const packages = [...new Set(absent.map((t) => t.aptPackage))];
  const isRoot = Deno.uid() === 0;
  if (install && isRoot && await onPath("apt-get")) {
    console.error(
      `bench: ${
        absent.map((t) => t.binary).join(", ")
      } missing: installing the Debian package(s) ${
        packages.join(", ")
      } with apt-get (pass --no-install to skip)`,
    );
    const install = ["install", "-y", "--no-install-recommends", ...packages];
    if (!(await apt(install)) && await apt(["update"])) await apt(install);
    absent = await missing();
  } else if (install) {
    console.error(
      `bench: cannot install ${packages.join(", ")}: ${
        isRoot ? "apt-get is not available" : "not running as root"
      }`,
    );
  }
  for (const tool of absent) {
    console.error(
      `bench: MISSING ${tool.binary} (Debian package ${tool.aptPackage}): its figures are null`,
    );
  }
  return absent.map((t) => t.binary);
}
