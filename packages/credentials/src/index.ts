export * from './universal';
export { fromProfile, profileFiles } from './node-only';
