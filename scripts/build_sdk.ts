/**
 * `deno task build:sdk`: builds the SDK as an npm package directory,
 * `dist/sdk/` (or the directory given as the first argument): `kvolt.mjs`
 * (`mod.ts` bundled into one ES module for Node >= 20), its declarations in
 * `types/` (tsc from npm, through npx), and a `package.json`
 * (name and version from `deno.json`, `type: module`, `exports`, and the
 * real dependencies `@gomomento/sdk-core` and `@bokuweb/zstd-wasm` at the
 * versions pinned in `deno.json`, so zstd comes with the install).
 *
 * - `@gomomento/sdk-core` is CommonJS and requires Node's `buffer`; the bundle
 *   starts with a `require` made by `node:module`'s `createRequire`, which
 *   esbuild's require shim picks up.
 * - `@bokuweb/zstd-wasm` stays external (it loads its `.wasm` from its own
 *   folder): install it beside the bundle (`npm i @bokuweb/zstd-wasm`). It is
 *   only imported when a value is compressed and the runtime has no native
 *   zstd.
 *
 * Browsers: `kvolt.browser.mjs` (the `browser` condition), the same bundle
 * with a shim for sdk-core's one use of Node's `buffer`.
 *
 * @module
 */

const ROOT = new URL("..", import.meta.url);
const NODE_PRELUDE =
  'import { createRequire as __kvoltCreateRequire } from "node:module";\n' +
  "const require = __kvoltCreateRequire(import.meta.url);\n";

/**
 * What a browser bundle starts with: a `require` that the bundler's shim
 * (`__require`) calls for sdk-core's one CommonJS `require("buffer")`
 * (`deno bundle` keeps it as `node:buffer`, which a page cannot load: "Dynamic
 * require of node:buffer"). sdk-core uses Buffer only to turn base64 into
 * UTF-8 text and back, so the shim does exactly that with the web's own
 * `atob`, `btoa`, TextEncoder and TextDecoder.
 */
const BROWSER_PRELUDE = `const require = (name) => {
  if (name !== "buffer" && name !== "node:buffer") {
    throw new Error("kvolt: cannot require " + name + " in a browser");
  }
  const wrap = (bytes) => ({
    toString(encoding) {
      if (encoding === "base64") {
        let text = "";
        for (let i = 0; i < bytes.length; i += 0x8000) {
          text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        }
        return btoa(text);
      }
      return new TextDecoder().decode(bytes);
    },
  });
  const Buffer = {
    from(value, encoding) {
      if (encoding === "base64") {
        return wrap(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
      }
      return wrap(new TextEncoder().encode(value));
    },
  };
  return { Buffer };
};
`;

/**
 * Bundles `mod.ts` for browsers into `outFile`: one ES module a page imports
 * (`<script type="module">`), with {@linkcode BROWSER_PRELUDE}. Compression
 * there needs `@bokuweb/zstd-wasm` resolvable by the page (an import map).
 *
 * @param outFile path of the bundle to write
 * @throws when `deno bundle` fails
 */
export async function buildBrowserSdk(outFile: string): Promise<void> {
  await bundle(outFile, BROWSER_PRELUDE);
}

/**
 * Bundles `mod.ts` for Node into `outFile`.
 *
 * @param outFile path of the bundle to write
 * @throws when `deno bundle` fails
 */
export async function buildSdk(outFile: string): Promise<void> {
  await bundle(outFile, NODE_PRELUDE);
}

