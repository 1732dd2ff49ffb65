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
export { parseIdx, type IdxArray, type IdxData, type IdxOptions, type IdxType } from './idx.js';
export { csvColumns, csvDataset, parseCsv, parseNumberCell, type CsvDataset, type CsvDatasetOptions, type CsvOptions, type CsvTable } from './csv.js';
