export { toOnnx, ONNX_IR_VERSION, ONNX_OPSET, type ToOnnxOptions } from './onnx/export.js';
export { fromOnnx } from './onnx/import.js';
export { toTfjs, toTfjsFiles, type TfjsArtifacts, type TfjsModelJSON, type TfjsWeightSpec } from './tfjs/export.js';
export { fromTfjs, fromTfjsFiles } from './tfjs/import.js';
export { PRODUCER, VERSION } from './version.js';
