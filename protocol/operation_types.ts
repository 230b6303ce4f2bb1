/**
 * Named types of the operations' arguments and results (Hit, Miss, Success,
 * Stored..., TTLs, sort orders, score ranges), for the stores' code. Those
 * that are a schema of the catalogue are derived from it
 * (`catalogue_parts.ts`).
 *
 * @module
 */

import type { z } from "zod";
import type {
  aggregate,
  itemType,
  stored,
  storedWithHash,
  ttlChange,
  valueLookup,
} from "./catalogue_parts.ts";

/** Item types, as `itemGetType` reports them (Momento's names). */
export type ItemType = z.output<typeof itemType>;

/** Bytes on the JSON wire: UTF-8 text, or any bytes as base64. */
export type WireBytes = string | { base64: string };

/** The TTL of a collection write (Momento's `CollectionTtl`). */
export interface CollectionTtlArgs {
  /** TTL in ms, from 1 to the deployment's maximum. */
  ttlMs: number;
  /** When true (the default), every write resets the TTL; when false, only creation sets it. */
  refreshTtl?: boolean;
}

/** Sort order for sorted-set reads. Default ASC. */
export type SortOrder = "ASC" | "DESC";

/** How sortedSetUnionStore combines the scores of one value. Default SUM. */
export type Aggregate = z.output<typeof aggregate>;

/** A score range; a missing bound is unbounded; bounds are inclusive unless marked exclusive. */
export interface ScoreRange {
  minScore?: number;
  maxScore?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/** Found. */
export interface Hit {
  type: "Hit";
}
/** Not found (missing key, missing field, or expired). */
export interface Miss {
  type: "Miss";
}
/** Done. */
export interface Success {
  type: "Success";
}

/** A Hit carrying fields. */
export type HitWith<T extends object> = Hit & T;
/** A Success carrying fields. */
export type SuccessWith<T extends object> = Success & T;
/** Bytes, as every store sees them. */
export type Bytes = Uint8Array;

/** A sorted-set element. */
export interface ScoredValue {
  value: Bytes;
  score: number;
}

/** A dictionary field. */
export interface FieldValue {
  field: Bytes;
  value: Bytes;
}

/** Per-key or per-field lookup result inside a batch. */
export type ValueLookup = z.output<typeof valueLookup>;

/** Stored or not, for conditional sets. */
export type Stored = z.output<typeof stored>;
/** Stored (with the new value's hash) or not. */
export type StoredWithHash = z.output<typeof storedWithHash>;
/** Outcome of a TTL change. */
export type TtlChange = z.output<typeof ttlChange>;
