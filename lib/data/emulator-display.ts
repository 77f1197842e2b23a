/**
 * What the emulator's monitor shows, in MNIST pixel space: the digit's grey levels on a padded square,
 * blurred by the optics.
 */

/** MNIST pixels of background around the 28 x 28 image. */
export const PAD = 5;

/** Separable Gaussian blur (standard deviation `sigma` pixels) of the square image `a` [side * side], in place. */
export function blurSquare(a: Float32Array, side: number, sigma: number): void {
  if (!(sigma > 0)) return;
  const rad = Math.ceil(3 * sigma);
  const k = new Float32Array(2 * rad + 1);
  let s = 0;
  for (let i = -rad; i <= rad; i++) s += k[i + rad] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= s;
  const tmp = new Float32Array(side * side);
  for (let r = 0; r < side; r++)
    for (let c = 0; c < side; c++) {
      let v = 0;
      for (let i = -rad; i <= rad; i++) { const cc = c + i; if (cc >= 0 && cc < side) v += k[i + rad] * a[r * side + cc]; }
      tmp[r * side + c] = v;
    }
  for (let r = 0; r < side; r++)
    for (let c = 0; c < side; c++) {
      let v = 0;
      for (let i = -rad; i <= rad; i++) { const rr = r + i; if (rr >= 0 && rr < side) v += k[i + rad] * tmp[rr * side + c]; }
      a[r * side + c] = v;
    }
}

/** The 28x28 image (0-255) as grey levels 0-1 on a padded square (side 28 + 2 PAD), blurred by `sigmaMnist`. */
export function luminanceImage(img: Uint8Array, sigmaMnist: number): { lum: Float32Array; side: number } {
  const side = 28 + 2 * PAD;
  const a = new Float32Array(side * side);
  for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) a[(r + PAD) * side + c + PAD] = img[r * 28 + c] / 255;
  blurSquare(a, side, sigmaMnist);
  return { lum: a, side };
}
