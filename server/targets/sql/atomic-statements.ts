/** One SQL statement with its parameters, in the driver's own placeholder style. */
export type SqlStatement = readonly [sql: string, values: unknown[]];

/**
 * Runs a batch's statements so the table never shows half a batch. A single
 * statement is atomic by itself, so it goes straight to the pool with no
 * BEGIN/COMMIT round trips; two or more run in one transaction, which each
 * driver opens, commits and cleans up in its own way.
 */
export async function runAtomically(
  statements: readonly SqlStatement[],
  runOne: (statement: SqlStatement) => Promise<unknown>,
  runInTransaction: (statements: readonly SqlStatement[]) => Promise<void>,
): Promise<void> {
  const [only] = statements;
  if (only === undefined) return;
  if (statements.length === 1) {
    await runOne(only);
    return;
  }
  await runInTransaction(statements);
}
