/**
 * A minimal protocol-buffers writer: enough of the wire format to write the few ONNX messages
 * src/io/onnx.ts needs (varints, length-delimited strings, bytes and sub-messages, fixed32 floats).
 *
 * Wire format: every field is a key varint `(field number << 3) | wire type`, then its value —
 * wire type 0 a base-128 varint (7 bits a byte, least significant first, high bit = more bytes),
 * 2 a varint length followed by that many bytes (strings as UTF-8, sub-messages, raw bytes),
 * 5 four little-endian bytes (float). A message is its fields one after another, in any order.
 *
 * A Message keeps its encoded pieces as a list and only counts their length, so nesting a large
 * tensor inside a graph inside a model copies its bytes once, in finish().
 */

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const utf8 = new TextEncoder();

/** The varint bytes of a non-negative safe integer (int32, int64 and enum fields alike). */
function varintBytes(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`protobuf: a varint must be a non-negative safe integer; got ${value}`);
  }
  const out: number[] = [];
  let v = value;
  // v >= 2^31 would break 32-bit bitwise operators: divide instead of shifting
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function keyBytes(field: number, wireType: number): Uint8Array {
  return varintBytes(field * 8 + wireType);
}

/** One protobuf message being written: fields are appended in call order. */
export class Message {
  readonly #parts: Uint8Array[] = [];
  #length = 0;

  /** bytes written so far */
  get length(): number {
    return this.#length;
  }

  #push(bytes: Uint8Array): void {
    this.#parts.push(bytes);
    this.#length += bytes.length;
  }

  /** An int32 / int64 / enum field holding a non-negative integer. */
  varint(field: number, value: number): this {
    this.#push(keyBytes(field, VARINT));
    this.#push(varintBytes(value));
    return this;
  }

  /** A bytes field (kept by reference until finish(): do not change `bytes` before then). */
  bytes(field: number, bytes: Uint8Array): this {
    this.#push(keyBytes(field, LENGTH_DELIMITED));
    this.#push(varintBytes(bytes.length));
    this.#push(bytes);
    return this;
  }

  /** A string field, UTF-8 encoded. */
  string(field: number, text: string): this {
    return this.bytes(field, utf8.encode(text));
  }

  /** A float field: the value rounded to float32, four bytes little-endian. */
  float(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.#push(keyBytes(field, FIXED32));
    this.#push(b);
    return this;
  }

  /** An embedded message field (the message's pieces are shared, not copied). */
  message(field: number, m: Message): this {
    this.#push(keyBytes(field, LENGTH_DELIMITED));
    this.#push(varintBytes(m.#length));
    for (const p of m.#parts) this.#push(p);
    return this;
  }

  /** The encoded message as one array. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
