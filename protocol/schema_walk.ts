/**
 * Walking the catalogue's zod schemas: the leaves with a limit role
 * (`catalogue_parts.ts`) and where they sit in an operation's arguments.
 * What the limits checker, the token scope and the router know about an
 * operation's keys and elements comes from here, not from lists kept by
 * hand.
 *
 * @module
 */

import type { z } from "zod";
import { type LimitRole, roleOf } from "./catalogue_parts.ts";

/** One step into a value: an object's field, or every item of an array. */
export type Step = string | typeof EACH;
/** The step into every item of an array. */
export const EACH: unique symbol = Symbol("each");

/** A leaf with a role, and the steps from the arguments to it. */
export interface RoleLeaf {
  role: LimitRole;
  path: readonly Step[];
}

/**
 * What zod 4 says of a schema node (`schema._zod.def`), the parts the walks
 * of the catalogue read, by `type`.
 */
export interface ZodDef {
  type: string;
  /** object */
  shape?: Record<string, z.ZodType>;
  /** array */
  element?: z.ZodType;
  /** optional, nullable, default */
  innerType?: z.ZodType;
  /** pipe */
  in?: z.ZodType;
  /** union */
  options?: readonly z.ZodType[];
  /** discriminated union */
  discriminator?: string;
  /** literal */
  values?: readonly unknown[];
  /** enum */
  entries?: Record<string, string | number>;
}

/** The definition of a schema node. */
export function defOf(schema: z.ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

/**
 * Every leaf with a limit role in a schema, in the schema's field order.
 *
 * @param schema an operation's arguments schema
 * @returns the leaves and their paths
 */
export function roleLeaves(schema: z.ZodType): RoleLeaf[] {
  const found: RoleLeaf[] = [];
  const walk = (node: z.ZodType, path: Step[]): void => {
    const role = roleOf(node);
    if (role !== undefined) {
      found.push({ role, path });
      return;
    }
    const def = defOf(node);
    switch (def.type) {
      case "object":
        for (const [field, child] of Object.entries(def.shape!)) {
          walk(child, [...path, field]);
        }
        break;
      case "array":
        walk(def.element!, [...path, EACH]);
        break;
      case "optional":
      case "nullable":
      case "default":
        walk(def.innerType!, path);
        break;
      case "pipe":
        walk(def.in!, path);
        break;
      case "union":
        for (const option of def.options!) walk(option, path);
        break;
    }
  };
  walk(schema, []);
  return found;
}

/**
 * Calls `visit` with each value found at `path` in `value` (none when a step
 * finds nothing) and its dotted path (`items.2.key`).
 *
 * @param value the arguments (or part of them)
 * @param path steps from `value`
 * @param visit called per value found
 */
export function visitPath(
  value: unknown,
  path: readonly Step[],
  visit: (found: unknown, where: string) => void,
): void {
  const go = (v: unknown, i: number, where: string): void => {
    if (v === undefined || v === null) return;
    if (i === path.length) return visit(v, where);
    const step = path[i]!;
    const sep = where === "" ? "" : ".";
    if (step === EACH) {
      const list = v as unknown[];
      for (let n = 0; n < list.length; n++) {
        go(list[n], i + 1, `${where}${sep}${n}`);
      }
    } else {
      go((v as Record<string, unknown>)[step], i + 1, `${where}${sep}${step}`);
    }
  };
  go(value, 0, "");
}
