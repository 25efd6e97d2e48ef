/**
 * Work over a list with at most `limit` items in flight: a backlog of due cases or contracts must not
 * throttle the table, and one slow item must not hold up the rest of its batch.
 */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  // One item or none (most sweep runs, every minute): nothing to share out among workers.
  if (items.length <= 1) {
    if (items.length === 1) await work(items[0] as T);
    return;
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) await work(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
