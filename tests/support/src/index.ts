export { readmeExamples, type ReadmeExample, type ExpectedLog } from './readme-examples';
export { describeReadme } from './readme-suite';
export { fuzzRuns, inMutationRun } from './mutation-env';
