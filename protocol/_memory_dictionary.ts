/**
 * The reference model's dictionary operations. Private to `memory_store.ts`.
 *
 * @module
 */
import type { DictionaryOp } from "./operations.ts";
import {
  type DictionaryEntry,
  type Handlers,
  type MemoryItems,
  MISS,
  SUCCESS,
} from "./_memory_items.ts";
import { byteKey } from "./bytes.ts";
import { addInt64 } from "./int64_text.ts";
import { logicalSize } from "./data_store.ts";
import type {
  CollectionTtlArgs,
  FieldValue,
  OpName,
  ValueLookup,
} from "./operations.ts";

const copy = (f: FieldValue): FieldValue => ({
  field: f.field.slice(),
  value: f.value.slice(),
});

/**
 * Sets fields (a field given twice: the last value wins) after checking the
 * limits on the result; nothing is created for an empty list of fields.
 */
function setFields(
  items: MemoryItems,
  cacheId: number,
  op: OpName,
  args: { key: Uint8Array; fields: FieldValue[] } & CollectionTtlArgs,
): void {
  const { key, fields } = args;
  const existing = items.collection(cacheId, key, "DICTIONARY", op);
  const updates = new Map<string, FieldValue>();
  for (const f of fields) updates.set(byteKey(f.field), f);
  let size = existing?.size ?? 0;
  let length = existing?.fields.size ?? 0;
  for (const [id, f] of updates) {
    const old = existing?.fields.get(id);
    if (old === undefined) length++;
    else size -= logicalSize.dictionary(old.field, old.value);
    size += logicalSize.dictionary(f.field, f.value);
  }
  items.checkCollection(op, key, size, length);
  if (length === 0) return;
  const entry: DictionaryEntry = existing ??
    { type: "DICTIONARY", fields: new Map(), size: 0, expiresAt: 0 };
  for (const [id, f] of updates) entry.fields.set(id, copy(f));
  entry.size = size;
  entry.expiresAt = items.expiry(existing, args);
  if (existing === undefined) items.put(cacheId, key, entry);
}

/** The dictionary operations. */
export const DICTIONARY_OPS: Handlers<DictionaryOp> = {
  dictionarySetField(items, cacheId, args) {
    const { field, value } = args;
    setFields(items, cacheId, "dictionarySetField", {
      ...args,
      fields: [{ field, value }],
    });
    return SUCCESS;
  },
  dictionarySetFields(items, cacheId, args) {
    setFields(items, cacheId, "dictionarySetFields", args);
    return SUCCESS;
  },
  dictionaryGetField(items, cacheId, { key, field }) {
    const d = items.collection(
      cacheId,
      key,
      "DICTIONARY",
      "dictionaryGetField",
    );
    const found = d?.fields.get(byteKey(field));
    return found === undefined
      ? MISS
      : { type: "Hit", value: found.value.slice() };
  },
  dictionaryGetFields(items, cacheId, { key, fields }) {
    const d = items.collection(
      cacheId,
      key,
      "DICTIONARY",
      "dictionaryGetFields",
    );
    if (d === undefined) return MISS;
    return {
      type: "Hit",
      results: fields.map((field): ValueLookup => {
        const found = d.fields.get(byteKey(field));
        return found === undefined
          ? MISS
          : { type: "Hit", value: found.value.slice() };
      }),
    };
  },
  dictionaryFetch(items, cacheId, { key }) {
    const d = items.collection(cacheId, key, "DICTIONARY", "dictionaryFetch");
    if (d === undefined) return MISS;
    return { type: "Hit", fields: [...d.fields.values()].map(copy) };
  },
  dictionaryIncrement(items, cacheId, args) {
    const op = "dictionaryIncrement";
    const d = items.collection(cacheId, args.key, "DICTIONARY", op);
    const old = d?.fields.get(byteKey(args.field));
    const next = addInt64(op, old?.value, args.amount);
    setFields(items, cacheId, op, {
      ...args,
      fields: [{ field: args.field, value: next.text }],
    });
    return { type: "Success", value: next.value };
  },
  dictionaryRemoveFields(items, cacheId, { key, fields }) {
    const d = items.collection(
      cacheId,
      key,
      "DICTIONARY",
      "dictionaryRemoveFields",
    );
    if (d === undefined) return SUCCESS;
    for (const field of fields) {
      const id = byteKey(field);
      const old = d.fields.get(id);
      if (old === undefined) continue;
      d.fields.delete(id);
      d.size -= logicalSize.dictionary(old.field, old.value);
    }
    if (d.fields.size === 0) items.remove(cacheId, key);
    return SUCCESS;
  },
  dictionaryLength(items, cacheId, { key }) {
    const d = items.collection(cacheId, key, "DICTIONARY", "dictionaryLength");
    return d === undefined ? MISS : { type: "Hit", length: d.fields.size };
  },
};
