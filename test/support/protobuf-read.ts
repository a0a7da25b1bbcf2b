/**
 * A small protobuf decoder for the tests: a message becomes its fields by number, each a list of
 * raw values (varints as numbers, length-delimited fields as bytes, fixed32 as a float). Written
 * from the wire-format description, independently of src/io/protobuf.ts, so a test reading an
 * exported model checks the bytes, not the writer's own idea of them.
 */
export type Field = number | Uint8Array;
export type Decoded = Map<number, Field[]>;

export function decode(bytes: Uint8Array): Decoded {
  const out: Decoded = new Map();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const varint = (): number => {
    let v = 0, scale = 1;
    for (;;) {
      if (at >= bytes.length) throw new Error('protobuf: truncated varint');
      const byte = bytes[at++];
      v += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return v;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8), type = key % 8;
    let value: Field;
    if (type === 0) value = varint();
    else if (type === 2) {
      const n = varint();
      if (at + n > bytes.length) throw new Error('protobuf: a length-delimited field runs past the end');
      value = bytes.subarray(at, at + n);
      at += n;
    } else if (type === 5) {
      value = view.getFloat32(at, true);
      at += 4;
    } else throw new Error(`protobuf: wire type ${type} is not used by ONNX models here`);
    const list = out.get(field) ?? [];
    list.push(value);
    out.set(field, list);
  }
  return out;
}

const text = new TextDecoder();

/** Every value of a field as sub-messages. */
export function messages(m: Decoded, field: number): Decoded[] {
  return (m.get(field) ?? []).map((v) => decode(v as Uint8Array));
}

/** Every value of a field as UTF-8 strings. */
export function strings(m: Decoded, field: number): string[] {
  return (m.get(field) ?? []).map((v) => text.decode(v as Uint8Array));
}

/** The single value of a field (undefined when absent). */
export function one(m: Decoded, field: number): Field | undefined {
  const list = m.get(field);
  if (list && list.length > 1) throw new Error(`protobuf: field ${field} appears ${list.length} times`);
  return list?.[0];
}
