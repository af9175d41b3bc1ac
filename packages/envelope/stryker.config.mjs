// Mutation testing for this package: `npm run mutate` here, or `npm run mutate` at the root for all.
import { mutationConfig } from '../../scripts/stryker-config.mjs';

export default mutationConfig();
