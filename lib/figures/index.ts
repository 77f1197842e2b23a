/** Figure layer: plotly figure builders (pure), standalone HTML, and headless-Chromium rendering. */
export * from './types';
export { PALETTE, FONT_FAMILY, DEFAULT_WIDTH, DEFAULT_HEIGHT, colour, withAlpha, baseLayout, axis, withNote } from './style';
export * from './lines';
export * from './reliability';
export * from './raster';
export * from './heatmap';
export * from './bar';
export { figureHtml, plotlyJsPath } from './html';
export * from './render';