/** `deno bundle` of `mod.ts` into `outFile`, with `prelude` put first. */
async function bundle(outFile: string, prelude: string): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--external",
      "@bokuweb/zstd-wasm",
      "-o",
      outFile,
      "mod.ts",
    ],
    cwd: ROOT,
    stdin: "null",
  }).output();
  if (out.code !== 0) {
    throw new Error(
      `Cannot bundle the SDK: deno bundle exited ${out.code}: ${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
  const code = await Deno.readTextFile(outFile);
  await Deno.writeTextFile(outFile, prelude + code);
}

interface DenoJson {
  name?: string;
  version?: string;
  imports: Record<string, string>;
}

/** The version pinned for `name` in `deno.json`'s `npm:` imports. */
function pinnedVersion(imports: Record<string, string>, name: string): string {
  const spec = imports[name] ?? "";
  const at = spec.lastIndexOf("@");
  if (!spec.startsWith(`npm:${name}@`) || at <= 4) {
    throw new Error(`deno.json imports pin no npm version for ${name}`);
  }
  return spec.slice(at + 1);
}

/**
 * The `package.json` of the SDK package, from `deno.json`.
 *
 * @param denoJson the parsed `deno.json`
 * @returns the package manifest
 */
export function packageJson(denoJson: DenoJson): Record<string, unknown> {
  return {
    name: denoJson.name ?? "@kvolt/kvolt",
    version: denoJson.version ?? "0.4.0",
    description: "kvolt SDK: a Momento-compatible cache client",
    type: "module",
    main: "./kvolt.mjs",
    types: "./types/mod.d.ts",
    exports: {
      ".": {
        types: "./types/mod.d.ts",
        browser: "./kvolt.browser.mjs",
        node: "./kvolt.mjs",
        default: "./kvolt.mjs",
      },
    },
    files: ["kvolt.mjs", "kvolt.browser.mjs", "types"],
    engines: { node: ">=20" },
    dependencies: {
      "@gomomento/sdk-core": pinnedVersion(
        denoJson.imports,
        "@gomomento/sdk-core",
      ),
      "@bokuweb/zstd-wasm": pinnedVersion(
        denoJson.imports,
        "@bokuweb/zstd-wasm",
      ),
    },
  };
}

/**
 * Builds the npm package directory `dir`: the Node bundle and its manifest.
 *
 * @param dir the package directory (created if missing)
 * @throws when bundling fails or deno.json pins no version of a dependency
 */
export async function buildSdkPackage(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const denoJson = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", ROOT)),
  ) as DenoJson;
  await buildSdk(`${dir}/kvolt.mjs`);
  await buildBrowserSdk(`${dir}/kvolt.browser.mjs`);
  await buildTypes(`${dir}/types`);
  await Deno.writeTextFile(
    `${dir}/package.json`,
    JSON.stringify(packageJson(denoJson), null, 2) + "\n",
  );
}

/** The TypeScript that writes the declarations (from npm, through npx). */
export const TYPESCRIPT = "typescript@5.9.3";

/**
 * Writes the SDK's declarations (`.d.ts`) into `outDir`: tsc over `mod.ts`,
 * with deno.json's `npm:` specifiers mapped to the project's node_modules,
 * then rewritten for a package: `npm:@gomomento/sdk-core@V` becomes
 * `@gomomento/sdk-core`, and relative `.ts` imports `.js`, which TypeScript
 * resolves to the `.d.ts` beside them.
 *
 * @param outDir where the `.d.ts` files go (mirroring the source tree)
 * @throws when tsc fails
 */
export async function buildTypes(outDir: string): Promise<void> {
  const root = new URL(".", ROOT).pathname.replace(/\/$/, "");
  const sdkCore = "npm:@gomomento/sdk-core@";
  const temp = await Deno.makeTempDir({ prefix: "kvolt-sdk-types-" });
  try {
    const version = pinnedVersion(
      JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))).imports,
      "@gomomento/sdk-core",
    );
    const spec = `${sdkCore}${version}`;
    await Deno.writeTextFile(
      `${temp}/tsconfig.json`,
      JSON.stringify({
        compilerOptions: {
          declaration: true,
          emitDeclarationOnly: true,
          allowImportingTsExtensions: true,
          module: "esnext",
          moduleResolution: "bundler",
          target: "es2022",
          lib: ["es2022", "dom", "dom.iterable"],
          strict: true,
          skipLibCheck: true,
          types: [],
          rootDir: root,
          outDir,
          baseUrl: root,
          paths: {
            [spec]: ["./node_modules/@gomomento/sdk-core"],
            [`${spec}/*`]: ["./node_modules/@gomomento/sdk-core/*"],
          },
        },
        files: [`${root}/mod.ts`],
      }),
    );
    const out = await new Deno.Command("npx", {
      args: ["-y", "-p", TYPESCRIPT, "tsc", "-p", `${temp}/tsconfig.json`],
      cwd: temp,
      stdin: "null",
    }).output();
    if (out.code !== 0) {
      throw new Error(
        `build:sdk: tsc failed:\n${new TextDecoder().decode(out.stdout)}${
          new TextDecoder().decode(out.stderr)
        }`,
      );
    }
    for (const file of await declarationFiles(outDir)) {
      const text = await Deno.readTextFile(file);
      await Deno.writeTextFile(
        file,
        text
          .replaceAll(`"${spec}`, '"@gomomento/sdk-core')
          .replace(/(from "\.{1,2}\/[^"]*)\.ts"/g, '$1.js"')
          .replace(/(import\("\.{1,2}\/[^"]*)\.ts"\)/g, '$1.js")'),
      );
    }
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
}

async function declarationFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await declarationFiles(path));
    else if (entry.name.endsWith(".d.ts")) files.push(path);
  }
  return files;
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? new URL("dist/sdk", ROOT).pathname;
  await buildSdkPackage(dir);
  console.log(`build:sdk: wrote the package in ${dir}`);
}
