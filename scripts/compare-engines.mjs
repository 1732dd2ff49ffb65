// Compares two builds of @nabla/core, e.g. before and after a refactor that must change no
// numerics: gradients, checkpoint statistics and trained weights bit for bit, then training
// speed in interleaved rounds. Either build may use the old option name `layers` for `sizes`
// and `.gradients` for `.layers`.
//
//   git worktree add /tmp/nabla-old REV && (cd /tmp/nabla-old && pnpm install && pnpm turbo run build --filter=@nabla/core)
//   node scripts/compare-engines.mjs /tmp/nabla-old/packages/core/dist packages/core/dist
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [aDir, bDir] = process.argv.slice(2);
if (!aDir || !bDir) {
  console.error('usage: node scripts/compare-engines.mjs OLD_CORE_DIST NEW_CORE_DIST');
  process.exit(2);
}
const load = (dir) => import(pathToFileURL(resolve(dir, 'index.js')).href);
const A = await load(aDir);
const B = await load(bDir);

/** A network from either build: the option was `layers` before it was `sizes`. */
function make(M, options) {
  try {
    return new M.MLP(options);
  } catch {
    const { sizes, ...rest } = options;
    return new M.MLP({ layers: sizes, ...rest });
  }
}
const layersOf = (result) => result.layers ?? result.gradients;
const flat = (m) => (Array.isArray(m) ? m.flat(Number.POSITIVE_INFINITY) : Array.from(m.data ?? m));
const sameNumbers = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

const activations = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'softplus', 'linear'];
const heads = [
  { output: 'softmax', loss: 'cross-entropy', width: 2 },
  { output: 'linear', loss: 'mse', width: 2 },
  { output: 'sigmoid', loss: 'binary-cross-entropy', width: 1 },
];
const strategies = ['none', 'sqrt', { every: 2 }, { budget: 2 }];

let cases = 0;
const differing = [];
for (const dtype of ['float64', 'float32'])
  for (const activation of activations)
    for (const dropout of [0, 0.3])
      for (const head of heads)
        for (const checkpoint of strategies) {
          const sizes = [3, 7, 6, 5, head.width];
          const options = { sizes, activation, output: head.output, loss: head.loss, dtype, dropout, seed: 11 };
          const x = [];
          const y = [];
          for (let i = 0; i < 9; i++) {
            x.push([Math.sin(i + 1), Math.cos(3 * i), i / 9]);
            const c = i % 2;
            y.push(head.output === 'sigmoid' ? [c] : head.output === 'softmax' ? [c, 1 - c] : [Math.sin(i), i / 3]);
          }
          const gradientOptions = { checkpoint, training: dropout > 0, dropoutSeed: dropout > 0 ? 7 : undefined };
          const ga = make(A, options).gradients(x, y, gradientOptions);
          const gb = make(B, options).gradients(x, y, gradientOptions);
          let same = Object.is(ga.loss, gb.loss);
          for (const key of ['forwardEvaluations', 'peakActivations', 'peakActivationBytes']) same &&= ga.stats[key] === gb.stats[key];
          layersOf(ga).forEach((la, k) => {
            const lb = layersOf(gb)[k];
            same &&= sameNumbers(flat(la.weights), flat(lb.weights)) && sameNumbers(flat(la.bias), flat(lb.bias));
          });
          cases++;
          if (!same) differing.push(`gradients ${dtype} ${activation} dropout ${dropout} ${head.output} ${JSON.stringify(checkpoint)}`);
        }

for (const dtype of ['float64', 'float32'])
  for (const activation of ['sigmoid', 'tanh', 'relu', 'softplus'])
    for (const dropout of [0, 0.25])
      for (const optimizer of ['sgd', 'momentum', 'nesterov', 'adam', 'rmsprop'])
        for (const checkpoint of ['none', 'sqrt']) {
          const data = { x: [], y: [] };
          for (let i = 0; i < 40; i++) {
            data.x.push([Math.sin(i), Math.cos(2 * i), (i % 7) / 7]);
            const c = (i * 7) % 3 === 0 ? 1 : 0;
            data.y.push([c, 1 - c]);
          }
          const run = async (M) => {
            const net = make(M, { sizes: [3, 8, 8, 8, 2], activation, output: 'softmax', loss: 'cross-entropy', dtype, dropout, seed: 3 });
            await M.train(net, data, { epochs: 3, batchSize: 8, optimizer: M[optimizer]({ learningRate: 0.05 }), seed: 5, checkpoint });
            return net.getParameters().flatMap((p) => [...flat(p.weights), ...flat(p.bias)]);
          };
          cases++;
          if (!sameNumbers(await run(A), await run(B))) differing.push(`training ${dtype} ${activation} dropout ${dropout} ${optimizer} ${checkpoint}`);
        }

