// trainAsync's yield (src/util/next-task.ts): a new task, by setImmediate where the host has it,
// else a MessageChannel message (browsers: no 4 ms clamp), else setTimeout.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTask } from '../src/util/next-task.js';

const g = globalThis as { setImmediate?: unknown; MessageChannel?: unknown };
const saved = { setImmediate: g.setImmediate, MessageChannel: g.MessageChannel };

afterEach(() => {
  g.setImmediate = saved.setImmediate;
  g.MessageChannel = saved.MessageChannel;
  vi.restoreAllMocks();
});

/** resolves after `n` nextTask() in a row, and says whether the microtasks queued first ran before the first one resolved */
async function chain(n: number): Promise<boolean> {
  let microtaskRan = false;
  void Promise.resolve().then(() => { microtaskRan = true; });
  await nextTask();
  const first = microtaskRan;
  for (let i = 1; i < n; i++) await nextTask();
  return first;
}

describe('nextTask', () => {
  it('uses setImmediate where there is one (Node), never a timer', async () => {
    const timer = vi.spyOn(globalThis, 'setTimeout');
    expect(await chain(50)).toBe(true);
    expect(timer).not.toHaveBeenCalled();
  });

  it('without setImmediate (a browser), a MessageChannel message: no zero-delay timer, whose nesting browsers clamp to 4 ms', async () => {
    g.setImmediate = undefined;
    const timer = vi.spyOn(globalThis, 'setTimeout');
    expect(await chain(50)).toBe(true);
    expect(timer).not.toHaveBeenCalled();
  });

  it('with neither, setTimeout(…, 0)', async () => {
    g.setImmediate = undefined;
    g.MessageChannel = undefined;
    const timer = vi.spyOn(globalThis, 'setTimeout');
    expect(await chain(3)).toBe(true);
    expect(timer).toHaveBeenCalledTimes(3);
  });
});
