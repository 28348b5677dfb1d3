/**
 * Splits a SQL script into its statements at top-level semicolons, respecting what PostgreSQL
 * treats as one token: 'strings' (with '' inside), E'strings' (with \' inside), "identifiers",
 * $tag$ dollar-quoted bodies $tag$, -- line comments and nested /* block comments *\/.
 * Statements that are only whitespace or comments are dropped.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  let meaningful = false; // anything but whitespace and comments since `start`
  const n = script.length;

  const push = (end: number) => {
    if (meaningful) statements.push(script.slice(start, end).trim());
    start = end + 1;
    meaningful = false;
  };

  while (i < n) {
    const c = script[i]!;
    const next = script[i + 1];
    if (c === "-" && next === "-") {
      const eol = script.indexOf("\n", i);
      i = eol === -1 ? n : eol + 1;
      continue;
    }
    if (c === "/" && next === "*") {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (script[i] === "/" && script[i + 1] === "*") {
          depth += 1;
          i += 2;
        } else if (script[i] === "*" && script[i + 1] === "/") {
          depth -= 1;
          i += 2;
        } else i += 1;
      }
      continue;
    }
    if (c === ";") {
      push(i);
      i += 1;
      continue;
    }
    if (!/\s/.test(c)) meaningful = true;
    if (c === "'") {
      const escapes = i > 0 && /[eE]/.test(script[i - 1]!) && !/\w/.test(script[i - 2] ?? "");
      i += 1;
      while (i < n) {
        if (escapes && script[i] === "\\") i += 2;
        else if (script[i] === "'" && script[i + 1] === "'") i += 2;
        else if (script[i] === "'") break;
        else i += 1;
      }
      i += 1;
      continue;
    }
    if (c === '"') {
      i += 1;
      while (i < n) {
        if (script[i] === '"' && script[i + 1] === '"') i += 2;
        else if (script[i] === '"') break;
        else i += 1;
      }
      i += 1;
      continue;
    }
    if (c === "$") {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i));
      // A dollar quote cannot follow an identifier character ($1 parameters, names with $).
      if (tag && !/\w/.test(script[i - 1] ?? "")) {
        const end = script.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? n : end + tag[0].length;
        continue;
      }
    }
    i += 1;
  }
  push(n);
  return statements;
}
