/**
 * Test helper: the Node projects of the tests that drive Momento's official
 * SDKs (`tests/grpc_node/`, `tests/grpc_web_node/`). Each is copied to a temp
 * dir and installed there with `npm ci` from its committed lock file, so the
 * repository never holds a `node_modules` and every run gets the pinned
 * versions.
 *
 * @module
 */

import { join } from "node:path";

/**
 * Runs `cmd args` in `cwd` and returns its stdout.
 *
 * @throws with its stderr when it fails
 */
export async function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${text(out.stderr)}`);
  }
  return text(out.stdout);
}

/** True when `name --version` runs. */
export async function hasTool(name: string): Promise<boolean> {
  try {
    await run(name, ["--version"], "/");
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies the files of the Node project `source` (package.json, its lock file
 * and scripts; not node_modules) to a new temp dir and runs `npm ci` there.
 *
 * @param source the project's folder in the repository
 * @param prefix the temp dir's name prefix
 * @returns the temp dir (the caller removes it)
 */
export async function installNodeProject(
  source: URL,
  prefix: string,
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    for await (const entry of Deno.readDir(source)) {
      if (!entry.isFile) continue;
      await Deno.copyFile(
        new URL(entry.name, source),
        join(dir, entry.name),
      );
    }
    await run("npm", ["ci", "--no-audit", "--no-fund"], dir);
    return dir;
  } catch (err) {
    await Deno.remove(dir, { recursive: true });
    throw err;
  }
}
