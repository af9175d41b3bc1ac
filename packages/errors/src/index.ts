// The Node entry (the "node" exports condition: Node, Bun, Deno): every text is there at once, so
// describeError and new ApiError(...) are complete without awaiting loadErrorTexts. The table is
// made when first read (see commonTextsTable), so an import does not build it.
import { commonTextsTable } from './common-texts';
import { installErrorTexts } from './texts';

installErrorTexts(commonTextsTable);
export * from './universal';
