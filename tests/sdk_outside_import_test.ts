/**
 * `mod.ts` imported from outside the repository: a temp project with its own
 * deno.json (no import map of kvolt's) imports it by path; the program is
 * type-checked and run against `serve` with TLS, built from the key and CA.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { serveArgs, startServer } from "./_server.ts";

const MOD = new URL("../mod.ts", import.meta.url).pathname;

Deno.test("sdk: mod.ts imported from another project type-checks and runs", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-outside-data-" });
  const project = await Deno.makeTempDir({ prefix: "kvolt-outside-" });
  const server = await startServer(Deno.execPath(), serveArgs(dataDir));
  try {
    await Deno.writeTextFile(
      join(project, "deno.json"),
      JSON.stringify({
        nodeModulesDir: "auto",
        compilerOptions: { strict: true },
        imports: { "@kvolt/kvolt": MOD },
      }),
    );
    await Deno.writeTextFile(
      join(project, "app.ts"),
      `import { CacheClient, CacheGet, CredentialProvider } from "@kvolt/kvolt";
const client = new CacheClient({
  credentialProvider: CredentialProvider.fromEnvironmentVariable("KVOLT_API_KEY"),
  caCertificate: await Deno.readTextFile(Deno.env.get("KVOLT_CA")!),
  defaultTtlSeconds: 60,
});
const set = await client.set("default", "outside", "works");
const got = await client.get("default", "outside");
console.log(set.type, got instanceof CacheGet.Hit ? got.valueString() : String(got));
client.close();
`,
    );
    const run = async (...args: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args,
        cwd: project,
        env: {
          KVOLT_API_KEY: server.apiKey,
          KVOLT_CA: join(dataDir, "tls", "ca.pem"),
        },
        stdin: "null",
      }).output();
      const text = (b: Uint8Array) => new TextDecoder().decode(b);
      return {
        code: out.code,
        stdout: text(out.stdout),
        stderr: text(out.stderr),
      };
    };
    const check = await run("check", "app.ts");
    assert.equal(check.code, 0, check.stderr);
    const ran = await run("run", "-A", "app.ts");
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout.trim(), "Success works");
  } finally {
    await server.stop();
    await Deno.remove(project, { recursive: true });
    await Deno.remove(dataDir, { recursive: true });
  }
});
