// A full garbage collection from inside a test (vitest's workers do not run with --expose-gc).
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

/** Collects twice, then lets FinalizationRegistry callbacks run. */
export async function fullGc(): Promise<void> {
  collect();
  collect();
  await new Promise((r) => setTimeout(r, 0));
  collect();
  await new Promise((r) => setTimeout(r, 0));
}

export function gcNow(): void {
  collect();
}
