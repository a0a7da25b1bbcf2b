// readCsv (wasm-mlp/data): a CSV text with a header row to X (one column per data row), class
// labels or numbers, and errors that list every bad row by its line.
import { describe, expect, it } from 'vitest';
import { CsvError, readCsv } from '../src/data-index.js';

describe('readCsv', () => {
  it('reads CRLF lines, a byte-order mark and quoted fields: no "\\r" stays on a label, so no phantom class', () => {
    const text = '\uFEFFx1,x2,"the label"\r\n1,2,yes\r\n"3",4.5,no\r\n5,-6,"yes"\r\n';
    const naive = text.split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[2]);
    expect(new Set(naive).size).toBe(3); // 'yes\r', 'no\r', '"yes"\r': what splitting by hand gives
    const d = readCsv(text, { target: 'the label' });
    expect(d.header).toEqual(['x1', 'x2', 'the label']);
    expect(d.features).toEqual(['x1', 'x2']);
    expect(d.classes).toEqual(['no', 'yes']);
    expect(d.labels).toEqual(['yes', 'no', 'yes']);
    expect(Array.from(d.Y!.data)).toEqual([1, 0, 1]);
    expect([d.Y!.rows, d.Y!.cols]).toEqual([1, 3]);
    // X is (n_x × m): row i is feature i, column j is data row j
    expect([d.X.rows, d.X.cols]).toEqual([2, 3]);
    expect(Array.from(d.X.data)).toEqual([1, 3, 5, 2, 4.5, -6]);
    expect(d.lines).toEqual([2, 3, 4]);
  });

  it('takes the features in the order asked, and numeric labels in numeric order', () => {
    const d = readCsv('a,b,c,k\n1,2,3,10\n4,5,6,2\n7,8,9,2.0\n', { target: 'k', features: ['c', 'a'] });
    expect(d.features).toEqual(['c', 'a']);
    expect(Array.from(d.X.data)).toEqual([3, 6, 9, 1, 4, 7]);
    expect(d.classes).toEqual(['2', '10']);
    expect(Array.from(d.Y!.data)).toEqual([1, 0, 0]);
  });

  it("targetType 'number' gives the values; no target gives every column as a feature", () => {
    const d = readCsv('x,y\n1,0.5\n2,-1e3\n', { target: 'y', targetType: 'number' });
    expect(Array.from(d.Y!.data)).toEqual([0.5, -1000]);
    expect(d.classes).toBeNull();
    const all = readCsv('x,y\n1,0.5\n2,-1e3\n');
    expect(all.features).toEqual(['x', 'y']);
    expect(all.Y).toBeNull();
    expect(all.labels).toBeNull();
  });

  it('lists every bad row with its physical line (a quoted line break counts), as a CsvError', () => {
    const text = 'x,y,t\n1,2,a\n1,2\n"multi\nline",3,b\n1,two,a\n1,2,\n';
    let err: unknown;
    try { readCsv(text, { target: 't' }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(CsvError);
    const e = err as CsvError;
    expect(e.message).toBe([
      'readCsv: the CSV text has 4 bad rows:',
      '  line 3: 2 fields; the header (line 1) has 3',
      '  line 4: feature column "x" is not a number: "multi\\nline"',
      '  line 6: feature column "y" is not a number: "two"',
      '  line 7: the target column "t" is empty',
    ].join('\n'));
    expect(e.problems.map((p) => p.line)).toEqual([3, 4, 6, 7]);
  });

  it.each([
    ['an empty text', '', {}, /^readCsv: the CSV text is empty: it needs a header row/],
    ['a header only', 'a,b\n', {}, /^readCsv: the CSV text has a header row but no data rows$/],
    ['a missing target column', 'a,b\n1,2\n', { target: 'c' }, /^readCsv: the CSV text has no column "c" \(options\.target\); its columns are "a", "b"$/],
    ['a missing feature column', 'a,b\n1,2\n', { target: 'b', features: ['z'] }, /has no column "z" \(a feature\)/],
    ['a duplicated column name', 'a,a\n1,2\n', {}, /bad header row \(line 1\): it names column "a" twice/],
    ['a non-numeric number target', 'a,b\n1,x\n', { target: 'b', targetType: 'number' }, /line 2: the target column "b" must be a number; got "x"/],
    ['the target among the features', 'a,b\n1,2\n', { target: 'b', features: ['a', 'b'] }, /^readCsv: options\.features must be a list without the target column "b"/],
    ['a wrong targetType', 'a,b\n1,2\n', { target: 'b', targetType: 'label' }, /^readCsv: options\.targetType must be 'class' or 'number'; got "label"/],
  ])('%s is an error saying so', (_, text, options, message) => {
    expect(() => readCsv(text, options as never)).toThrow(message);
  });

  it('refuses what is not text, pointing at readFileSync', () => {
    expect(() => readCsv(Buffer.from('a\n1\n') as never)).toThrow(/^readCsv: text must be the CSV file's text \(a string; in Node: readFileSync\(path, 'utf8'\)\); got a Buffer of length 4/);
  });
});
