/**
 * The schema of every data operation of the JSON API, by name: one zod schema
 * for its JSON arguments (validation, and the conversion of WireBytes into
 * bytes) and one for its JSON result. Both the request validation
 * (`json_api_args.ts`) and the OpenAPI document (`openapi.ts`) come from
 * here.
 *
 * @example Parse the arguments of a set
 * ```ts
 * import { OP_SCHEMAS } from "./json_api_schemas.ts";
 * const args = OP_SCHEMAS.set.args.parse({ key: "k", value: "v", ttlMs: 1000 });
 * if (args.key[0] !== 107) throw new Error("key not decoded");
 * ```
 *
 * @module
 */

import type { OpArgs, OpName } from "../protocol/operations.ts";
import type { OpSchema } from "./json_api_schema_parts.ts";
import { COLLECTION_SCHEMAS } from "./json_api_schemas_collections.ts";
import { SCALAR_SCHEMAS } from "./json_api_schemas_scalar.ts";

export type { OpSchema };

/** Schemas of every operation, by name (the keys are exactly `OP_NAMES`). */
export const OP_SCHEMAS: { readonly [K in OpName]: OpSchema<OpArgs<K>> } = {
  ...SCALAR_SCHEMAS,
  ...COLLECTION_SCHEMAS,
};
