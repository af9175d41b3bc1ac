import { makeDefaultCredentials } from './default-chain';
import { fromProfile } from './node-only';

/** The default chain of the universal entry (no profile file: there is no file system). */
export const defaultCredentials = makeDefaultCredentials(fromProfile);
