// setGemmBackend and gemmSimdVariant live in @nabla/core's matrix/gemm module but are not (yet)
// re-exported from the package index, so the bench imports the built module directly. Node
// resolves the workspace link to the same file as '@nabla/core', so this is the same module
// instance the engine uses.
export { gemmSimdVariant, setGemmBackend, type GemmBackend } from '../../../../packages/core/dist/matrix/gemm.js';
