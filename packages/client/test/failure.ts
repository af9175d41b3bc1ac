/** The error `promise` rejects with; a promise that resolves fails the test (for the client's tests). */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err,
  );
}
