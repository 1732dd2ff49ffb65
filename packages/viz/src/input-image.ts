import { context2d } from './view.js';

/** Where and what `InputImage.draw` paints. */
export interface InputPlacement {
  readonly shape: readonly [number, number];
  /** g^0, rows x cols values in row-major order. */
  readonly g0: readonly number[];
  readonly left: number;
  readonly top: number;
  /** Height in pixels; the width follows the shape. */
  readonly height: number;
}

/** A canvas showing a network's input g^0 as a greyscale image (dark = large). */
export interface InputImage {
  readonly canvas: HTMLCanvasElement;
  /** Paint g^0, or hide the image with null. Repainting the same array at the same place is skipped. */
  draw(placement: InputPlacement | null): void;
}

export function createInputImage(root: HTMLElement): InputImage {
  const canvas = root.ownerDocument.createElement('canvas');
  canvas.className = 'input-image';
  canvas.setAttribute('role', 'img');
  canvas.style.cssText = 'position:absolute;display:none;image-rendering:pixelated;border:1px solid #999;';
  root.appendChild(canvas);
  let last: InputPlacement | null = null;
  return {
    canvas,
    draw(p) {
      if (!p) {
        canvas.style.display = 'none';
        last = null;
        return;
      }
      if (last && last.g0 === p.g0 && last.shape[0] === p.shape[0] && last.shape[1] === p.shape[1] && last.left === p.left && last.top === p.top && last.height === p.height) return;
      last = p;
      const [rows, cols] = p.shape;
      if (canvas.width !== cols) canvas.width = cols;
      if (canvas.height !== rows) canvas.height = rows;
      canvas.style.display = 'block';
      canvas.style.left = `${p.left}px`;
      canvas.style.top = `${p.top}px`;
      canvas.style.width = `${(p.height * cols) / rows}px`;
      canvas.style.height = `${p.height}px`;
      canvas.setAttribute('aria-label', `The input g^0 as a ${rows}x${cols} image`);
      const ctx = context2d(canvas);
      if (!ctx) return;
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const v of p.g0) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const span = hi - lo || 1;
      const img = ctx.createImageData(cols, rows);
      for (let i = 0; i < rows * cols; i++) {
        const v = Math.round(255 * (1 - (p.g0[i]! - lo) / span));
        img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
        img.data[4 * i + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
    },
  };
}
