#!/usr/bin/env node
import { main, nodeIo } from './index.js';

const io = nodeIo();
process.exitCode = await main(process.argv.slice(2), io);
