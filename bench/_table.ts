/**
 * Aligned text tables for the benches: the first and last columns padded on
 * the right (names, remarks), the others on the left (figures).
 *
 * @module
 */

/** Lines of cells (the first is the head) as one aligned string. */
export function alignTable(lines: readonly (readonly string[])[]): string {
  const widths = lines[0]!.map((_, c) =>
    Math.max(...lines.map((line) => line[c]!.length))
  );
  return lines.map((line) =>
    line.map((cell, c) =>
      c === 0 || c === line.length - 1
        ? cell.padEnd(widths[c]!)
        : cell.padStart(widths[c]!)
    ).join("  ").trimEnd()
  ).join("\n");
}
