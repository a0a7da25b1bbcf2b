/**
 * Resolves on a new task of the event loop, as soon as the host allows: setImmediate where there
 * is one (Node), else a MessageChannel message (browsers and workers: setTimeout(fn, 0) there is
 * clamped to 4 ms once nested, which would leave a long trainAsync idle a third of the time), else
 * setTimeout. Timers, I/O, input events and rendering all get their turn in between.
 */
type Resolve = () => void;

let channel: { post(): void; due: Resolve[] } | undefined;

export function nextTask(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') {
    const immediate = g.setImmediate;
    return new Promise<void>((resolve) => { immediate(resolve); });
  }
  if (typeof g.MessageChannel === 'function') {
    if (channel === undefined) {
      const mc = new g.MessageChannel();
      const due: Resolve[] = [];
      mc.port1.onmessage = () => due.shift()?.();
      // where ports keep a process alive (Deno, Node), this one must not
      (mc.port1 as { unref?: () => void }).unref?.();
      channel = { post: () => mc.port2.postMessage(null), due };
    }
    const c = channel;
    return new Promise<void>((resolve) => {
      c.due.push(resolve);
      c.post();
    });
  }
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}
