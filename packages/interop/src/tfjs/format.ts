/** One entry of a tfjs weights manifest: a weight's name, shape and dtype. */
export interface TfjsWeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: string;
  readonly quantization?: unknown;
}

/**
 * A tfjs layers model in memory, shaped like tfjs's `ModelArtifacts`: what `model.save` hands an
 * in-memory handler (`tf.io.withSaveHandler`) and what `tf.io.fromMemory` loads.
 */
export interface TfjsArtifacts {
  /** The Keras model config (`{class_name: 'Sequential', config: {layers: [...]}}`). */
  readonly modelTopology: unknown;
  readonly weightSpecs: TfjsWeightSpec[];
  /** The weights concatenated in `weightSpecs` order, little-endian float32. */
  readonly weightData: ArrayBuffer | ArrayBuffer[];
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly trainingConfig?: unknown;
  readonly userDefinedMetadata?: Record<string, unknown>;
}

/** The `model.json` of a tfjs layers model on disk. */
export interface TfjsModelJSON {
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly modelTopology: unknown;
  readonly weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
  readonly trainingConfig?: unknown;
  readonly userDefinedMetadata?: Record<string, unknown>;
}
