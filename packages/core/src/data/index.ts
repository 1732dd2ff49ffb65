export { blobs, circles, linearRegression, spirals, xor, type Labelled2D, type LinearRegressionOptions, type SyntheticOptions } from './synthetic.js';
export {
  applyStandardization,
  argmax,
  oneHot,
  permutation,
  shuffleDataset,
  standardize,
  trainTestSplit,
  type Dataset,
  type Standardization,
} from './transform.js';
