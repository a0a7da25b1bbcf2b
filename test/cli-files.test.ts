/**
 * The command line's files: every input file that cannot be used (missing, unreadable, a
 * directory, empty, a header only, no such column, a column named twice) is one line on stderr,
 * exit code 2, and no output file; bytes that are not UTF-8 are refused with their line; --save
 * and --out never replace a read-only file, keep an existing file's mode, and a directory that
 * takes no file is found before any training; one huge row costs about its text, not a string per
 * field.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, cliSandbox } from './support/cli-sandbox.js';

const box = cliSandbox('wasm-mlp-files-');
const { run, at } = box;

const GOOD = 'x1,x2,label\n' + Array.from({ length: 40 }, (_, j) => `${Math.sin(j)},${Math.cos(j)},${j % 2 ? 'a' : 'b'}`).join('\n') + '\n';

/** A file this process cannot read: mode 000, or (as root, who reads anything) a write-only kernel file. */
function unreadable(): string {
  const f = at('secret.csv');
  writeFileSync(f, GOOD);
  chmodSync(f, 0o000);
  const readable = (p: string) => { try { readFileSync(p); return true; } catch { return false; } };
  const file = readable(f) ? '/proc/sys/vm/drop_caches' : f;
  expect(readable(file), `${file} should be unreadable here`).toBe(false);
  return file;
}

/** A directory that takes no new file: mode 555, or (as root) sysfs, which takes none. */
function readOnlyDir(): string {
  const d = at('ro-dir');
  mkdirSync(d, { recursive: true });
  chmodSync(d, 0o555);
  const takesFile = (dir: string) => {
    const p = path.join(dir, '.probe');
    try { closeSync(openSync(p, 'wx')); unlinkSync(p); return true; } catch { return false; }
  };
  const dir = takesFile(d) ? '/sys' : d;
  expect(takesFile(dir), `${dir} should take no new file here`).toBe(false);
  return dir;
}

/** Runs the CLI and returns its result with the files it left in the sandbox that were not there before. */
function runNoting(...args: string[]) {
  const before = new Set(readdirSync(box.dir));
  const r = run(...args);
  return { ...r, added: readdirSync(box.dir).filter((f) => !before.has(f)) };
}

/** Exit code 2, nothing on stdout, one line on stderr matching `error`, and no file left behind (no output, no temporary file). */
function expectUnusable(r: ReturnType<typeof runNoting>, command: string, error: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0].replace(new RegExp(`^wasm-mlp ${command}: `), '')).toMatch(error);
  expect(r.added).toEqual([]);
}

describe('an input file that cannot be used: one line, exit code 2, nothing written', () => {
  const cases: [string, () => { data: string; files?: Record<string, string>; extra?: string[] }, RegExp][] = [
    ['missing', () => ({ data: 'nope.csv' }), /^cannot read data file nope\.csv: no such file$/],
    ['unreadable', () => ({ data: unreadable() }), /^cannot read data file .*: permission denied$/],
    ['a directory', () => ({ data: '.' }), /^data file \. is not a file \(it is a directory\)$/],
    ['empty', () => ({ data: 'e.csv', files: { 'e.csv': '' } }), /^e\.csv is empty: it needs a header row/],
    ['a header only', () => ({ data: 'h.csv', files: { 'h.csv': 'x1,x2,label\n' } }), /^h\.csv has a header row but no data rows$/],
    ['no such target column', () => ({ data: 't.csv', files: { 't.csv': GOOD.replace('label', 'class') } }), /^t\.csv has no column "label" \(--target\); its columns are "x1", "x2", "class"$/],
    ['a column named twice', () => ({ data: 'd.csv', files: { 'd.csv': GOOD.replace('x2', 'x1') } }), /^d\.csv: bad header row \(line 1\): it names column "x1" twice \(columns 1 and 2\)$/],
    ['a --features column that is missing', () => ({ data: 'f.csv', files: { 'f.csv': GOOD }, extra: ['--features', 'x1,x9'] }), /^f\.csv has no column "x9" \(the features\)/],
  ];

  it.each(cases)('train: %s', (_, make, error) => {
    const c = make();
    for (const [name, text] of Object.entries(c.files ?? {})) writeFileSync(at(name), text);
    expectUnusable(runNoting('train', '--data', c.data, '--target', 'label', '--save', 'out.json', '--quiet', ...(c.extra ?? [])), 'train', error);
  });

  const predictCases = [
    ...cases.filter(([name]) => ['missing', 'unreadable', 'a directory', 'empty', 'a header only', 'a column named twice'].includes(name)),
    ['a feature column missing', () => ({ data: 'nf.csv', files: { 'nf.csv': GOOD.replace('x2', 'z') } }), /^nf\.csv has no column "x2" \(the features\); its columns are "x1", "z", "label"$/],
  ] as typeof cases;
  it.each(predictCases)('predict: %s', (_, make, error) => {
    writeFileSync(at('good.csv'), GOOD);
    if (!existsSync(at('model.json'))) expect(run('train', '--data', 'good.csv', '--target', 'label', '--save', 'model.json', '--epochs', '2', '--quiet').status).toBe(0);
    const c = make();
    for (const [name, text] of Object.entries(c.files ?? {})) writeFileSync(at(name), text);
    expectUnusable(runNoting('predict', '--model', 'model.json', '--data', c.data, '--out', 'pred.csv'), 'predict', error);
  });

  it('predict: a model file that is missing, unreadable or a directory', () => {
    writeFileSync(at('good.csv'), GOOD);
    for (const [model, error] of [['none.json', /cannot read model file none\.json: no such file/], [unreadable(), /cannot read model file .*: permission denied/], ['.', /model file \. is not a file/]] as const) {
      const r = run('predict', '--model', model, '--data', 'good.csv', '--out', 'pred.csv');
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(error);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(existsSync(at('pred.csv'))).toBe(false);
    }
  });
});

