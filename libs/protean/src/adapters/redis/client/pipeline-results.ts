/*
 * ioredis resolves a pipeline to `[error, result]` pairs instead of rejecting; this restores
 * ordinary error flow.
 */

/** The results of a pipeline or transaction; throws the first command error among them. */
export function unwrapPipelineResults(replies: [Error | null, unknown][] | null): unknown[] {
  if (!replies) throw new Error('transaction aborted');
  return replies.map(([error, result]) => {
    if (error) throw error;
    return result;
  });
}
