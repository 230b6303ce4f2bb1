/**
 * The reference page (`GET /docs`): the OpenAPI document rendered as one
 * self-contained HTML page on the server, with no script and nothing fetched
 * from elsewhere, so it works offline. Schemas are written as compact type
 * expressions: `{ key: WireBytes, ttlMs: integer >= 1, refreshTtl?: boolean }`.
 *
 * @example
 * ```ts
 * import { renderReferencePage } from "./openapi_page.ts";
 * const html = renderReferencePage({
 *   openapi: "3.1.0",
 *   info: { title: "t", version: "1" },
 *   paths: { "/v1/ping": { get: { summary: "Ping", responses: {} } } },
 * });
 * if (!html.includes("/v1/ping")) throw new Error("path missing");
 * ```
 *
 * @module
 */

type Json = Record<string, unknown>;

/** The parts of an OpenAPI document the page reads. */
export interface ReferenceDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths?: Record<string, object>;
  components?: { schemas?: Record<string, unknown> };
}

const METHODS = ["get", "put", "post", "delete"] as const;

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Inline code spans (`x`) in plain text. */
function prose(text: string): string {
  return escape(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

function anchor(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, "-");
}

/**
 * A schema as a compact type expression (HTML).
 *
 * @param schema a JSON schema of the document
 * @param depth nesting depth, to stop runaway recursion
 * @returns HTML text
 */
export function typeExpression(schema: unknown, depth = 0): string {
  if (typeof schema !== "object" || schema === null) return "any";
  const s = schema as Json;
  if (depth > 8) return "...";
  if (typeof s.$ref === "string") {
    const name = s.$ref.split("/").pop() ?? s.$ref;
    return `<a href="#schema-${anchor(name)}">${escape(name)}</a>`;
  }
  const alternatives = (s.oneOf ?? s.anyOf) as unknown[] | undefined;
  if (Array.isArray(alternatives)) {
    return alternatives.map((a) => typeExpression(a, depth + 1)).join(" | ");
  }
  if (Array.isArray(s.enum)) {
    return s.enum.map((v) => escape(JSON.stringify(v))).join(" | ");
  }
  if (s.const !== undefined) return escape(JSON.stringify(s.const));
  if (s.type === "array") {
    const inner = typeExpression(s.items, depth + 1);
    const bound = typeof s.maxItems === "number"
      ? ` (at most ${s.maxItems})`
      : "";
    return `(${inner})[]${bound}`;
  }
  if (s.type === "object" || s.properties !== undefined) {
    const props = (s.properties ?? {}) as Json;
    const required = new Set((s.required ?? []) as string[]);
    const fields = Object.entries(props).map(([name, value]) =>
      `${escape(name)}${required.has(name) ? "" : "?"}: ${
        typeExpression(value, depth + 1)
      }`
    );
    if (fields.length === 0) return "object";
    return `{ ${fields.join(", ")} }`;
  }
  let text = escape(String(s.type ?? "any"));
  if (typeof s.minimum === "number") text += ` &gt;= ${s.minimum}`;
  if (typeof s.maximum === "number") text += ` &lt;= ${s.maximum}`;
  return text;
}

function jsonSchemaOf(content: unknown): unknown {
  const media = content as Record<string, { schema?: unknown }> | undefined;
  if (media === undefined) return undefined;
  const first = Object.values(media)[0];
  return first?.schema;
}

function operationHtml(method: string, path: string, op: Json): string {
  const id = anchor(`${method}-${path}`);
  const parts = [
    `<section class="op" id="${id}">`,
    `<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${
      escape(path)
    }</code></h3>`,
  ];
  if (typeof op.summary === "string") parts.push(`<p>${prose(op.summary)}</p>`);
  if (typeof op.description === "string") {
    parts.push(`<p class="note">${prose(op.description)}</p>`);
  }
  const body = (op.requestBody as Json | undefined)?.content;
  const bodySchema = jsonSchemaOf(body);
  if (bodySchema !== undefined) {
    parts.push(`<p><b>Body</b> <code>${typeExpression(bodySchema)}</code></p>`);
  }
  const responses = (op.responses ?? {}) as Record<string, Json>;
  const rows = Object.entries(responses).map(([status, res]) => {
    const schema = jsonSchemaOf(res.content);
    const type = schema === undefined
      ? ""
      : `<code>${typeExpression(schema)}</code>`;
    return `<tr><td>${escape(status)}</td><td>${
      prose(String(res.description ?? ""))
    }</td><td>${type}</td></tr>`;
  });
  if (rows.length > 0) parts.push(`<table>${rows.join("")}</table>`);
  parts.push("</section>");
  return parts.join("\n");
}

const STYLE =
  `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#222}
code{font:13px ui-monospace,monospace;background:#f4f4f4;padding:0 .2em;word-break:break-word}
h2{border-bottom:1px solid #ddd;margin-top:2.5rem}.op{margin:1.5rem 0}.op h3{margin-bottom:.2rem}
.m{font:bold 12px monospace;padding:.1em .4em;border-radius:3px;color:#fff;background:#555}
.post{background:#2a7}.get{background:#27c}.put{background:#c82}.delete{background:#c33}
.note{color:#666}table{border-collapse:collapse;font-size:14px}td{border-top:1px solid #eee;padding:.2em .6em;vertical-align:top}
nav a{margin-right:.6em}`;

/**
 * The reference page of an OpenAPI document.
 *
 * @param doc the document
 * @returns a complete HTML page
 */
export function renderReferencePage(doc: ReferenceDocument): string {
  const byTag = new Map<string, string[]>();
  const index = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Json)[method] as Json | undefined;
      if (op === undefined) continue;
      const tag = ((op.tags as string[] | undefined) ?? ["other"])[0]!;
      if (!byTag.has(tag)) {
        byTag.set(tag, []);
        index.set(tag, []);
      }
      byTag.get(tag)!.push(operationHtml(method, path, op));
      const label = path.startsWith("/v1/cache/{cache}/")
        ? path.slice("/v1/cache/{cache}/".length)
        : `${method.toUpperCase()} ${path}`;
      index.get(tag)!.push(
        `<a href="#${anchor(`${method}-${path}`)}">${escape(label)}</a>`,
      );
    }
  }
  const sections = [...byTag].map(([tag, ops]) =>
    `<h2 id="tag-${anchor(tag)}">${escape(tag)}</h2>\n${ops.join("\n")}`
  );
  const nav = [...index].map(([tag, links]) =>
    `<p><b>${escape(tag)}</b>: ${links.join(" ")}</p>`
  );
  const schemas = Object.entries(doc.components?.schemas ?? {}).map((
    [name, schema],
  ) => {
    const description = (schema as Json).description;
    return `<section class="op" id="schema-${anchor(name)}"><h3>${
      escape(name)
    }</h3>${
      typeof description === "string" ? `<p>${prose(description)}</p>` : ""
    }<p><code>${
      typeExpression({ ...(schema as Json), $ref: undefined })
    }</code></p></section>`;
  });
  const title = `${doc.info.title} ${doc.info.version}: API reference`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>${STYLE}</style></head>
<body><h1>${escape(title)}</h1>
<p>${prose(doc.info.description ?? "")}</p>
<p>OpenAPI ${
    escape(doc.openapi)
  } document: <a href="/openapi.json">/openapi.json</a>.</p>
<nav>${nav.join("\n")}</nav>
${sections.join("\n")}
<h2 id="schemas">Schemas</h2>
${schemas.join("\n")}
</body></html>
`;
}
