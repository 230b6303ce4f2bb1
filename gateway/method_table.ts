/**
 * The methods each path allows, derived from the app's own routes (Hono's
 * `app.routes`), for 405 answers: a route added to the app is known here with
 * no table to keep in step.
 *
 * @module
 */

/** A route as Hono lists it. */
export interface RouteEntry {
  method: string;
  path: string;
}

/** Methods in the order an `Allow` header lists them. */
const ORDER = ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS"];

/**
 * A lookup from a request path to the methods its routes allow.
 *
 * @param routes the app's routes (`app.routes`)
 * @returns the allowed methods of a path, or undefined when no route has it
 *
 * @example
 * ```ts
 * import { allowedMethods } from "./method_table.ts";
 * const allow = allowedMethods([
 *   { method: "PUT", path: "/cache/:cache" },
 *   { method: "GET", path: "/cache/:cache" },
 * ]);
 * if (allow("/cache/orders")?.join() !== "GET,PUT") throw new Error();
 * if (allow("/nothing") !== undefined) throw new Error();
 * ```
 */
export function allowedMethods(
  routes: readonly RouteEntry[],
): (path: string) => readonly string[] | undefined {
  const byPath = new Map<string, Set<string>>();
  for (const { method, path } of routes) {
    if (method === "ALL") continue;
    const methods = byPath.get(path) ?? new Set<string>();
    methods.add(method);
    byPath.set(path, methods);
  }
  const table = [...byPath].map(([path, methods]) =>
    [
      pattern(path),
      [...methods].sort((a, b) => rank(a) - rank(b)),
    ] as const
  );
  return (path) => table.find(([re]) => re.test(path))?.[1];
}

/** A Hono path (`/v1/cache/:cache/:op`) as an anchored pattern. */
function pattern(path: string): RegExp {
  const parts = path.split("/").map((part) =>
    part.startsWith(":")
      ? "[^/]+"
      : part === "*"
      ? ".*"
      : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  );
  return new RegExp(`^${parts.join("/")}$`);
}

function rank(method: string): number {
  const at = ORDER.indexOf(method);
  return at < 0 ? ORDER.length : at;
}
