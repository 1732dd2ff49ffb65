export { default as AccuracySection } from './AccuracySection';
export { default as NumpySection } from './NumpySection';
export { default as PeakSection } from './PeakSection';
export { default as SweepSection } from './SweepSection';
export { default as ThreadsSection } from './ThreadsSection';
