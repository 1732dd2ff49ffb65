// What the spirals worker needs from @nabla/core, plus the grid evaluation the decision boundary draws.
import { adam, MLP, spirals, train } from '@nabla/core';

export { adam, MLP, spirals, train };

/** The network's outputs on a rows x cols grid over `domain`, in the shape @nabla/viz's BoundaryGrid reads. */
export function gridOutputs(net: MLP, domain: { x: [number, number]; y: [number, number] }, n: number) {
  const pts: number[][] = [];
  for (let r = 0; r < n; r++) {
    const y = domain.y[0] + ((r + 0.5) / n) * (domain.y[1] - domain.y[0]); // row 0 at y min, as BoundaryGrid reads
    for (let c = 0; c < n; c++) pts.push([domain.x[0] + ((c + 0.5) / n) * (domain.x[1] - domain.x[0]), y]);
  }
  const out = net.predict(pts) as number[][];
  return { x: domain.x, y: domain.y, rows: n, cols: n, outputs: out };
}
