// Builds the library as it is at a git revision, for `npm run bench -- --baseline FILE`, which
// times that build beside the working tree's on the same workloads in the same run.
//   node scripts/bench-baseline.mjs [REV]      (default main) → prints the path of the built bundle
// The revision's assembly/, src/ and asconfig.json are exported with `git archive` into
// build/baseline/<commit>/ and compiled with this checkout's asc and esbuild (node_modules linked),
// the same release target and bundle options as `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rev = process.argv[2] ?? 'main';
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' }).trim();

let commit;
try {
  commit = run('git', ['rev-parse', '--verify', `${rev}^{commit}`]);
} catch {
  console.error(`bench-baseline: '${rev}' is not a git revision of this repository`);
  process.exit(2);
}
const dir = path.join(root, 'build', 'baseline', commit.slice(0, 12));
const out = path.join(dir, 'index.js');
if (!existsSync(out)) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync('git', ['archive', '--format=tar', commit, 'assembly', 'src', 'asconfig.json'], { cwd: root });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const bin = (name) => path.join(root, 'node_modules', '.bin', name);
  run(bin('asc'), ['assembly/index.ts', '--target', 'release'], dir);
  run(bin('esbuild'), ['src/index.ts', '--bundle', '--format=esm', '--platform=neutral', '--main-fields=module,main', '--target=es2022',
    '--loader:.wasm=binary', `--outfile=${out}`, '--log-level=warning'], dir);
}
console.log(path.relative(process.cwd(), out));
