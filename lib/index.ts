/**
 * gem-snn: probabilistic spiking neural networks with K compartments and the GEM-SNN learning rule
 * (Jang & Simeone, ICASSP 2021), with the single-sample baseline, multi-sample inference, calibration,
 * the MNIST-DVS data layer, the experiment suite, figures and notebook helpers.
 */
export { VERSION } from './version';
// Core model (SPEC 1-3)
export * from './util/rng';
export * from './util/math';
export * from './model/basis';
export * from './model/topology';
export * from './model/network';
export * from './model/training-example';
export * from './model/learning-options';
export * from './reference/reference-path';
// Figures (plotly specs, rendering) and notebook display helpers; also reachable as namespaces.
export { meanBandChart, groupedLines, meanAndSpread, reliabilityDiagram, spikeRaster, heatmap, barChart, withNote, figureHtml, renderFigures, openRenderer, renderToPngBuffer, renderToSvgString, closeSharedRenderer } from './figures';
export type { FigureSpec, FigureText, MeanBandInput, GroupedLinesInput, ReliabilityInput, ReliabilityBins, RasterInput, HeatmapInput, BarInput, RenderItem, RenderedFiles, FigureRenderer } from './figures';
export { showFigure, showTable, showHtml, showMarkdown, sendDisplayData, toDataFrame, notebookParams, notebookProgress, inNotebook } from './notebook';
export type { NotebookParams, NotebookProgress, DataFrameLike } from './notebook';
export * as figures from './figures';
export * as notebook from './notebook';
export * from './infer/decision';
export * from './infer/calibration';
export * from './reference/exact';
export * from './model/network-io';
export * as data from './data';

// Fast engine, learners and inference (engine/, learn/, infer/)
export * from './engine/engine';
export * from './engine/input-traces';
export * from './learn/gem';
export type { RowState } from './learn/gem-rows';
export type { GemPool } from './learn/gem-threads';
export * from './learn/single-sample';
export * from './infer/inference';

// Experiment suite (SPEC 5): profiles, experiments, results
export { PROFILES, resolveParams, paramsFromEnv, parseSetOverrides } from './experiments/suite-params';
export type { SuiteParams, ParamOverrides, DataParams, NetworkParams, GemParams, MemorizationParams, TrainParams, EvalParams, SweepParams } from './experiments/suite-params';
export { runExperiment, EXPERIMENT_ORDER } from './experiments/registry';
export { resultsDirFor, runDecisions, runLoglik, memFinal, sweepConfigs } from './experiments/suite';
export { writeExperiment, writeResultsReadme, claimsMarkdown, claimsText, markdownTable, metricsCsv, verdictWord } from './experiments/results';
export { reading, readmeResultsSection, readingInputFromResults } from './experiments/readings';
export { verdict, tInterval, crossedBootstrap, tQuantile } from './experiments/intervals';
export type { Verdict, PairedInterval, ClaimKind } from './experiments/intervals';
export { exampleDecisions, exampleLoglik, disagreement, countsAtStep, classificationSettings } from './experiments/settings';
export { weightMovement, WEIGHT_BLOCKS } from './experiments/weight-movement';
export { memorizationPattern, runMemorization } from './experiments/memorization';
export { runClassification, classificationNetwork } from './experiments/classification';
export { loadClassificationData, prepareData, dataNote } from './experiments/data-source';
export type { ExperimentResult, ExperimentFigure, ExperimentOptions, ClaimCheck, MetricRow } from './experiments/types';
export type { ClassificationRun, ClassificationData } from './experiments/classification';
export type { MemorizationRun } from './experiments/memorization';
export { createProgress, silentProgress } from './util/progress';
export type { Progress } from './util/progress';
