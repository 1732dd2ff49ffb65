// Writes the CSV fixtures of the tests and README: test/fixtures/linear.csv (regression with
// known coefficients, listed in linear.truth.json) and test/fixtures/colors.csv (three classes
// with string labels). Deterministic: run `node scripts/make-fixtures.mjs` to reproduce them.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures');

// mulberry32: a small seeded generator, so the files do not depend on anything else.
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, normal };
}

// y = 10 + 3.5 x1 − 2 x2 + 0.75 x3 + noise (sd 0.1); features on different scales.
const truth = { intercept: 10, coefficients: { x1: 3.5, x2: -2, x3: 0.75 }, noise: 0.1, rows: 400 };
{
  const r = rng(7);
  const lines = ['x1,x2,x3,y'];
  for (let i = 0; i < truth.rows; i++) {
    const x1 = r.next() * 4 - 2;
    const x2 = 50 + 10 * r.normal();
    const x3 = r.next() * 100;
    const y = truth.intercept + 3.5 * x1 - 2 * x2 + 0.75 * x3 + truth.noise * r.normal();
    lines.push([x1, x2, x3, y].map((v) => v.toFixed(5)).join(','));
  }
  writeFileSync(join(dir, 'linear.csv'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'linear.truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
}

// Three Gaussian clusters named by colour, CRLF line ends and a quoted header cell.
{
  const r = rng(11);
  const centres = { red: [0, 0], green: [3, 3], blue: [0, 4] };
  const names = Object.keys(centres);
  const lines = ['"hue, shifted",lightness,colour'];
  for (let i = 0; i < 300; i++) {
    const name = names[i % 3];
    const [a, b] = centres[name];
    lines.push(`${(a + 0.6 * r.normal()).toFixed(4)},${(b + 0.6 * r.normal()).toFixed(4)},${name}`);
  }
  writeFileSync(join(dir, 'colors.csv'), `${lines.join('\r\n')}\r\n`);
}
