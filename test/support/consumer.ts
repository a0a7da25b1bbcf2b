/**
 * Throw-away consumer projects for the install tests: a snapshot of this repository as a fresh
 * clone would have it, npm run with an environment free of the outer npm's settings, and the
 * repository's own TypeScript and esbuild binaries (so a consumer installs nothing but wasm-mlp).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TSC = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
/** esbuild's command (a native binary, or a JS shim where the binary package is missing) */
export const ESBUILD = path.join(repoRoot, 'node_modules', '.bin', 'esbuild');

export interface Run { status: number | null; stdout: string; stderr: string }

function result(r: SpawnSyncReturns<string>): Run {
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** The environment without the npm_* variables an outer `npm test` sets (they would steer the inner npm). */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

export function run(cmd: string, args: string[], cwd: string, timeout = 120_000): Run {
  return result(spawnSync(cmd, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout }));
}

/** npm with a quiet, offline-first configuration (only the npm registry is reachable here). */
export function npm(args: string[], cwd: string, timeout = 300_000): Run {
  return run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], cwd, timeout);
}

export function node(args: string[], cwd: string): Run {
  return run(process.execPath, args, cwd);
}

/**
 * Copies what a clone of this working tree would hold to `dest`: the tracked files and the new
 * files git does not ignore, as they are on disk. No build output, no node_modules.
 */
export function copyWorkingTree(dest: string): string {
  const ls = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
  if (ls.status !== 0) throw new Error(`git ls-files failed: ${ls.stderr}`);
  mkdirSync(dest, { recursive: true });
  for (const f of ls.stdout.split('\0').filter(Boolean)) {
    try {
      cpSync(path.join(repoRoot, f), path.join(dest, f));
    } catch (e) {
      // a tracked file deleted in the working tree is not part of the copy
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return dest;
}

/** copyWorkingTree as a git repository with one commit: what `git clone` of this tree gives. */
export function snapshotRepo(dest: string): string {
  copyWorkingTree(dest);
  const git = (...a: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...a], { cwd: dest, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${a.join(' ')} failed: ${r.stderr}`);
  };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'snapshot');
  return dest;
}

/** An empty npm project at `dir` ("type" as given), with `files` written into it. */
export function consumerProject(dir: string, type: 'module' | 'commonjs', files: Record<string, string> = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), version: '1.0.0', private: true, type }, null, 2) + '\n');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