// Sizes where float32 products take the WebAssembly kernel ('auto': m n k >= 4096), batches with
// edge tiles, and predict over more than one chunk: gradients, a trained network and predictions.
for (const dtype of ['float64', 'float32'])
  for (const [sizes, batch] of [
    [[61, 40, 33, 3], 37],
    [[100, 64, 10], 64],
    [[17, 9, 5], 1],
    [[200, 70, 61, 3], 1],
  ]) {
    const r = new A.Random(9);
    const x = Array.from({ length: 300 }, () => Array.from({ length: sizes[0] }, () => r.next() - 0.5));
    const y = x.map((_, i) => Array.from({ length: sizes.at(-1) }, (_, j) => (j === i % sizes.at(-1) ? 1 : 0)));
    const run = async (M) => {
      const net = make(M, { sizes, activation: 'relu', output: 'softmax', loss: 'cross-entropy', dtype, seed: 4 });
      const g = net.gradients(x.slice(0, batch), y.slice(0, batch), { checkpoint: 'sqrt' });
      await M.train(net, { x, y }, { epochs: 2, batchSize: batch, optimizer: M.sgd({ learningRate: 0.05 }), seed: 5 });
      const p = [...flat(net.predict(x)), ...flat(net.predict(x.slice(7, 8)))];
      const e = net.evaluate(x, y);
      return [g.loss, ...layersOf(g).flatMap((l) => [...flat(l.weights), ...flat(l.bias)]), ...net.getParameters().flatMap((q) => [...flat(q.weights), ...flat(q.bias)]), ...flat(p), e.loss, e.accuracy];
    };
    cases++;
    if (!sameNumbers(await run(A), await run(B))) differing.push(`kernel-sized ${dtype} ${sizes.join('-')} batch ${batch}`);
  }

console.log(`${cases - differing.length} of ${cases} cases bit-identical (gradients, loss, checkpoint stats, trained weights, predictions)`);
for (const d of differing.slice(0, 20)) console.log(`  differs: ${d}`);

// Training speed, 784-128-64-10 relu, batch 64, SGD, float32: interleaved rounds, medians.
const n = 2048;
const rng = new A.Random(1);
const x = Array.from({ length: n }, () => Array.from({ length: 784 }, () => rng.next()));
const y = Array.from({ length: n }, (_, i) => Array.from({ length: 10 }, (_, j) => (j === i % 10 ? 1 : 0)));
async function samplesPerSecond(M) {
  const net = make(M, { sizes: [784, 128, 64, 10], activation: 'relu', output: 'softmax', loss: 'cross-entropy', dtype: 'float32', seed: 1 });
  const t0 = performance.now();
  await M.train(net, { x, y }, { epochs: 2, batchSize: 64, optimizer: M.sgd({ learningRate: 0.01 }), seed: 2 });
  return (2 * n) / ((performance.now() - t0) / 1000);
}
const rounds = 7;
const speed = { a: [], b: [] };
await samplesPerSecond(A);
await samplesPerSecond(B);
for (let r = 0; r < rounds; r++) {
  // ABBA order, so neither build always runs first in a round.
  if (r % 2 === 0) {
    speed.a.push(await samplesPerSecond(A));
    speed.b.push(await samplesPerSecond(B));
  } else {
    speed.b.push(await samplesPerSecond(B));
    speed.a.push(await samplesPerSecond(A));
  }
}
const median = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
const ma = median(speed.a);
const mb = median(speed.b);
console.log(`training 784-128-64-10 batch 64 float32, median of ${rounds} interleaved rounds: old ${ma.toFixed(0)} samples/s, new ${mb.toFixed(0)} samples/s, new/old ${(mb / ma).toFixed(3)}`);
process.exit(differing.length === 0 ? 0 : 1);
