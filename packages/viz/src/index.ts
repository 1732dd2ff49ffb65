export {
  CELL_COLORS,
  type CheckpointTimelineData,
  type CheckpointTimelineHandle,
  type CheckpointTimelineOptions,
  checkpointTimeline,
  checkpointTimelineDefaults,
} from './checkpoint-timeline.js';
export { activationColor, CLASS_COLORS, NEGATIVE, POSITIVE, signedColor, ZERO } from './colors.js';
export { type EdgeDatum, edgeStyle } from './edges.js';
export { formatValue, superscript } from './format.js';
export {
  type BoundaryGrid,
  classify,
  type DecisionBoundaryData,
  type DecisionBoundaryOptions,
  decisionBoundary,
  decisionBoundaryDefaults,
  gridPoints,
} from './decision-boundary.js';
// The custom elements are not here: importing them defines global tags, so they live behind
// their own entry point, `@nabla/viz/elements`. Only their interface is re-exported (types only).
export type { NablaElement } from './elements.js';
export { logLogFit } from './fit.js';
export { type MemoryChartOptions, type MemorySeries, memoryChart, memoryChartDefaults, memorySeries } from './memory-chart.js';
export { type NetworkDiagramData, type NetworkDiagramHandle, type NetworkDiagramOptions, networkDiagram, networkDiagramDefaults } from './network-diagram.js';
export { sampleUnits, squareShape } from './sample.js';
export { checkTimelineData, describeStep } from './schedule-sim.js';
export { layoutNetwork, type LayoutBox, type LayoutColumn, type LayoutNode, type NetworkLayout } from './layout-network.js';
export { type CurveSeries, curveSeries, type TrainingCurvesData, type TrainingCurvesOptions, trainingCurves, trainingCurvesDefaults } from './training-curves.js';
export type {
  CellState,
  EpochPoint,
  LayerSnapshot,
  MemoryConfig,
  MemoryResults,
  NetworkSnapshot,
  ScheduleStep,
  StepPoint,
  TimelineCell,
  TimelineSimulation,
} from './types.js';
export { checkActivations, checkSnapshot } from './validate.js';
export type { BaseOptions, ViewHandle } from './view.js';
export { type WeightHeatmapData, type WeightHeatmapOptions, weightHeatmap, weightHeatmapDefaults } from './weight-heatmap.js';
