import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export { tf };

export type TfBackend = 'cpu' | 'wasm';

/** Switch TensorFlow.js to a backend (initialised once) and wait until it is ready. */
export async function useBackend(name: TfBackend): Promise<void> {
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`tfjs: backend '${name}' failed to initialise`);
  }
  await tf.ready();
}

/** Library versions, for the results file. */
export const tfVersion = tf.version.tfjs;

/** Layer parameters as Nabla holds them: W is n_out x n_in row-major, bias n_out. */
export interface Params {
  readonly weights: { rows: number; cols: number; data: Float32Array | Float64Array };
  readonly bias: Float32Array | Float64Array;
}

/** The same MLP in TensorFlow.js: x W^T + b per layer (samples as rows), relu on hidden layers. */
export class TfMlp {
  readonly vars: { w: tf.Variable; b: tf.Variable }[];

  constructor(init: readonly Params[]) {
    this.vars = init.map((p) => {
      const { rows, cols, data } = p.weights;
      const t = new Float32Array(rows * cols);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = data[i * cols + j]!;
      return { w: tf.variable(tf.tensor2d(t, [cols, rows])), b: tf.variable(tf.tensor1d(Float32Array.from(p.bias))) };
    });
  }

  /** Logits for a batch (samples as rows). */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = x;
    this.vars.forEach((v, i) => {
      h = tf.add(tf.matMul(h, v.w as tf.Tensor2D), v.b) as tf.Tensor2D;
      if (i < this.vars.length - 1) h = tf.relu(h);
    });
    return h;
  }

  /** Parameters back in Nabla's layout, to evaluate with the same code as every contestant. */
  toParams(): { weights: number[][]; bias: number[] }[] {
    return this.vars.map((v) => {
      const w = v.w.arraySync() as number[][];
      const inputs = w.length;
      const outputs = w[0]!.length;
      const weights: number[][] = [];
      for (let i = 0; i < outputs; i++) {
        const row: number[] = new Array(inputs);
        for (let j = 0; j < inputs; j++) row[j] = w[j]![i]!;
        weights.push(row);
      }
      return { weights, bias: Array.from(v.b.dataSync()) };
    });
  }

  dispose(): void {
    for (const v of this.vars) {
      v.w.dispose();
      v.b.dispose();
    }
  }
}
