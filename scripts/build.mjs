// Builds what is out of date, and nothing else.
//   node scripts/build.mjs [STEP ...] [--force] [--quiet]
// Steps: one per asconfig.json target ("wasm:release", "wasm:debug", …; "wasm" is all of them;
// "wasm:inlined" deflates the two single-thread modules the bundles inline), "js", "browser", "modules" (the kernel modules shipped beside the bundles), "data", "export",
// "types", "size"; "package" is what the published package
// needs (the release, relaxed and shared wasm, js, browser, modules, data, export, types: npm's prepare); no step means all of
// them. A step runs when one of its outputs is missing or older than the newest of its inputs
// (sources, config files, package.json, the tool's own package.json), and then runs the command
// of its package.json script (build:js, build:browser, build:data, build:export, build:types), so
// the commands stay in one place. A failed step removes its outputs, so the next build cannot
// take a half-written file as up to date. --force runs every chosen step; --quiet prints only
// failures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEPARATE_MODULES } from './copy-wasm.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (p) => path.relative(root, p) || '.';
const abs = (p) => path.resolve(root, p);
const pkg = JSON.parse(readFileSync(abs('package.json'), 'utf8'));
const asconfig = JSON.parse(readFileSync(abs('asconfig.json'), 'utf8'));
const ASC_ENTRY = 'assembly/index.ts';
/** the shared-memory targets (threads) start from the export list that adds the block kernels */
const ascEntry = (t) => (t.sharedMemory ? 'assembly/threads.ts' : ASC_ENTRY);

/** Every file under `dir` (recursive), or [dir] when it is a file, or [] when it is missing. */
function files(p) {
  const full = abs(p);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath ?? d.path, d.name));
}

/** The files src/ imports from outside it with a .wasm suffix (the kernels esbuild inlines). */
function wasmImports() {
  const found = new Set();
  for (const f of files('src')) {
    if (!f.endsWith('.ts')) continue;
    for (const m of readFileSync(f, 'utf8').matchAll(/from\s+['"](\.{1,2}\/[^'"]+\.wasm)['"]/g)) found.add(path.resolve(path.dirname(f), m[1]));
  }
  return [...found];
}

/** The --outfile= paths of a package.json script (what esbuild writes). */
function outfiles(script) {
  const text = pkg.scripts[script];
  if (!text) throw new Error(`build: package.json has no script "${script}"`);
  return [...text.matchAll(/--outfile=(\S+)/g)].map((m) => m[1]);
}