describe('bytes that are not UTF-8', () => {
  it('are refused with their line, so that labels café and cafè (Latin-1 bytes) never become one class', () => {
    const head = Buffer.from('x,label\n1,a\n2,b\n');
    const bad = Buffer.concat([head, Buffer.from('3,caf'), Buffer.of(0xe9), Buffer.from('\n4,caf'), Buffer.of(0xe8), Buffer.from('\n')]);
    writeFileSync(at('latin1.csv'), bad);
    const r = run('train', '--data', 'latin1.csv', '--target', 'label', '--save', 'l.json', '--quiet');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('wasm-mlp train: latin1.csv: line 4: byte 0xe9 (at byte 21 of the file) is not UTF-8; save the file as UTF-8 (decoded as anything else, labels such as "café" and "cafè" could become one)\n');
    expect(existsSync(at('l.json'))).toBe(false);
  });

  it.each([
    ['an overlong slash', [0xc0, 0xaf]],
    ['a lone continuation byte', [0x80]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a sequence cut short at the end', [0xe2, 0x82]],
  ])('%s is refused; the same text in UTF-8 is read', (_, bytes) => {
    writeFileSync(at('b.csv'), Buffer.concat([Buffer.from('x,label\n1,a\n2,b'), Buffer.from(bytes)]));
    const r = run('train', '--data', 'b.csv', '--target', 'label', '--save', 'b.json', '--quiet');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^wasm-mlp train: b\.csv: line 3: (byte 0x[0-9a-f]{2} \(at byte 15 of the file\)|the last character \(cut short\)) is not UTF-8/);
    writeFileSync(at('u.csv'), 'x,label\n1,a\n2,b€\n3,a\n');
    expect(run('train', '--data', 'u.csv', '--target', 'label', '--save', 'u.json', '--quiet', '--epochs', '1').status).toBe(0);
  });
});

describe('where the model and the predictions are written', () => {
  it('--save onto a read-only file: refused before training, the file and its mode untouched', () => {
    writeFileSync(at('good.csv'), GOOD);
    writeFileSync(at('ro.json'), 'keep me');
    chmodSync(at('ro.json'), 0o444);
    const r = run('train', '--data', 'good.csv', '--target', 'label', '--save', 'ro.json', '--quiet');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(''); // refused before training: no progress lines
    expect(r.stderr).toBe('wasm-mlp train: cannot save to ro.json: the file is read-only (chmod u+w it, or save elsewhere)\n');
    expect(readFileSync(at('ro.json'), 'utf8')).toBe('keep me');
    expect(statSync(at('ro.json')).mode & 0o777).toBe(0o444);
  });

  it('--save into a directory that takes no file: refused before training', () => {
    writeFileSync(at('good.csv'), GOOD);
    const dir = readOnlyDir();
    const r = run('train', '--data', 'good.csv', '--target', 'label', '--save', path.join(dir, 'm.json'), '--quiet');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^wasm-mlp train: cannot save to .*m\.json: the directory .* takes no new file \(.*\)\n$/);
  });

  it('replacing a writable file keeps its mode; --out onto a read-only file is refused before predicting', () => {
    writeFileSync(at('good.csv'), GOOD);
    writeFileSync(at('mine.json'), 'old');
    chmodSync(at('mine.json'), 0o640);
    expect(run('train', '--data', 'good.csv', '--target', 'label', '--save', 'mine.json', '--quiet', '--epochs', '2').status).toBe(0);
    expect(JSON.parse(readFileSync(at('mine.json'), 'utf8')).format).toBe('wasm-mlp-cli');
    expect(statSync(at('mine.json')).mode & 0o777).toBe(0o640);
    writeFileSync(at('ro.csv'), 'old predictions');
    chmodSync(at('ro.csv'), 0o444);
    const r = run('predict', '--model', 'mine.json', '--data', 'good.csv', '--out', 'ro.csv');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('wasm-mlp predict: cannot save to ro.csv: the file is read-only (chmod u+w it, or save elsewhere)\n');
    expect(readFileSync(at('ro.csv'), 'utf8')).toBe('old predictions');
  });
});

describe('one huge row', () => {
  it('of 100 MB and 33 million fields: its line is reported, and the process peaks near the size of its text', () => {
    const fields = 33_000_000;
    const row = Buffer.alloc(fields * 3, '12,');
    row[row.length - 1] = 0x0a; // "12,12,…,12\n"
    writeFileSync(at('huge.csv'), Buffer.concat([Buffer.from('x1,x2,label\n'), row]));
    // the largest resident size, printed by a hook as the process exits
    const hook = "process.on('exit', () => process.stderr.write('maxRSS ' + process.resourceUsage().maxRSS + '\\n'))";
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, CLI, 'train', '--data', 'huge.csv', '--target', 'label', '--save', 'h.json', '--quiet'],
      { cwd: box.dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^wasm-mlp train: huge\.csv: 1 bad row; nothing was written\n {2}line 2: 33000000 fields; the header \(line 1\) has 3\n/);
    const peakMiB = Number(/maxRSS (\d+)/.exec(r.stderr)![1]) / 1024;
    // the file's bytes (99 MiB) and its text (99 MiB, one byte per character) are needed; the rest
    // is Node itself (~50 MiB). A string kept per field would add some 20 bytes each, 660 MB more;
    // 400 MiB is the bound
    expect(peakMiB).toBeLessThan(400);
  });
});
