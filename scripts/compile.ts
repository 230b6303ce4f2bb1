/**
 * `deno task compile`: builds the standalone `dist/kvolt` binary from main.ts
 * with the Wasm core embedded.
 *
 * `deno compile` downloads Deno's runtime (denort) unless `DENORT_BIN` names a
 * local copy; the variable is passed through to it. When the download is not
 * possible this script says so and exits with {@linkcode EXIT_NO_RUNTIME}.
 *
 * @module
 */

/** The Wasm file the binary embeds (built by `deno task build:wasm`). */
const WASM_FILE = "store-wasm/build/kvolt_core.wasm";
/** Where the binary is written. */
export const OUTPUT = "dist/kvolt";
/** Exit code when the runtime could not be downloaded and DENORT_BIN is unset. */
export const EXIT_NO_RUNTIME = 3;

/**
 * True when `deno compile` failed because it could not fetch its runtime.
 *
 * @param stderr what `deno compile` printed on stderr
 */
function isRuntimeDownloadFailure(stderr: string): boolean {
  return /denort/i.test(stderr) &&
    /(error sending request|dns error|Setting up base binary|Download)/i.test(
      stderr,
    );
}

async function main(): Promise<number> {
  const root = new URL("..", import.meta.url);
  try {
    await Deno.stat(new URL(WASM_FILE, root));
  } catch {
    console.error(
      `compile: ${WASM_FILE} is missing: run \`deno task build:wasm\` first`,
    );
    return 1;
  }
  const denort = Deno.env.get("DENORT_BIN");
  if (denort) console.error(`compile: using DENORT_BIN=${denort}`);
  const child = new Deno.Command(Deno.execPath(), {
    // --unstable-net: the binary runs `serve --nodes N`, whose nodes share the
    // public port with SO_REUSEPORT (Deno.serve reusePort)
    args: [
      "compile",
      "-A",
      "--unstable-net",
      "--include",
      WASM_FILE,
      "-o",
      OUTPUT,
      "main.ts",
    ],
    cwd: root,
    stdin: "null",
    stdout: "inherit",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stderr) {
    stderr += decoder.decode(chunk, { stream: true });
    await Deno.stderr.write(chunk);
  }
  const { code } = await child.status;
  if (code === 0) {
    console.error(`compile: wrote ${OUTPUT}`);
    return 0;
  }
  if (!denort && isRuntimeDownloadFailure(stderr)) {
    console.error(
      "compile: deno compile could not download the Deno runtime (denort) and DENORT_BIN is not set; " +
        "set DENORT_BIN to a denort binary of the same Deno version to compile offline",
    );
    return EXIT_NO_RUNTIME;
  }
  return code;
}

if (import.meta.main) Deno.exit(await main());
