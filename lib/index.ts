/**
 * gem-snn: probabilistic spiking neural networks with K compartments and the GEM-SNN learning rule
 * (Jang & Simeone, ICASSP 2021), with the single-sample baseline, multi-sample inference, calibration,
 * the MNIST-DVS data layer, the experiment suite, figures and notebook helpers.
 */
export { VERSION } from './version';
// Core model (SPEC 1-3)
export * from './rng';
export * from './mathfn';
export * from './basis';
export * from './topology';
export * from './network';
export * from './example';
export * from './options';
export * from './reference';
// Figures (plotly specs, rendering) and notebook display helpers; also reachable as namespaces.
export { meanBandChart, groupedLines, meanAndSpread, reliabilityDiagram, spikeRaster, heatmap, barChart, withNote, figureHtml, renderFigures, openRenderer, renderToPngBuffer, renderToSvgString, closeSharedRenderer } from './figures';
export type { FigureSpec, FigureText, MeanBandInput, GroupedLinesInput, ReliabilityInput, ReliabilityBins, RasterInput, HeatmapInput, BarInput, RenderItem, RenderedFiles, FigureRenderer } from './figures';
export { showFigure, showTable, showHtml, showMarkdown, sendDisplayData, toDataFrame, notebookParams, notebookProgress, inNotebook } from './notebook';
export type { NotebookParams, NotebookProgress, DataFrameLike } from './notebook';
export * as figures from './figures';
export * as notebook from './notebook';
export * from './decision';
export * from './calibration';
export * from './exact';
export * from './params-io';
export * from './tensors';
export * as data from './data';

// Fast engine, learners and inference (engine.ts, gem.ts, baseline.ts, inference.ts)
export * from './engine';
export * from './engine-input';
export * from './gem';
export type { RowState } from './gem-rows';
export type { GemPool } from './gem-threads';
export * from './baseline';
export * from './inference';

// Experiment suite (SPEC 5): profiles, experiments, results
export { PROFILES, resolveParams, paramsFromEnv, parseSetOverrides } from './experiments/params';
export type { SuiteParams, ParamOverrides, DataParams, NetworkParams, GemParams, MemorizationParams, TrainParams, EvalParams, SweepParams } from './experiments/params';
export { runExperiment, EXPERIMENT_ORDER } from './experiments/registry';
export { resultsDirFor, runDecisions, runLoglik, memFinal, sweepConfigs } from './experiments/suite';
export { writeExperiment, writeResultsReadme, claimsMarkdown, claimsText, markdownTable, metricsCsv } from './experiments/results';
export { memorizationPattern, runMemorization } from './experiments/memorization';
export { runClassification, classificationNetwork } from './experiments/classification';
export { loadClassificationData, prepareData, dataNote } from './experiments/data-source';
export type { ExperimentResult, ExperimentFigure, ExperimentOptions, ClaimCheck, MetricRow } from './experiments/types';
export type { ClassificationRun, ClassificationData } from './experiments/classification';
export type { MemorizationRun } from './experiments/memorization';
export { createProgress, silentProgress } from './progress';
export type { Progress } from './progress';
