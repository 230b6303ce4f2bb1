// The SDK package's types under `tsc --strict` (node:test): in the fresh Node
// project where tests/node/run.ts installed the package (KVOLT_SDK_PROJECT),
// an example written as a Momento user writes it type-checks, and a mistake
// (reading a value from a response that may be a miss) does not, so the
// declarations are real, not `any`.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const project = process.env.KVOLT_SDK_PROJECT;
const typescript = process.env.KVOLT_TYPESCRIPT ?? "typescript@5.9.3";

const EXAMPLE = `
import {
  AuthClient,
  CacheClient,
  CacheGet,
  CollectionTtl,
  Configurations,
  CredentialProvider,
  DisposableTokenScopes,
  ExpiresIn,
  ReadConcern,
} from "@kvolt/kvolt";

export async function session(apiKey: string): Promise<string | undefined> {
  const client = await CacheClient.create({
    configuration: Configurations.Laptop.v1().withReadConcern(
      ReadConcern.CONSISTENT,
    ),
    credentialProvider: CredentialProvider.fromString({ apiKey }),
    defaultTtlSeconds: 60,
  });
  await client.set("default", "k", "v", { ttl: 30, compress: true });
  await client.dictionarySetField("default", "d", "f", "v", {
    ttl: CollectionTtl.of(60),
  });
  const auth = new AuthClient({
    credentialProvider: CredentialProvider.fromString({ apiKey }),
  });
  await auth.generateDisposableToken(
    DisposableTokenScopes.cacheKeyReadWrite("default", "k"),
    ExpiresIn.minutes(5),
  );
  const got = await client.get("default", "k");
  client.close();
  if (got instanceof CacheGet.Hit) return got.valueString();
  return undefined;
}
`;

const MISTAKE = `
import { CacheClient } from "@kvolt/kvolt";
export async function wrong(client: CacheClient): Promise<string> {
  const got = await client.get("default", "k");
  return got.valueString();
}
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    lib: ["es2022", "dom"],
    skipLibCheck: true,
    types: [],
  },
};

async function typeCheck(file, source) {
  await writeFile(join(project, file), source);
  await writeFile(
    join(project, "tsconfig.json"),
    JSON.stringify({ ...TSCONFIG, files: [file] }),
  );
  try {
    await run("npx", ["-y", "-p", typescript, "tsc", "-p", "."], {
      cwd: project,
    });
    return { ok: true, output: "" };
  } catch (err) {
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

test("the package's types: a Momento-style example passes tsc --strict", {
  skip: project === undefined ? "KVOLT_SDK_PROJECT is not set" : false,
}, async () => {
  const { ok, output } = await typeCheck("example.ts", EXAMPLE);
  assert.ok(ok, output);
});

test(
  "the package's types: reading a value from a possible miss fails tsc --strict",
  {
    skip: project === undefined ? "KVOLT_SDK_PROJECT is not set" : false,
  },
  async () => {
    const { ok, output } = await typeCheck("mistake.ts", MISTAKE);
    assert.ok(!ok, "tsc accepted a call that a miss does not have");
    assert.match(output, /valueString/);
  },
);
