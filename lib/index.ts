/**
 * gem-snn: probabilistic spiking neural networks with K compartments and the GEM-SNN learning rule
 * (Jang & Simeone, ICASSP 2021), with the single-sample baseline, multi-sample inference, calibration,
 * the MNIST-DVS data layer, the experiment suite, figures and notebook helpers.
 *
 * The public API, by folder of lib/ (README "Public API"). Internals (engine state and step, input
 * traces, GEM row state and threads, validation helpers, ...) are not exported here; tests import them
 * from their files. The tfjs tensor helpers are the subpath export 'gem-snn/tensors'.
 */
export { VERSION } from './version';

// util/: seeded random streams, numerics, progress
export { makeRng, makeRngs, shuffleInPlace } from './util/rng';
export type { Rng } from './util/rng';
export { sigmoid, softplus, logBernoulli, logSumExp, logMeanExp, meanSd } from './util/math';
export { createProgress, silentProgress } from './util/progress';
export type { Progress } from './util/progress';

// model/: basis, topology, network, training examples, learning options, network files
export { BASIS_KINDS, DEFAULT_SYNAPTIC_BASIS, DEFAULT_FEEDBACK_BASIS, makeBasis } from './model/basis';
export type { BasisKind, BasisConfig, Basis } from './model/basis';
export { TOPOLOGY_PRESETS, makeTopology } from './model/topology';
export type { TopologyName, TopologyConfig, Topology } from './model/topology';
export { createNetwork, cloneNetwork, networkWithParams, nestedParams } from './model/network';
export type { Network, NetworkConfig, NestedParams } from './model/network';
export { MAX_STEPS, classExample, classTarget, checkExample } from './model/training-example';
export type { Example } from './model/training-example';
export { DEFAULT_GEM, DEFAULT_BASELINE, resolveGemOptions, resolveBaselineOptions } from './model/learning-options';
export type { GemOptions, BaselineOptions } from './model/learning-options';
export { saveNetwork, loadNetwork, networkToFile, networkFromFile, NETWORK_FORMAT, NETWORK_FORMAT_VERSION } from './model/network-io';
export type { NetworkFile } from './model/network-io';

// reference/: the float64 oracle and exact enumeration (small networks)
export { refRun, refLogLikelihoodEstimate, refGemInitialState, refGemExample, refBaselineInitialState, refBaselineExample } from './reference/reference-path';
export { EXACT_MAX_HISTORIES, exactLogPx, exactElbo, exactPosterior, exactPosteriorMarginals } from './reference/exact';

// learn/: GEM-SNN and the single-sample rule, online
export { createGemLearner, disposeGemLearner, gemTrainExample, trainGem } from './learn/gem';
export type { GemLearner, GemExampleStats, GemEngineOptions } from './learn/gem';
export { createBaselineLearner, baselineTrainExample, trainBaseline } from './learn/single-sample';
export type { BaselineLearner, BaselineExampleStats } from './learn/single-sample';

// infer/: inference with fixed weights, decisions, calibration (reliability bins, ECE)
export { simulate, inferCounts, logLikelihoodPerCompartment, createInferenceSession } from './infer/inference';
export type { SimulateHooks, SimulateResult, InferenceSession } from './infer/inference';
export { DECISION_RULES, decide, decideNested, majorityDecision, meanCountDecision, compartmentDecisions } from './infer/decision';
export type { DecisionRule, Decision } from './infer/decision';
export { reliability } from './infer/calibration';
export type { Reliability } from './infer/calibration';

// data/: the MNIST-DVS data layer, as a namespace (gem.data.readAedat, gem.data.prepareDataset, ...)
export * as data from './data';

// experiments/: profiles, the registry of experiments, their rows, the shared runs, results files
export { PROFILES, resolveParams, paramsFromEnv, parseSetOverrides } from './experiments/profiles';
export type { SuiteParams, ParamOverrides, DataParams, NetworkParams, GemParams, MemorizationParams, TrainParams, EvalParams, SweepParams } from './experiments/profiles';
export { EXPERIMENTS, EXPERIMENT_ORDER, computeExperiment, experimentEntry } from './experiments/registry';
export type { ExperimentEntry, ExperimentName } from './experiments/registry';
export type { ExperimentRows, ExperimentOptions, ClaimCheck, MetricRow } from './experiments/types';
export { runDecisions, runLoglik, memFinal } from './experiments/runs-metrics';
export { sweepConfigs } from './experiments/hyperparameters';
export { memorizationPattern, runMemorization } from './experiments/runs-memorization';
export type { MemorizationRun } from './experiments/runs-memorization';
export { runClassification, classificationNetwork } from './experiments/runs-classification';
export type { ClassificationRun, ClassificationData } from './experiments/runs-classification';
export { loadClassificationData, prepareData, dataNote } from './experiments/data-source';
export { resultsDirFor } from './experiments/store';
export { writeExperimentFiles, claimsMarkdown, claimsText, markdownTable, metricsCsv, verdictWord } from './experiments/results';
export { reading, readmeResultsSection, readingInputFromResults } from './experiments/readings';
export { verdict, tInterval, crossedBootstrap, tQuantile } from './experiments/intervals';
export type { Verdict, PairedInterval, ClaimKind } from './experiments/intervals';
export { exampleDecisions, exampleLoglik, disagreement, countsAtStep, classificationSettings } from './experiments/settings';
export { weightMovement, WEIGHT_BLOCKS } from './experiments/weight-movement';
export { spread, formatSpread } from './experiments/stats';
export type { Spread } from './experiments/stats';

// figures/: plotly figure builders, rendering, and each experiment's figures from its rows
export { meanBandChart, groupedLines, meanAndSpread, reliabilityDiagram, spikeRaster, heatmap, barChart, withNote, figureHtml, renderFigures, openRenderer, renderToPngBuffer, renderToSvgString, closeSharedRenderer } from './figures';
export type { FigureSpec, FigureText, MeanBandInput, GroupedLinesInput, ReliabilityInput, ReliabilityBins, RasterInput, HeatmapInput, BarInput, RenderItem, RenderedFiles, FigureRenderer } from './figures';
export * as figures from './figures';
export { runExperiment, experimentFigures, EXPERIMENT_FIGURES, writeExperiment, writeResultsReadme } from './figures/experiments';
export type { ExperimentResult, ExperimentFigure, FigureBuilder, WriteOptions } from './figures/experiments';

// notebook/: display helpers inside tslab notebooks, and the notebook runner
export { showFigure, showTable, showHtml, showMarkdown, sendDisplayData, toDataFrame, notebookParams, notebookProgress, inNotebook } from './notebook';
export type { NotebookParams, NotebookProgress, DataFrameLike } from './notebook';
export * as notebook from './notebook';
