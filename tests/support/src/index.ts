export { readmeExamples, type ReadmeExample, type ExpectedLog } from './readme-examples';
