/**
 * A small TypeScript tokenizer and the SQL-safety rules of test/unit/sql-safety.test.ts.
 *
 * The tokenizer knows strings, comments, regular-expression literals, template literals with
 * `${…}` substitutions (nested to any depth, braces counted) and returns a flat token list: code
 * inside a substitution is tokenized like any other code, so a template nested in a template is
 * a token of its own. TypeScript 7 has no JS compiler API, hence this.
 *
 * Rules (file and line in every finding):
 *  (a) a template literal not tagged `sql` that has a substitution and whose static text looks
 *      like SQL — SQL is built with the `sql` tag of core/sql.ts only;
 *  (a2) a string or template literal that looks like SQL next to a `+` (SQL glued by concatenation);
 *  (b) a call of a DuckDB connection's SQL-executing method (`.run(`, `.runAndReadAll(`, …) outside
 *      core/sql.ts — except calls whose argument list starts with `{` or is empty, which cannot
 *      pass SQL text (an analysis module's `m.run({ conn, params }, p)`, a simulation's `.run()`);
 *  (c) the name `trusted` (import, call or alias) outside pipeline/sql-runner.ts and core/sql.ts.
 */

export interface Token {
  kind: "name" | "punct" | "string" | "template" | "regex";
  text: string;
  line: number;
  /** templates: the static parts */
  quasis?: string[];
  /** templates: the tag (last name before the backtick), if any */
  tag?: string;
  /** neighbours in the same code context (a template's substitutions are their own contexts) */
  prev?: Token;
  next?: Token;
}

export interface Finding {
  rule: "a" | "a2" | "b" | "c";
  line: number;
  message: string;
}

const KEYWORDS_BEFORE_REGEX = new Set([
  "return",
  "typeof",
  "case",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "instanceof",
  "yield",
  "await",
  "else",
  "do",
]);

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const lineStarts = [0];
  for (let k = 0; k < src.length; k++) if (src[k] === "\n") lineStarts.push(k + 1);
  const lineOf = (pos: number) => {
    let lo = 0,
      hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const fail = (pos: number, what: string): never => {
    throw new Error(`tokenizer: ${what} op regel ${lineOf(pos)}`);
  };

  /** Code from `i` up to the `}` closing a substitution (when `inSubst`) or the end; returns the index after it. */
  function code(i: number, inSubst: boolean): number {
    let depth = 0;
    let prev: Token | undefined; // previous significant token in this context
    const push = (t: Token) => {
      tokens.push(t);
      t.prev = prev;
      if (prev) prev.next = t;
      prev = t;
    };
    while (i < src.length) {
      const ch = src[i]!;
      const next = src[i + 1];
      if (ch === "\n" || ch === " " || ch === "\t" || ch === "\r") {
        i++;
      } else if (ch === "/" && next === "/") {
        const e = src.indexOf("\n", i);
        i = e < 0 ? src.length : e;
      } else if (ch === "/" && next === "*") {
        const e = src.indexOf("*/", i + 2);
        if (e < 0) fail(i, "open commentaar");
        i = e + 2;
      } else if (ch === "'" || ch === '"') {
        const start = i;
        i++;
        while (i < src.length && src[i] !== ch) {
          if (src[i] === "\\") i++;
          else if (src[i] === "\n") fail(start, "open string");
          i++;
        }
        if (i >= src.length) fail(start, "open string");
        i++;
        push({ kind: "string", text: src.slice(start + 1, i - 1), line: lineOf(start) });
      } else if (ch === "`") {
        const tag = prev?.kind === "name" && !KEYWORDS_BEFORE_REGEX.has(prev.text) ? prev.text : undefined;
        const t: Token = { kind: "template", text: "", line: lineOf(i), quasis: [], tag };
        push(t); // pushed first: tokens of its substitutions follow it in the list
        i = template(i + 1, t);
      } else if (ch === "/") {
        const regexAllowed =
          !prev ||
          (prev.kind === "punct" && !(prev.text === ")" || prev.text === "]" || prev.text === "}" || prev.text === "!postfix")) ||
          (prev.kind === "name" && KEYWORDS_BEFORE_REGEX.has(prev.text));
        if (regexAllowed) {
          const start = i;
          i++;
          let inClass = false;
          while (i < src.length) {
            const c = src[i];
            if (c === "\\") i += 2;
            else if (c === "\n") fail(start, "open reguliere expressie");
            else if (inClass) {
              if (c === "]") inClass = false;
              i++;
            } else if (c === "[") {
              inClass = true;
              i++;
            } else if (c === "/") break;
            else i++;
          }
          i++;
          while (i < src.length && /[a-z]/i.test(src[i]!)) i++;
          push({ kind: "regex", text: src.slice(start, i), line: lineOf(start) });
        } else {
          push({ kind: "punct", text: "/", line: lineOf(i) });
          i++;
        }
      } else if (/[A-Za-z_$0-9\u0080-\uffff]/.test(ch)) {
        const start = i;
        while (i < src.length && /[A-Za-z_$0-9\u0080-\uffff]/.test(src[i]!)) i++;
        // a number's decimal point and exponent sign are part of it
        if (/^[0-9]/.test(src.slice(start, i))) {
          while (i < src.length && /[0-9A-Za-z_.]/.test(src[i]!)) i++;
        }
        push({ kind: "name", text: src.slice(start, i), line: lineOf(start) });
      } else if (ch === "?" && next === "." && !/[0-9]/.test(src[i + 2] ?? "")) {
        push({ kind: "punct", text: ".", line: lineOf(i) });
        i += 2;
      } else {
        if (ch === "{") depth++;
        else if (ch === "}") {
          if (depth === 0 && inSubst) return i + 1;
          depth--;
        }
        // a `!` right after a name, `)` or `]` is TypeScript's non-null assertion (postfix): what
        // follows it is an operator position, so a `/` there divides (`x! / y`)
        const postfix = ch === "!" && i > 0 && /[A-Za-z_$0-9\u0080-\uffff)\]]/.test(src[i - 1]!) && src[i + 1] !== "=";
        push({ kind: "punct", text: postfix ? "!postfix" : ch, line: lineOf(i) });
        i++;
      }
    }
    if (inSubst) fail(i, "open ${ in template");
    return i;
  }

  /** Template body from `i` (after the backtick); returns the index after the closing backtick. */
  function template(i: number, t: Token): number {
    const start = i;
    let quasi = "";
    while (i < src.length) {
      const c = src[i];
      if (c === "\\") {
        quasi += src.slice(i, i + 2);
        i += 2;
      } else if (c === "`") {
        t.quasis!.push(quasi);
        t.text = src.slice(start, i);
        return i + 1;
      } else if (c === "$" && src[i + 1] === "{") {
        t.quasis!.push(quasi);
        quasi = "";
        i = code(i + 2, true);
      } else {
        quasi += c;
        i++;
      }
    }
    return fail(start, "open template");
  }

  code(0, false);
  return tokens;
}

