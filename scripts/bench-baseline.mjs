// Builds the library as it is at a git revision, for `npm run bench -- --baseline FILE`, which
// times that build beside the working tree's on the same workloads in the same run.
//   node scripts/bench-baseline.mjs [REV]      (default main) → prints the path of the built bundle
//   node scripts/bench-baseline.mjs REV --module   → only the kernel module (plain SIMD, its own
//                                                   memory): prints its path, for scripts/kernel-ab.mjs
//   node scripts/bench-baseline.mjs REV --own-build → the revision's whole tree built by its own
//                                                   `npm run build` (threads, both modules, any
//                                                   revision that has that script): prints its
//                                                   dist/index.js, for scripts/train-ab.mjs
// The revision's assembly/, src/ and asconfig.json are exported with `git archive` into
// build/baseline/<commit>/ and compiled with this checkout's asc and esbuild (node_modules linked),
// the same release target and bundle options as `npm run build`. (The bundle is for revisions
// whose src/ imports the module itself, as d25ea9f does; later ones inline modules that only
// their own build makes: --module still gives their kernels.)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const moduleOnly = args.includes('--module'), ownBuild = args.includes('--own-build');
const rev = args.find((a) => !a.startsWith('--')) ?? 'main';
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' }).trim();

let commit;
try {
  commit = run('git', ['rev-parse', '--verify', `${rev}^{commit}`]);
} catch {
  console.error(`bench-baseline: '${rev}' is not a git revision of this repository`);
  process.exit(2);
}
const dir = path.join(root, 'build', 'baseline', commit.slice(0, 12) + (ownBuild ? '-own' : ''));
if (ownBuild) {
  // the whole tree at REV (git archive: no .git), this checkout's node_modules, its own build
  const dist = path.join(dir, 'dist', 'index.js');
  if (!existsSync(dist)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-x', '-C', dir], { input: execFileSync('git', ['archive', '--format=tar', commit], { cwd: root, maxBuffer: 1 << 30 }) });
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  console.log(path.relative(process.cwd(), dist));
  process.exit(0);
}
const out = path.join(dir, 'index.js'), wasm = path.join(dir, 'build', 'mlp.wasm');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
if (!existsSync(wasm)) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync('git', ['archive', '--format=tar', commit, 'assembly', 'src', 'asconfig.json'], { cwd: root });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  run(bin('asc'), ['assembly/index.ts', '--target', 'release'], dir);
}
if (!moduleOnly && !existsSync(out)) {
  run(bin('esbuild'), ['src/index.ts', '--bundle', '--format=esm', '--platform=neutral', '--main-fields=module,main', '--target=es2022',
    '--loader:.wasm=binary', `--outfile=${out}`, '--log-level=warning'], dir);
}
console.log(path.relative(process.cwd(), moduleOnly ? wasm : out));
