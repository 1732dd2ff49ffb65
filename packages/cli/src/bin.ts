#!/usr/bin/env node
// Fused multiply-add on Node 20: relaxed SIMD validates there only behind a V8 flag (Node 22+ and
// browsers have it on), and the flag must be set before @nabla/core first compiles its kernel,
// so the CLI's modules are imported only after it. NABLA_RELAXED_SIMD=0 keeps plain SIMD128.
import { setFlagsFromString } from 'node:v8';

if (process.env.NABLA_RELAXED_SIMD !== '0') setFlagsFromString('--experimental-wasm-relaxed-simd');
const { main, nodeIo } = await import('./index.js');
const io = nodeIo();
process.exitCode = await main(process.argv.slice(2), io);
