// The Node entry (the "node" exports condition: Node, Bun, Deno): every text is there at once, so
// describeError and new ApiError(...) are complete without awaiting loadErrorTexts.
import { COMMON_TEXTS } from './common-texts';
import { installErrorTexts } from './texts';

installErrorTexts(COMMON_TEXTS);
export * from './universal';
