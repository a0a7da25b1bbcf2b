// Counting the process's threads, to see that a pool's workers end: Linux's /proc/self/status
// (its `Threads:` line counts every OS thread: the main one, V8's and libuv's helpers, and one per
// worker_threads Worker, which an unref'd Worker's handle does not show in getActiveResourcesInfo).
import { readFileSync } from 'node:fs';

/** OS threads of this process now. */
export function liveThreads(): number {
  const m = /^Threads:\s*(\d+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (m === null) throw new Error('/proc/self/status has no Threads: line');
  return Number(m[1]);
}

/** Waits (up to `ms`) until at most `n` threads are left, as terminated workers exit; returns the count then. */
export async function threadsDownTo(n: number, ms = 10_000): Promise<number> {
  const t0 = Date.now();
  let now = liveThreads();
  while (now > n && Date.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, 20));
    now = liveThreads();
  }
  return now;
}

/** Waits (up to `ms`) until exactly `n` threads run, as old workers exit and new ones start; returns the count then. */
export async function threadsAt(n: number, ms = 10_000): Promise<number> {
  const t0 = Date.now();
  let now = liveThreads();
  while (now !== n && Date.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, 20));
    now = liveThreads();
  }
  return now;
}
