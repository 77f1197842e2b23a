/** Notebook helpers (used inside tslab notebooks) and the notebook execution runner (used from Node). */
export * from './display';
export * from './figure';
export * from './table';
export * from '../experiments/profile-env';
export * from './progress';
export { listNotebooks, chooseEngine, executeNotebook, formatFailure } from './execute';
export type { ExecuteOptions, NotebookEngine, NotebookFailure, NotebookResult, EngineChoice } from './execute';
export { findJupyterPython, kernelSpecs, JUPYTER_INSTALL_HINT } from './jupyter';
