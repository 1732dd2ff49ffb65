// The kernel controls the speed benchmark switches between, from the package's public API.
export { gemmSimdVariant, setGemmBackend, type GemmBackend } from '@nabla/core';
