// Serves the production build (build/) on 127.0.0.1 with cross-origin isolation headers
// (COOP/COEP), so SharedArrayBuffer is available to the page as it would be on a real host.
// Usage: node scripts/serve.mjs [--port 3000]
import { startServer } from './server.mjs';

const i = process.argv.indexOf('--port');
const port = i > 0 ? Number(process.argv[i + 1]) : 3000;
const { url } = await startServer({ port });
console.log(`Nabla site ready at ${url.replace('127.0.0.1', 'localhost')}`);
