/**
 * The AssemblyScript compiler flags of the core: optimised, no assertions,
 * the stub runtime, no imports (`--use abort=`, so the module instantiates
 * from bytes with an empty import object), SIMD for the index's tag compare.
 * One list for the core build (scripts/build_wasm.ts) and test-only modules.
 *
 * @module
 */

/** Flags after the entry file and `-o OUT`. */
export const ASC_FLAGS: readonly string[] = [
  "-O3",
  "--noAssert",
  "--runtime",
  "stub",
  "--use",
  "abort=",
  "--enable",
  "simd",
];
