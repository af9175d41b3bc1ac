export * from './universal';
export { fromProfile, profileFiles } from './profile-file';
