/**
 * The command line as a user runs it: `node dist/cli.js …` (built by `npm run build`).
 * Every picture goes to a temporary directory; nothing is written into the repository.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join('dist', 'cli.js');

let tmp = '';
beforeAll(() => {
  if (!existsSync(path.join(repoRoot, CLI))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  tmp = mkdtempSync(path.join(tmpdir(), 'wasm-mlp-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, error: r.error };
}

/** Non-empty lines of a stream. */
const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');

describe('wasm-mlp CLI', () => {
  it('--help exits 0 and documents every flag', () => {
    for (const flag of ['--help', '-h']) {
      const r = run(flag);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Usage:/);
      // each option has its own entry, at the start of a line
      for (const f of ['--dataset', '--hidden', '--activation', '--learning-rate', '--iterations', '--backend', '--seed', '--plot', '--quiet', '--help']) {
        expect(r.stdout, `help for ${f}`).toMatch(new RegExp(`^\\s+(-h, )?${f}\\b`, 'm'));
      }
      expect(r.stdout).toMatch(/(^|\s)--no-plot\b/);
      // the choices are listed where they apply
      expect(r.stdout).toMatch(/--dataset.*flower.*moons/);
      expect(r.stdout).toMatch(/--activation.*tanh.*relu/);
      expect(r.stdout).toMatch(/--backend.*wasm.*js/);
    }
  });

  it.each(['wasm', 'js'] as const)('a short run on backend %s prints progress, accuracy and speed and writes the SVG', (backend) => {
    const svgPath = path.join(tmp, `b-${backend}.svg`);
    const args = ['--iterations', '300', '--plot', svgPath, '--quiet'];
    if (backend === 'js') args.push('--backend', 'js');
    const r = run(...args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^iteration\s+0\s+cost \d+\.\d+$/m);
    const cost0 = Number(/^iteration\s+0\s+cost (\d+\.\d+)$/m.exec(r.stdout)![1]);
    expect(cost0).toBeGreaterThan(0.69); // ln 2 for the course's tiny initial weights
    expect(cost0).toBeLessThan(0.7);
    expect(r.stdout).toMatch(/^accuracy: \d+\.\d{2}%$/m);
    const acc = Number(/^accuracy: (\d+\.\d{2})%$/m.exec(r.stdout)![1]);
    expect(acc).toBeGreaterThanOrEqual(0);
    expect(acc).toBeLessThanOrEqual(100);
    expect(r.stdout).toMatch(/\d+ steps\/s/);
    expect(r.stdout).toMatch(new RegExp(`backend ${backend}\\b`));
    expect(r.stdout).toContain(`wrote ${svgPath}`);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('trains moons with two relu hidden layers', () => {
    const svgPath = path.join(tmp, 'moons.svg');
    const r = run('--dataset', 'moons', '--hidden', '8,4', '--activation', 'relu', '--learning-rate', '0.5', '--iterations', '300', '--plot', svgPath, '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/moons/);
    expect(r.stdout).toMatch(/layers \[2, 8, 4, 1\]/);
    expect(r.stdout).toMatch(/relu hidden/);
    expect(r.stdout).toMatch(/^accuracy: \d+\.\d{2}%$/m);
    expect(readFileSync(svgPath, 'utf8').startsWith('<svg')).toBe(true);
  });

  it('--no-plot writes nothing', () => {
    const r = run('--iterations', '10', '--no-plot', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/^wrote /m);
  });

  // Each bad value is refused before any training; a --plot into tmp guards against a stray run
  // writing its default picture into the repository.
  it.each([
    { args: ['--iterations', '0'], flag: '--iterations' },
    { args: ['--iterations', 'abc'], flag: '--iterations' },
    { args: ['--iterations', '2.5'], flag: '--iterations' },
    { args: ['--learning-rate', '-1'], flag: '--learning-rate' },
    { args: ['--learning-rate=-1'], flag: '--learning-rate' },
    { args: ['--learning-rate', '0'], flag: '--learning-rate' },
    { args: ['--backend', 'gpu'], flag: '--backend' },
    { args: ['--dataset', 'nope'], flag: '--dataset' },
    { args: ['--activation', 'softmax'], flag: '--activation' },
    { args: ['--hidden', '4,x'], flag: '--hidden' },
    { args: ['--hidden', '0'], flag: '--hidden' },
    { args: ['--seed', '1.5'], flag: '--seed' },
    { args: ['--bogus'], flag: '--bogus' },
    { args: ['--iterations'], flag: '--iterations' },
  ])('$args exits 2 with one line on stderr naming $flag', ({ args, flag }) => {
    const r = run('--plot', path.join(tmp, 'bad.svg'), ...args);
    expect(r.status, r.stdout + r.stderr).toBe(2);
    const errLines = r.stderr.split('\n').filter((l) => l !== '');
    expect(errLines, r.stderr).toHaveLength(1);
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(errLines[0]).toContain(flag);
    expect(errLines[0]).toMatch(/^wasm-mlp: /);
    expect(lines(r.stdout)).toEqual([]);
    expect(existsSync(path.join(tmp, 'bad.svg'))).toBe(false);
  });
});
