// N create/train/dispose cycles on wasm in ONE async loop that never returns to the event loop
// (every await is on an already-settled promise chain), with a full gc() every `every` cycles;
// prints one JSON line { rss: [MiB after each gc] }. Run: node --expose-gc create-cycles.mjs DIST N EVERY
const [dist, n, every] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const { Network, datasets } = await import(dist);
const { X, Y } = datasets.flower({ m: 64, seed: 1 });
const rss = [];
for (let i = 1; i <= n; i++) {
  const net = await Network.create({ layers: [2, 4, 1], backend: 'wasm', seed: i });
  net.train(X, Y, { iterations: 2, learningRate: 0.5 });
  net.dispose();
  if (i % every === 0) {
    globalThis.gc();
    rss.push(process.memoryUsage().rss / 2 ** 20);
  }
}
console.log(JSON.stringify({ rss }));