/** Upper-case SQL keywords (whole words), file-reading functions, or a lower-case select … from. */
const SQL_LIKE = [
  /\b(SELECT|FROM|WHERE|CREATE|INSERT|COPY|ATTACH|DETACH|PRAGMA|SET|RESET|DROP|ALTER|UPDATE|DELETE|INSTALL|LOAD|EXPORT|IMPORT|UNION|JOIN|VALUES|INTERVAL|CASE\s+WHEN|GROUP\s+BY|ORDER\s+BY)\b/,
  /\b(read_csv\w*|read_parquet|parquet_scan|read_text|read_blob|read_json\w*|read_ndjson\w*|sniff_csv|glob|query_table|query)\s*\(/i,
  /\bDATE\s*'/,
  /\bselect\b[\s\S]*\bfrom\b/i,
];

export function looksLikeSql(text: string): boolean {
  return SQL_LIKE.some((re) => re.test(text));
}

/** DuckDB connection (and prepared statement) methods that execute SQL text. */
export const EXEC_METHODS = new Set([
  "run",
  "runAndReadAll",
  "runAndRead",
  "runAndReadUntil",
  "stream",
  "streamAndRead",
  "streamAndReadAll",
  "streamAndReadUntil",
  "prepare",
  "extractStatements",
  "start",
  "startStream",
]);

/** Where each rule does not apply (paths relative to the repository root). */
export const RULE_EXEMPT = {
  /** core/sql.ts is the convention itself: it turns values into literal text (rules a, a2) */
  text: ["core/sql.ts"],
  /** core/sql.ts is where run/readAll/rowObjects call DuckDB */
  exec: ["core/sql.ts"],
  /** sql-runner.ts marks the project's own SQL files trusted; core/sql.ts defines it */
  trusted: ["pipeline/sql-runner.ts", "core/sql.ts"],
};

export function scanSource(path: string, src: string): Finding[] {
  const tokens = tokenize(src);
  const out: Finding[] = [];
  const checkText = !RULE_EXEMPT.text.includes(path);
  for (const t of tokens) {
    const before = t.prev,
      after = t.next;
    if (checkText && t.kind === "template" && t.tag !== "sql" && t.quasis!.length > 1 && looksLikeSql(t.quasis!.join(" "))) {
      out.push({
        rule: "a",
        line: t.line,
        message: `template met \${…} die op SQL lijkt, zonder sql-tag${t.tag ? ` (tag ${t.tag})` : ""}`,
      });
    }
    if (checkText && (t.kind === "string" || t.kind === "template") && looksLikeSql(t.kind === "string" ? t.text : t.quasis!.join(" "))) {
      const plusBefore = before?.kind === "punct" && (before.text === "+" || (before.text === "=" && before.prev?.text === "+"));
      const plusAfter = after?.kind === "punct" && after.text === "+";
      if (plusBefore || plusAfter) out.push({ rule: "a2", line: t.line, message: "SQL-tekst aan elkaar geplakt met +" });
    }
    if (
      t.kind === "name" &&
      EXEC_METHODS.has(t.text) &&
      before?.kind === "punct" &&
      before.text === "." &&
      after?.kind === "punct" &&
      after.text === "(" &&
      !RULE_EXEMPT.exec.includes(path)
    ) {
      const arg = after.next;
      if (!(arg?.kind === "punct" && (arg.text === ")" || arg.text === "{"))) {
        out.push({ rule: "b", line: t.line, message: `directe aanroep .${t.text}( (gebruik run/readAll/rowObjects uit core/sql.ts)` });
      }
    }
    if (t.kind === "name" && t.text === "trusted" && !RULE_EXEMPT.trusted.includes(path)) {
      out.push({ rule: "c", line: t.line, message: "trusted hoort alleen in pipeline/sql-runner.ts" });
    }
  }
  return out;
}