/** The dist/ files a bundling script writes (its outfile: path.join(root, 'dist/…') or (root, 'dist', …)). */
function outfilesOf(script) {
  const text = readFileSync(abs(script), 'utf8');
  const found = [...text.matchAll(/outfile: path\.join\(root, ((?:'[^']+'(?:, )?)+)\)/g)]
    .map((m) => [...m[1].matchAll(/'([^']+)'/g)].map((q) => q[1]).join('/'));
  if (found.length === 0) throw new Error(`build: found no outfile in ${script}`);
  return found;
}

const tool = (name) => `node_modules/${name}/package.json`;

/** name → { inputs: paths (files or folders), outputs: files, run: shell command } */
const STEPS = new Map();
for (const [target, t] of Object.entries(asconfig.targets)) {
  STEPS.set(`wasm:${target}`, {
    inputs: ['assembly', 'asconfig.json', 'package.json', tool('assemblyscript')],
    outputs: [t.outFile, t.textFile].filter(Boolean),
    run: `asc ${ascEntry(t)} --target ${target}`,
  });
}
// the two modules with their own memory (plain and relaxed SIMD) as the bundles inline them
STEPS.set('wasm:inlined', {
  inputs: [asconfig.targets.release.outFile, asconfig.targets.relaxed.outFile, 'scripts/inline-wasm.mjs'],
  outputs: ['build/mlp-inlined.wasm'],
  run: 'node scripts/inline-wasm.mjs',
});
STEPS.set('js', {
  inputs: ['src', 'package.json', tool('esbuild'), ...wasmImports()],
  outputs: outfiles('build:js'),
  run: pkg.scripts['build:js'],
});
STEPS.set('browser', {
  inputs: ['src', 'package.json', tool('esbuild'), ...wasmImports()],
  outputs: outfiles('build:browser'),
  run: pkg.scripts['build:browser'],
});
// the modules that are not inlined (shared memory, for threads), copied beside dist/'s bundles
STEPS.set('modules', {
  inputs: SEPARATE_MODULES.map((f) => `build/${f}`),
  outputs: ['dist', 'dist/browser'].flatMap((d) => SEPARATE_MODULES.map((f) => `${d}/${f}`)),
  run: pkg.scripts['build:modules'],
});
STEPS.set('data', {
  inputs: ['src', 'package.json', 'scripts/bundle-data.mjs', tool('esbuild')],
  outputs: outfilesOf('scripts/bundle-data.mjs'),
  run: pkg.scripts['build:data'],
});
STEPS.set('export', {
  inputs: ['src', 'package.json', 'scripts/build-export.mjs', tool('esbuild'), ...wasmImports()],
  outputs: outfilesOf('scripts/build-export.mjs'),
  run: pkg.scripts['build:export'],
});
STEPS.set('types', {
  inputs: ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/prune-types.mjs', 'scripts/cjs-types.mjs', tool('typescript')],
  outputs: ['index', 'data-index', 'export'].flatMap((e) => [`dist/types/${e}.d.ts`, `dist/types/${e}.d.cts`]),
  run: pkg.scripts['build:types'],
});
// the sizes are printed on every full build (cheap); they have no outputs, so they always run
STEPS.set('size', { inputs: [], outputs: [], run: 'node scripts/size.mjs' });

const WASM = [...STEPS.keys()].filter((k) => k.startsWith('wasm:'));
const GROUPS = {
  wasm: WASM,
  package: ['wasm:release', 'wasm:relaxed', 'wasm:shared', 'wasm:relaxed-shared', 'wasm:inlined', 'js', 'browser', 'modules', 'data', 'export', 'types'],
  all: [...WASM, 'js', 'browser', 'modules', 'data', 'export', 'types', 'size'],
};

function newest(paths) {
  let best = { t: -Infinity, file: '' };
  for (const p of paths) {
    for (const f of files(p)) {
      const t = statSync(f).mtimeMs;
      if (t > best.t) best = { t, file: f };
    }
  }
  return best;
}

/** Why the step must run, or '' when its outputs are newer than all its inputs. */
function staleness(step) {
  if (step.outputs.length === 0) return 'always';
  const missing = step.outputs.find((o) => !existsSync(abs(o)));
  if (missing) return `${missing} is missing`;
  const oldest = Math.min(...step.outputs.map((o) => statSync(abs(o)).mtimeMs));
  const input = newest(step.inputs);
  return input.t > oldest ? `${rel(input.file)} is newer` : '';
}

function main(argv) {
  const force = argv.includes('--force');
  const quiet = argv.includes('--quiet');
  const unknownFlag = argv.find((a) => a.startsWith('-') && a !== '--force' && a !== '--quiet');
  if (unknownFlag) throw new Error(`build: unknown flag ${unknownFlag} (known: --force, --quiet)`);
  const asked = argv.filter((a) => !a.startsWith('-'));
  const names = [];
  for (const a of asked.length ? asked : ['all']) {
    const expanded = GROUPS[a] ?? (STEPS.has(a) ? [a] : null);
    if (!expanded) throw new Error(`build: unknown step "${a}"; the steps are ${[...STEPS.keys(), ...Object.keys(GROUPS)].join(', ')}`);
    for (const n of expanded) if (!names.includes(n)) names.push(n);
  }
  const env = { ...process.env, PATH: `${abs('node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}` };
  for (const name of names) {
    const step = STEPS.get(name);
    const why = force ? 'forced' : staleness(step);
    if (!why) continue;
    const toolName = step.run.split(' ')[0];
    if (toolName !== 'node' && !existsSync(abs(`node_modules/.bin/${toolName}`))) {
      // a folder installed before its own npm ci (npm runs its prepare script): say what to do
      console.error(`build: ${toolName} is not installed in ${root}/node_modules, so dist/ cannot be built: run \`npm ci\` in ${root} first (it installs the build tools and builds dist/)`);
      process.exit(1);
    }
    if (!quiet && name !== 'size') console.log(`build: ${name} (${why})`);
    for (const o of step.outputs) mkdirSync(path.dirname(abs(o)), { recursive: true });
    const r = spawnSync(step.run, { cwd: root, env, shell: true, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
    if (r.status !== 0) {
      for (const o of step.outputs) rmSync(abs(o), { force: true });
      console.error(`build: ${name} failed (${r.error?.message ?? `exit code ${r.status}`}): ${step.run}`);
      process.exit(1);
    }
    // outputs at least as new as every input, also when a tool leaves an unchanged file alone
    // or an input's mtime lies in the future (a file unpacked from elsewhere); rounded up to the
    // millisecond a Date holds, so that an input's sub-millisecond mtime is never the newer one
    const t = new Date(Math.ceil(Math.max(Date.now(), newest(step.inputs).t)));
    for (const o of step.outputs) utimesSync(abs(o), t, t);
  }
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
