// The other core of the cross-core copy measurement (cross-core.ts): on every request, fill the
// shared buffer with the request's number, then answer. Control: Int32 slots after the floats;
// the worker runs until the main thread writes -1 (or terminates it).
import { workerData } from 'node:worker_threads';

const { buffer, floats } = workerData;
const data = new Float32Array(buffer, 0, floats);
const ctl = new Int32Array(buffer, floats * 4, 4);
// Both threads spin rather than block, as Nabla's threads do during a step: a thread that blocks
// lets the system run the other one on its core, and the copy would no longer cross cores.
for (let seen = 0; ; ) {
  const v = Atomics.load(ctl, 0);
  if (v === -1) break;
  if (v === seen) continue;
  seen = v;
  data.fill(v);
  Atomics.store(ctl, 1, v);
}
