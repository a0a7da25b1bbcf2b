/**
 * Reading parsed JSON as hostile input, for the model-file readers: values are read as OWN data
 * properties only (no prototype chain, no getters run), holes in arrays are errors, and the keys
 * `__proto__`, `constructor` and `prototype` are refused wherever an object is read. Every
 * failure is an Error naming the caller (`where`) and the path of the bad value.
 */
import { fail } from '../util/validate.js';

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
      const name = typeof k === 'string' ? JSON.stringify(k) : String(k);
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

/**
 * JSON.parse with a length limit first and an error that says where the text is broken; `name` is
 * the argument, `text` what it should be ("a model text"), `file` what it comes from ("a model file").
 */
export function parseJSONText(where: string, text: string, limit: number, name: string, kind: { text: string; file: string }): unknown {
  if (text.length > limit) {
    throw new Error(`${where}: ${name} must be ${kind.text} of at most ${limit} characters; got a string of ${text.length} characters (not parsed)`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /at position (\d+)/.exec(msg);
    // V8 says "end of input" or "Unterminated", or names the position just past the last character
    const truncated = /end of (JSON )?input/i.test(msg) || /Unterminated/i.test(msg) || (pos !== null && Number(pos[1]) >= text.length);
    let at = '';
    if (pos) {
      const p = Number(pos[1]);
      const before = text.slice(0, p);
      at = ` (line ${before.split('\n').length}, column ${p - before.lastIndexOf('\n')})`;
    }
    throw new Error(`${where}: ${name} must be ${kind.file}'s JSON text; it does not parse${at}: ${msg}${truncated ? '. The text ends too early: the file looks truncated' : ''}`);
  }
}
