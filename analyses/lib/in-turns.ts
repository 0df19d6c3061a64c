/**
 * How many analyses run side by side when further connections are offered: two, on 2 cores
 * (DuckDB already runs each query on every core; the gain is the time one analysis spends in
 * JavaScript or in small queries, see docs/performance.md).
 */
export const SIDE_BY_SIDE = 2;

/**
 * Runs job(i) for every i of `order`, each once, in that order as workers free up: one worker on
 * `conn`, and with `connect` more on connections of their own (closed at the end). After a
 * failure no new job starts; the running ones finish, then the first failure is thrown.
 */
export async function inTurns<C extends { closeSync(): void }>(
  order: readonly number[],
  conn: C,
  connect: (() => Promise<C>) | undefined,
  job: (i: number, conn: C) => Promise<void>,
  workers = SIDE_BY_SIDE,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (c: C): Promise<void> => {
    while (!failure && next < order.length) {
      const i = order[next++]!;
      try {
        await job(i, c);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const extra: C[] = [];
  try {
    if (connect) for (let w = 1; w < Math.min(workers, order.length); w++) extra.push(await connect());
    await Promise.all([conn, ...extra].map(worker));
  } finally {
    for (const c of extra) c.closeSync();
  }
  if (failure) throw failure.error;
}
