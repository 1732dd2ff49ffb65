// onnxruntime-node 1.20.1 ships without its dist/index.d.ts; its API is onnxruntime-common's plus
// listSupportedBackends.
declare module 'onnxruntime-node' {
  export * from 'onnxruntime-common';
  export function listSupportedBackends(): { name: string; bundled: boolean }[];
}
