/** MNIST-DVS data layer: AEDAT files, the lab's preprocessing, cached tensors, the dataset API, the DVS emulator. */
export * from './aedat';
export * from './preprocess';
export * from './npy';
export * from './cache';
export * from './dataset';
export * from './emulator';
export * from './emulated-set';
export * from './mnist';
export * from './stats';
export * from './real-vs-emulated';
export * from './time-stats';
export * from './discriminator';
export * from './recording-features';
export * from './fixed-pattern';
export * from './png';
export { fetchMnistDvs, MNIST_DVS_URL_BASE, MNIST_DVS_MD5 } from './fetch';
export type { FetchOptions, FetchedDigit } from './fetch';
