// The CSV reader of the command line (src/data/csv.ts) and the column checks built on it (src/cli/data.ts).
import { describe, expect, it } from 'vitest';
import { csvField, csvLine, parseCsv, parseNumber } from '../src/data/csv.js';
import { extract, readCsvTable, DataError } from '../src/cli/data.js';
import { encodeLabels } from '../src/data/labels.js';
import { fitStandardizer } from '../src/data/standardize.js';

const fields = (text: string) => parseCsv(text).records.map((r) => r.fields);
const lines = (text: string) => parseCsv(text).records.map((r) => r.line);

describe('parseCsv: RFC 4180 records', () => {
  it.each([
    ['plain', 'a,b,c\n1,2,3\n', [['a', 'b', 'c'], ['1', '2', '3']]],
    ['no final line break', 'a,b\n1,2', [['a', 'b'], ['1', '2']]],
    ['CRLF line ends', 'a,b\r\n1,2\r\n', [['a', 'b'], ['1', '2']]],
    ['a byte-order mark is not part of the first name', '\uFEFFa,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['quoted fields with commas', '"x,y",b\n"1,5",2\n', [['x,y', 'b'], ['1,5', '2']]],
    ['"" inside quotes is one quote', '"say ""hi""",b\n', [['say "hi"', 'b']]],
    ['an empty quoted field', '"",b\n', [['', 'b']]],
    ['empty fields', ',,\n', [['', '', '']]],
    ['a line break inside quotes', '"two\nlines",b\n', [['two\nlines', 'b']]],
    ['a CRLF inside quotes is kept', '"two\r\nlines",b\r\n', [['two\r\nlines', 'b']]],
    ['blank lines are skipped', 'a\n\n1\r\n\r\n2\n\n', [['a'], ['1'], ['2']]],
    ['spaces are kept (trimmed later, per column)', ' a , b \n', [[' a ', ' b ']]],
    ['a lone CR ends a line', 'a\r1\r', [['a'], ['1']]],
    ['empty text', '', []],
  ])('%s', (_, text, want) => {
    const r = parseCsv(text);
    expect(r.problems).toEqual([]);
    expect(r.records.map((x) => x.fields)).toEqual(want);
  });

  it('counts physical lines: a quoted line break moves the next record down', () => {
    const text = 'h1,h2\n1,"a\nb\nc"\n2,x\n\n3,"d\r\ne"\r\n4,y\n';
    expect(fields(text)).toEqual([['h1', 'h2'], ['1', 'a\nb\nc'], ['2', 'x'], ['3', 'd\r\ne'], ['4', 'y']]);
    expect(lines(text)).toEqual([1, 2, 5, 7, 9]);
  });

  it('reports syntax errors with their line and goes on at the next line', () => {
    const text = 'a,b\n1,2\n3,x"y\n"4"z,5\n6,7\n';
    const r = parseCsv(text);
    expect(r.records.map((x) => [x.line, x.fields])).toEqual([[1, ['a', 'b']], [2, ['1', '2']], [5, ['6', '7']]]);
    expect(r.problems).toEqual([
      { line: 3, message: expect.stringMatching(/a quote inside unquoted field 2/) },
      { line: 4, message: expect.stringMatching(/text after the closing quote of field 1/) },
    ]);
  });

  it('an unterminated quote is reported at the line it opens on', () => {
    const r = parseCsv('a,b\n1,2\n3,"open\n4,5\n6,7\n');
    expect(r.records.map((x) => x.line)).toEqual([1, 2]);
    expect(r.problems).toEqual([{ line: 3, message: 'a quoted field (field 2) opens on line 3 and is never closed' }]);
  });

  it('writes fields back so that they parse to the same text', () => {
    const row = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' padded ', ''];
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(fields(csvLine(row) + csvLine(['x']))).toEqual([row, ['x']]);
  });

  it('parseNumber takes decimal numbers only', () => {
    for (const [s, x] of [['1', 1], ['-2.5', -2.5], [' 3 ', 3], ['1e-3', 0.001], ['.5', 0.5], ['5.', 5], ['+7', 7], ['-0', -0]] as const) {
      expect(parseNumber(s), s).toBe(x);
    }
    for (const s of ['', ' ', 'abc', '0x10', '0b1', 'Infinity', 'NaN', '1,5', '1e999', '--1', '1 2', 'e5']) {
      expect(parseNumber(s), s).toBeNaN();
    }
  });
});

