/**
 * CSV in and out, for the command line: RFC 4180 records (comma separated; a field in double
 * quotes may hold commas, line breaks and "" for a quote), CRLF or LF line ends, an optional BOM,
 * an optional final line break. Every record remembers the PHYSICAL line (1-based) it starts on,
 * so a problem can be reported where an editor shows it; a quoted field spanning lines moves the
 * count on by its line breaks.
 */

/**
 * One record (row) of a CSV text: its fields and the physical line it starts on. A data row with
 * more fields than the header keeps only the header's count plus one; `count` says how many it had.
 */
export interface CsvRecord { line: number; fields: string[]; count: number }

/** The most columns a header may have (a network takes at most 2^20 inputs). */
export const MAX_CSV_COLUMNS = 2 ** 20;

/** Something wrong at a line of the text. */
export interface CsvProblem { line: number; message: string }

export interface CsvText {
  /** every record that parsed, in order (the header row first); blank lines are skipped */
  records: CsvRecord[];
  /** syntax errors (a record with one is left out of `records`) */
  problems: CsvProblem[];
}

/**
 * Splits a CSV text into records. Syntax errors do not stop the parse: the record is reported and
 * skipped, and parsing goes on at the next line (an unterminated quote ends it, as it swallows the
 * rest of the text).
 */
export function parseCsv(text: string): CsvText {
  const records: CsvRecord[] = [];
  // fields kept per record: the header's up to MAX_CSV_COLUMNS (+ 1 to see it is over), then the
  // header's count + 1, so that one huge row costs its text, not a string per field
  let keep = MAX_CSV_COLUMNS + 1;
  const problems: CsvProblem[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not part of the first field
  let line = 1;

  while (i < n) {
    const start = line;
    // a line with nothing on it is not a record (a trailing line break, or a blank line)
    if (text[i] === '\n') { i++; line++; continue; }
    if (text[i] === '\r') { i += text[i + 1] === '\n' ? 2 : 1; line++; continue; }

    const fields: string[] = [];
    let count = 0;
    let error = '';
    for (;;) {
      // one field, at i
      let field = '';
      if (text[i] === '"') {
        const open = line;
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            problems.push({ line: open, message: `a quoted field (field ${count + 1}) opens on line ${open} and is never closed` });
            return { records, problems };
          }
          const chunk = text.slice(i, q);
          line += countLineBreaks(chunk);
          field += chunk;
          if (text[q + 1] === '"') { field += '"'; i = q + 2; continue; } // "" is a quote
          i = q + 1;
          break;
        }
        const c = text[i];
        if (i < n && c !== ',' && c !== '\n' && c !== '\r') {
          error = `text after the closing quote of field ${count + 1} (a quote inside a quoted field is written "")`;
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 44 /* , */ || c === 10 /* \n */ || c === 13 /* \r */) break;
          if (c === 34 /* " */ && !error) error = `a quote inside unquoted field ${count + 1} (quote the whole field: "…""…")`;
          j++;
        }
        if (count < keep) field = text.slice(i, j);
        i = j;
      }
      if (count++ < keep) fields.push(field);
      if (error) break;
      if (text[i] === ',') { i++; continue; }
      break; // end of line or of text
    }
    if (error) {
      problems.push({ line: start, message: error });
      // skip to the end of this physical line and go on
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
    }
    if (text[i] === '\r') i += text[i + 1] === '\n' ? 2 : 1;
    else if (text[i] === '\n') i++;
    if (!error) {
      if (records.length === 0 && count > MAX_CSV_COLUMNS) {
        problems.push({ line: start, message: `${count} columns; at most ${MAX_CSV_COLUMNS}` });
        return { records, problems };
      }
      records.push({ line: start, fields, count });
      if (records.length === 1) keep = count + 1;
    }
    line++;
  }
  return { records, problems };
}

function countLineBreaks(s: string): number {
  // CRLF, LF and a lone CR each end one physical line
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) k++;
    else if (c === 13) { k++; if (s.charCodeAt(i + 1) === 10) i++; }
  }
  return k;
}

/** A field as CSV: quoted (with "" for each quote) when it holds a comma, quote or line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (LF-terminated) from fields. */
export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\n';
}

/**
 * A decimal number as it may appear in a numeric CSV column ("-1.5", "2e-3", " 7 "), or NaN for
 * anything else, including values that overflow (1e999).
 */
export function parseNumber(s: string): number {
  const t = s.trim();
  // Number() alone would also take "", "0x1f", "0b1", "Infinity"
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
  const x = Number(t);
  return Number.isFinite(x) ? x : NaN;
}
