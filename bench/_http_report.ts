/**
 * The JSON line `deno task bench:http` prints: the figures, their ratios, and
 * which of issue 3's targets are met.
 *
 * @module
 */

/** Every figure of the run; null when it could not be measured. */
export interface HttpFigures {
  hello_rps: number | null;
  kvolt_get_rps: number | null;
  /** The same GET served by Deno.serve (`serve --listener deno`). */
  kvolt_get_deno_serve_rps: number | null;
  hello_tls_rps: number | null;
  kvolt_get_tls_rps: number | null;
  webdis_get_rps: number | null;
  redis_get_ops: number | null;
  kvolt_pipeline_ops: number | null;
}

/** The names of {@linkcode HttpFigures}. */
export type FigureName = keyof HttpFigures;

/** One target: `value` (a ratio, or a figure) must be at least `target`. */
export interface TargetCheck {
  value: number | null;
  target: number;
  met: boolean | null;
}

interface TargetSpec {
  name: string;
  numerator: FigureName;
  denominator?: FigureName;
  target: number;
}

/** Issue 3's targets. */
const TARGETS: readonly TargetSpec[] = [
  {
    name: "kvolt_get_vs_hello",
    numerator: "kvolt_get_rps",
    denominator: "hello_rps",
    target: 0.75,
  },
  {
    name: "kvolt_listener_vs_deno_serve",
    numerator: "kvolt_get_rps",
    denominator: "kvolt_get_deno_serve_rps",
    target: 0.95,
  },
  {
    name: "kvolt_get_tls_vs_hello_tls",
    numerator: "kvolt_get_tls_rps",
    denominator: "hello_tls_rps",
    target: 0.8,
  },
  {
    name: "kvolt_get_vs_webdis",
    numerator: "kvolt_get_rps",
    denominator: "webdis_get_rps",
    target: 2.5,
  },
  {
    name: "kvolt_get_vs_redis",
    numerator: "kvolt_get_rps",
    denominator: "redis_get_ops",
    target: 1.0,
  },
  {
    name: "kvolt_pipeline_ops",
    numerator: "kvolt_pipeline_ops",
    target: 500_000,
  },
];

/** A figure rounded to a whole number, or null. */
function whole(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}

/**
 * The report object: figures (rounded), `ratios`, `targets` and the extra
 * fields given (config, missing tools, notes).
 *
 * @param figures the measured figures
 * @param extra fields added as they are
 * @returns an object to print as one JSON line
 *
 * @example
 * ```ts
 * import { httpReport } from "./_http_report.ts";
 * const report = httpReport({
 *   hello_rps: 100, kvolt_get_rps: 80, kvolt_get_deno_serve_rps: null,
 *   hello_tls_rps: null,
 *   kvolt_get_tls_rps: null, webdis_get_rps: 20, redis_get_ops: 90,
 *   kvolt_pipeline_ops: null,
 * });
 * if (report.targets.kvolt_get_vs_hello?.met !== true) throw new Error();
 * if (report.targets.kvolt_get_tls_vs_hello_tls?.met !== null) throw new Error();
 * ```
 */
export function httpReport(
  figures: HttpFigures,
  extra: Record<string, unknown> = {},
):
  & Record<FigureName, number | null>
  & {
    ratios: Record<string, number | null>;
    targets: Record<string, TargetCheck>;
  }
  & Record<string, unknown> {
  const rounded = {} as Record<FigureName, number | null>;
  for (const [name, value] of Object.entries(figures)) {
    rounded[name as FigureName] = whole(value);
  }
  const ratios: Record<string, number | null> = {};
  const targets: Record<string, TargetCheck> = {};
  for (const spec of TARGETS) {
    const top = figures[spec.numerator];
    const bottom = spec.denominator ? figures[spec.denominator] : 1;
    const value = top === null || bottom === null || bottom === 0
      ? null
      : spec.denominator
      ? Math.round((top / bottom) * 1000) / 1000
      : Math.round(top);
    if (spec.denominator) ratios[spec.name] = value;
    targets[spec.name] = {
      value,
      target: spec.target,
      met: value === null ? null : value >= spec.target,
    };
  }
  return { ...rounded, ratios, targets, ...extra };
}
