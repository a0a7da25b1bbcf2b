/**
 * Fuzzed CSV files: generated tables written with quotes, commas, line breaks inside fields,
 * CRLF, LF or lone CR line ends, a byte-order mark, blank lines, huge fields and non-ASCII text
 * are read back exactly, each record with its physical line; mutated texts (stray quotes, CRs,
 * ragged rows) never throw from the parser, and the command line's reader gives rows or an error
 * naming the file; bytes that are not UTF-8 are refused exactly when they are there, at the line
 * of the first one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUtf8 } from 'node:buffer';
import { csvField, parseCsv } from '../src/data/csv.js';
import { DataError, decodeText, extract, readCsvTable } from '../src/cli/data.js';
import { counted, fcRuns, reportCases } from './support/generated.js';

reportCases('csv files');

const char = fc.constantFrom('a', 'b', 'Z', '0', '1', '.', '-', ' ', ',', '"', '\n', '\r', '\r\n', 'é', '€', '𝄞', '\t', ';');
const field = fc.oneof({ weight: 6, arbitrary: fc.array(char, { maxLength: 8 }).map((cs) => cs.join('')) }, { weight: 1, arbitrary: fc.constantFrom('x'.repeat(100_000), '"'.repeat(5000)) });
const table = fc.integer({ min: 1, max: 6 }).chain((cols) => fc.array(fc.array(field, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 12 }))
  // a record of one empty field is a blank line, which CSV cannot tell from one: give it a character
  .map((rows) => rows.map((r) => (r.length === 1 && r[0] === '' ? ['q'] : r)));
const layout = fc.record({ eol: fc.constantFrom('\n', '\r\n', '\r'), bom: fc.boolean(), blanks: fc.array(fc.nat({ max: 12 }), { maxLength: 3 }), finalEol: fc.boolean() });

/** The text of `rows` with the layout's line ends, BOM, blank lines; and the physical line each record starts on. */
function write(rows: string[][], l: { eol: string; bom: boolean; blanks: number[]; finalEol: boolean }) {
  let text = l.bom ? '\ufeff' : '', line = 1;
  const lines: number[] = [];
  const breaks = (s: string) => (s.match(/\r\n|\r|\n/g) ?? []).length;
  rows.forEach((r, i) => {
    for (const b of l.blanks) if (b === i && i > 0) { text += l.eol; line++; }
    lines.push(line);
    const rec = r.map(csvField).join(',');
    text += rec;
    line += breaks(rec);
    if (i < rows.length - 1 || l.finalEol) { text += l.eol; line++; }
  });
  return { text, lines };
}

describe('fuzzed CSV files', () => {
  it('generated tables are read back exactly, each record at its physical line (800 cases)', () => {
    fc.assert(fc.property(table, layout, counted((rows, l) => {
      const { text, lines } = write(rows, l);
      const { records, problems } = parseCsv(text);
      expect(problems).toEqual([]);
      expect(records.map((r) => r.fields)).toEqual(rows);
      expect(records.map((r) => r.line)).toEqual(lines);
    })), fcRuns(800));
  });

  it('mutated texts: the parser never throws, problems point at real lines, the reader gives rows or a named error (800 cases)', () => {
    const mutation = fc.record({ at: fc.nat(), text: fc.constantFrom('"', '\r', '\n', ',', '\ufeff', '""', '"x', '\r\n\r\n', ',,,,', 'x'.repeat(70_000)) });
    fc.assert(fc.property(table, layout, fc.array(mutation, { minLength: 1, maxLength: 4 }), counted((rows, l, ms) => {
      let { text } = write([rows[0].map((_, i) => `c${i}`), ...rows], l);
      for (const m of ms) { const i = m.at % (text.length + 1); text = text.slice(0, i) + m.text + text.slice(i); }
      const heap0 = process.memoryUsage().heapUsed, t0 = performance.now();
      const { records, problems } = parseCsv(text);
      const physical = 1 + (text.match(/\r\n|\r|\n/g) ?? []).length;
      for (const p of problems) expect(p.line >= 1 && p.line <= physical, `problem line ${p.line} of ${physical}`).toBe(true);
      for (let i = 1; i < records.length; i++) expect(records[i].line).toBeGreaterThan(records[i - 1].line);
      try {
        const t = readCsvTable('f.csv', text);
        // every column as a feature: each row is numbers, or named in a DataError listing bad rows
        extract(t, t.header, null);
      } catch (e) {
        expect(e, (e as Error).stack).toBeInstanceOf(DataError);
        expect((e as Error).message).toMatch(/^f\.csv/);
      }
      // no hang, and an allocation bounded by the text: these texts are at most ~0.5 MB, and
      // parsing keeps a string per field; 64 MiB of heap growth (garbage included) is the bound
      expect(performance.now() - t0, 'no hang').toBeLessThan(1000);
      expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(64 * 2 ** 20);
    })), fcRuns(800));
  });

  it('bytes: refused exactly when they are not UTF-8, at the line of the first bad byte (1000 cases)', () => {
    const bytes = fc.array(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(0x61, 0x2c, 0x0a, 0x0d, 0x30) }, { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
      { weight: 1, arbitrary: fc.constantFrom(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9d, 0x84, 0x9e) }), { maxLength: 60 });
    fc.assert(fc.property(bytes, counted((bs) => {
      const buf = Uint8Array.from(bs);
      let text: string | undefined, err: Error | undefined;
      try { text = decodeText('b.csv', buf); } catch (e) { err = e as Error; }
      expect(err === undefined, `isUtf8 says ${isUtf8(buf)}`).toBe(isUtf8(buf));
      if (text !== undefined) { expect(Buffer.from(text, 'utf8').equals(Buffer.from(buf.subarray(buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0)))).toBe(true); return; }
      expect(err).toBeInstanceOf(DataError);
      const m = /^b\.csv: line (\d+): (?:byte 0x[0-9a-f]{2} \(at byte (\d+) of the file\)|the last character \(cut short\)) is not UTF-8/.exec(err!.message);
      expect(m, err!.message).not.toBeNull();
      const at = m![2] === undefined ? buf.length : Number(m![2]);
      // everything before the reported byte is valid UTF-8 up to a character boundary, and the line is
      // 1 + the line ends before it (CRLF, LF and a lone CR, as the CSV reader counts them)
      const before = Buffer.from(buf.subarray(0, at));
      expect(isUtf8(before) || at === buf.length).toBe(true);
      expect(Number(m![1])).toBe(1 + (before.toString('latin1').match(/\r\n|\r|\n/g) ?? []).length);
    })), fcRuns(1000));
  });
});
