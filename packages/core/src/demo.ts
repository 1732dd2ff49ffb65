/**
 * `pnpm start`: train a small network on the two-spirals set in the terminal and watch the
 * loss go down. Uses only the public API.
 */
import { MLP, adam, spirals, train, trainTestSplit } from './index.js';

const data = spirals({ samples: 600, noise: 0.02, seed: 7 });
const { train: trainSet, test } = trainTestSplit(data, { testFraction: 0.2, seed: 7 });
const net = new MLP({ sizes: [2, 32, 32, 2], activation: 'relu', output: 'softmax', loss: 'cross-entropy', seed: 7 });
const epochs = 200;
console.log(`Nabla: training ${net.sizes.join('-')} (${net.parameterCount} parameters) on two spirals, ${trainSet.x.length} training and ${test.x.length} test points\n`);
const bar = (v: number, width = 30): string => '#'.repeat(Math.max(0, Math.min(width, Math.round(v * width)))).padEnd(width, '.');
let first = Number.NaN;
const history = await train(net, trainSet, {
  epochs,
  batchSize: 32,
  optimizer: adam({ learningRate: 0.01 }),
  validation: test,
  onEpochEnd(r) {
    if (Number.isNaN(first)) first = r.loss;
    if (r.epoch === 1 || r.epoch % 20 === 0) {
      console.log(
        `epoch ${String(r.epoch).padStart(3)}  loss ${r.loss.toFixed(4)} ${bar(r.loss / first)}  train acc ${((r.accuracy ?? 0) * 100).toFixed(1)}%  test acc ${((r.valAccuracy ?? 0) * 100).toFixed(1)}%`,
      );
    }
  },
});
const last = history.epochs[history.epochs.length - 1]!;
const result = net.evaluate(test.x, test.y);
console.log(`\nfinal: train loss ${last.loss.toFixed(4)}, test loss ${result.loss.toFixed(4)}, test accuracy ${((result.accuracy ?? 0) * 100).toFixed(1)}%`);
