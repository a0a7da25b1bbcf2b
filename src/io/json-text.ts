/**
 * JSON.parse for files that may be hostile, with a cost bounded before it starts. One linear scan
 * of the text counts what parsing would build — the nesting depth, objects, arrays, strings and
 * values — and refuses the text, naming the first count over its limit, before JSON.parse runs. A
 * text that ends too early (inside a string, or with brackets still open) is reported as looking
 * truncated. A leading byte-order mark is skipped. Error messages quote at most a few characters
 * of the text.
 */

/** What one kind of file may hold; each bound follows from the file's format. */
export interface JsonShapeLimits {
  /** characters of text */
  length: number;
  /** nesting of arrays and objects */
  depth: number;
  objects: number;
  arrays: number;
  /** strings, keys included */
  strings: number;
  /** values inside arrays and objects: at most the number of commas plus one per container */
  values: number;
}

/** Line and column (1-based) of a character position. */
function lineColumn(text: string, at: number): string {
  let line = 1, lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${at - lineStart + 1}`;
}

/**
 * Parses `text` (after a byte-order mark, if any) when its shape is within `limits`; otherwise
 * throws an Error `${where}: ${what} must be ${kind} …` that says which limit and where, or
 * where the text does not parse. `kind` names the text, e.g. "a model file's JSON text".
 */
export function parseJsonBounded(text: string, where: string, what: string, kind: string, limits: JsonShapeLimits): unknown {
  if (text.length > limits.length) {
    throw new Error(`${where}: ${what} must be ${kind} of at most ${limits.length} characters; got a string of ${text.length} characters (not parsed)`);
  }
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  scanShape(t, `${where}: ${what} must be ${kind}`, limits);
  try {
    return JSON.parse(t);
  } catch (e) {
    const msg = (e as Error).message;
    const truncated = /end of (JSON )?input/i.test(msg) || /Unterminated/i.test(msg);
    const pos = /at position (\d+)/.exec(msg);
    const at = pos ? ` (${lineColumn(t, Number(pos[1]))})` : '';
    throw new Error(`${where}: ${what} must be ${kind}; it does not parse${at}: ${msg}${truncated ? '. The text ends too early: the file looks truncated' : ''}`);
  }
}

/** The linear pre-scan: counts against the limits, and truncation. Syntax is left to JSON.parse. */
function scanShape(t: string, mustBe: string, lim: JsonShapeLimits): void {
  const n = t.length;
  let depth = 0, objects = 0, arrays = 0, strings = 0, values = 0;
  const over = (count: string, limit: number, at: number): never => {
    throw new Error(`${mustBe} with at most ${limit} ${count}; this text has more (the first past the limit at ${lineColumn(t, at)}): not parsed`);
  };
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c === 34 /* " */) {
      const open = i;
      if (++strings > lim.strings) over('strings', lim.strings, i);
      // the closing quote: the next quote not escaped by an odd run of backslashes
      for (;;) {
        const q = t.indexOf('"', i + 1);
        if (q < 0) {
          throw new Error(`${mustBe}; it does not parse: the text ends inside a string that opens at ${lineColumn(t, open)}: the file looks truncated`);
        }
        let k = q - 1;
        while (t.charCodeAt(k) === 92 /* \ */) k--;
        i = q;
        if ((q - 1 - k) % 2 === 0) break;
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > lim.depth) over('levels of nested arrays and objects', lim.depth, i);
      if (c === 91 ? ++arrays > lim.arrays : ++objects > lim.objects) over(c === 91 ? 'arrays' : 'objects', c === 91 ? lim.arrays : lim.objects, i);
      if (++values > lim.values) over('values', lim.values, i);
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    } else if (c === 44 /* , */) {
      if (++values > lim.values) over('values', lim.values, i);
    }
  }
  if (depth > 0) {
    throw new Error(`${mustBe}; it does not parse: the text ends with ${depth} array${depth === 1 ? '' : 's'} or object${depth === 1 ? '' : 's'} still open: the file looks truncated`);
  }
}