describe('CSV columns: readCsvTable and extract', () => {
  const table = (text: string) => readCsvTable('data.csv', text);

  it('reads the named columns, in the asked order, one column of X per row', () => {
    const t = table('x1,label,x2\n1,a,10\n2,b,20\n3,a,30\n');
    const { X, target, lines: at } = extract(t, ['x2', 'x1'], { name: 'label', numeric: false });
    expect(X).toEqual({ rows: 2, cols: 3, data: Float32Array.from([10, 20, 30, 1, 2, 3]) });
    expect(target).toEqual(['a', 'b', 'a']);
    expect(at).toEqual([2, 3, 4]);
  });

  it('lists every bad row with its line (syntax and content), the first 10, and counts them all', () => {
    const good = '0.5,1,a\n';
    const rows = [
      good, '1,2\n', good, '1,x,a\n', '"1\n2",3,a\n', '1,2,\n', good, '1,"2,a\n',
    ];
    const e = (() => { try { extract(table('f1,f2,t\n' + rows.join('')), ['f1', 'f2'], { name: 't', numeric: false }); } catch (err) { return err as Error; } })();
    expect(e).toBeInstanceOf(DataError);
    // line 6 holds the quoted "1\n2" (lines 6-7): its feature f1 is "1\n2", not a number
    expect(e!.message.split('\n')).toEqual([
      'data.csv: 5 bad rows; nothing was written',
      '  line 3: 2 fields; the header (line 1) has 3',
      '  line 5: feature column "f2" is not a number: "x"',
      '  line 6: feature column "f1" is not a number: "1\\n2"',
      '  line 8: the target column "t" is empty',
      '  line 10: a quoted field (field 2) opens on line 10 and is never closed',
    ]);
  });

  it('caps the list at 10 and says how many more', () => {
    const text = 'a,t\n' + Array.from({ length: 25 }, (_, i) => (i % 2 ? '1,x\n' : 'bad,x\n')).join('');
    const e = (() => { try { extract(table(text), ['a'], { name: 't', numeric: false }); } catch (err) { return err as Error; } })()!;
    const msg = e.message.split('\n');
    expect(msg[0]).toBe('data.csv: 13 bad rows; nothing was written');
    expect(msg.slice(1, 11).map((l) => Number(/line (\d+)/.exec(l)![1]))).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(msg[11]).toBe('  … and 3 more');
    expect(msg).toHaveLength(12);
  });

  it('a regression target must be numeric; features must fit float32', () => {
    const t = table('x,y\n1,2\n1e39,3\n2,abc\n');
    expect(() => extract(t, ['x'], { name: 'y', numeric: true })).toThrow(
      /line 3: feature column "x" is out of float32 range: "1e39"\n {2}line 4: the target column "y" must be a number for --regression; got "abc"/);
  });

  it.each([
    ['an empty file', '', /data\.csv is empty: it needs a header row/],
    ['only blank lines', '\n\r\n\n', /data\.csv is empty/],
    ['a header only', 'a,b\n', /data\.csv has a header row but no data rows/],
    ['a duplicated column name', 'a,b,a\n1,2,3\n', /bad header row \(line 1\): it names column "a" twice \(columns 1 and 3\)/],
    ['an unnamed column', 'a,,b\n1,2,3\n', /bad header row \(line 1\): column 2 has no name/],
    ['a broken header', 'a,"b\n', /bad header row \(line 1\): a quoted field \(field 2\) opens on line 1/],
  ])('rejects %s', (_, text, error) => {
    expect(() => table(text)).toThrow(error);
  });

  it('a missing column is named, with the columns there are', () => {
    expect(() => extract(table('a,b\n1,2\n'), ['a', 'c'], null)).toThrow(/data\.csv has no column "c" \(the features\); its columns are "a", "b"/);
  });

  it('classes: numeric labels sort as numbers and merge equal values; text labels sort by code unit', () => {
    const indices = (labels: string[]) => { const e = encodeLabels(labels); return { classes: e.classes, index: Array.from(e.Y.data) }; };
    expect(indices(['10', '2', '2.0', '1e1', '-1'])).toEqual({ classes: ['-1', '2', '10'], index: [2, 1, 1, 2, 0] });
    expect(indices(['b', 'a', 'B', 'a'])).toEqual({ classes: ['B', 'a', 'b'], index: [2, 1, 0, 1] });
  });

  it('standardization: mean 0 and std 1 per feature (a constant feature becomes 0)', () => {
    const X = { rows: 2, cols: 4, data: Float32Array.from([1, 2, 3, 4, 5, 5, 5, 5]) };
    const s = fitStandardizer(X);
    expect(s.mean).toEqual([2.5, 5]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(s.std[1]).toBe(1);
    const Z = s.apply(X);
    // float32 storage: each value within an ulp of (x − 2.5)/√1.25
    [1, 2, 3, 4].forEach((x, j) => expect(Z.data[j]).toBeCloseTo((x - 2.5) / Math.sqrt(1.25), 6));
    expect(Array.from(Z.data.subarray(4))).toEqual([0, 0, 0, 0]);
  });
});
