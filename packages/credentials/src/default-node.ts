import { makeDefaultCredentials } from './default-chain';
import { fromProfile } from './profile-file';

/** The default chain of the Node entry: the profile file is read from disk. */
export const defaultCredentials = makeDefaultCredentials(fromProfile);
