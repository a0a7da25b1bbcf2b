// Builds the library as it is at a git revision, for `npm run bench -- --baseline FILE`, which
// times that build beside the working tree's on the same workloads in the same run.
//   node scripts/bench-baseline.mjs [REV]      (default main) → prints the path of the built bundle
//   node scripts/bench-baseline.mjs REV --module   → only the kernel module (plain SIMD, its own
//                                                   memory): prints its path, for scripts/kernel-ab.mjs
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
const moduleOnly = args.includes('--module');
const rev = args.find((a) => a !== '--module') ?? 'main';
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' }).trim();

let commit;
try {
  commit = run('git', ['rev-parse', '--verify', `${rev}^{commit}`]);
} catch {
  console.error(`bench-baseline: '${rev}' is not a git revision of this repository`);
  process.exit(2);
}
const dir = path.join(root, 'build', 'baseline', commit.slice(0, 12));
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
