import { describe, expect, it } from 'vitest';
// The Node entry installs the texts at import: everything is complete without awaiting anything.
import { ApiError, describeError, loadErrorTexts } from '../src/index';

describe('the Node entry', () => {
  it('has every text at import, and loadErrorTexts resolves at once', async () => {
    expect(describeError('InternalError')?.text).toBe('Internal error.');
    const error = new ApiError({ code: 'InternalError', serverMessage: 'oops', requestId: 'r-2' });
    expect(error.hint).toBeTruthy();
    expect(error.message).toContain(' Hint: ');
    await expect(loadErrorTexts()).resolves.toBeUndefined();
  });
});
