/**
 * Reading parsed JSON as hostile input, for the model-file readers: values are read as OWN data
 * properties only (no prototype chain, no getters run), holes in arrays are errors, and the keys
 * `__proto__`, `constructor` and `prototype` are refused wherever an object is read. Every
 * failure is an Error naming the caller (`where`) and the path of the bad value.
 */
import { describe, fail } from '../util/validate.js';

/** Keys that could reach an object's prototype machinery if anything ever copied the object. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Keys a plain object may have, and what to call it in an error ("a model has only the keys …"). */
export interface AllowedKeys {
  keys: readonly string[];
  noun: string;
}

/**
 * Checks that v is a plain object (prototype Object.prototype or null, as JSON.parse and object
 * literals give) without symbol keys or any of FORBIDDEN_KEYS, and — when `allowed` is given —
 * with no key outside it. Returns v. `path` 'the model' names the top level (no " in …").
 */
export function plainObject(where: string, v: unknown, path: string, expected: string, allowed?: AllowedKeys): object {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, path, expected, v);
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) fail(where, path, `${expected} (a plain object)`, v);
  for (const k of Reflect.ownKeys(v)) {
    const bad = typeof k !== 'string' || FORBIDDEN_KEYS.includes(k) || (allowed !== undefined && !allowed.keys.includes(k));
    if (bad) {
      const name = typeof k === 'string' ? describe(k) : String(k); // a key of 50 MB is named by its start
      const at = path === 'the model' ? '' : ` in ${path}`;
      const rule = allowed !== undefined ? `; a ${allowed.noun} has only the keys ${allowed.keys.join(', ')}` : ` (${FORBIDDEN_KEYS.join(', ')} are never accepted)`;
      throw new Error(`${where}: unexpected key ${name}${at}${rule}`);
    }
  }
  return v;
}

/** An own data property's value, or undefined; a getter is an error (it would run code). */
export function ownValue(where: string, o: object, key: string, path: string): unknown {
  const d = Object.getOwnPropertyDescriptor(o, key);
  if (d === undefined) return undefined;
  if (!('value' in d)) fail(where, path ? `${path}.${key}` : key, 'a plain value', 'an accessor property');
  return d.value;
}

/** a[i] as an own element: a hole (which would read through the prototype chain) is an error. */
export function element(where: string, a: readonly unknown[], i: number, path: string): unknown {
  if (!Object.hasOwn(a, i)) fail(where, `${path}[${i}]`, 'present', 'a hole in the array');
  return a[i];
}

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
 * JSON.parse of a hostile text with its cost bounded first: the text (after a byte-order mark, if
 * any) is refused when longer than shape.length, then one linear scan counts what parsing would
 * build — nesting depth, objects, arrays, strings, values — and refuses the text at the first count
 * past its bound in `shape`, before JSON.parse runs; a text that ends inside a string or with
 * brackets open is reported as looking truncated. `name` is the argument, `kind.text` what it
 * should be ("a model text"), `kind.file` what it comes from ("a model file"). Messages quote at
 * most a few characters of the text.
 */
export function parseJSONText(where: string, text: string, shape: JsonShapeLimits, name: string, kind: { text: string; file: string }): unknown {
  if (text.length > shape.length) {
    throw new Error(`${where}: ${name} must be ${kind.text} of at most ${shape.length} characters; got a string of ${text.length} characters (not parsed)`);
  }
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  scanShape(t, `${where}: ${name} must be ${kind.file}'s JSON text`, shape);
  try {
    return JSON.parse(t);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /at position (\d+)/.exec(msg);
    // V8 says "end of input" or "Unterminated", or names the position just past the last character
    const truncated = /end of (JSON )?input/i.test(msg) || /Unterminated/i.test(msg) || (pos !== null && Number(pos[1]) >= t.length);
    const at = pos ? ` (${lineColumn(t, Number(pos[1]))})` : '';
    throw new Error(`${where}: ${name} must be ${kind.file}'s JSON text; it does not parse${at}: ${msg}${truncated ? '. The text ends too early: the file looks truncated' : ''}`);
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
