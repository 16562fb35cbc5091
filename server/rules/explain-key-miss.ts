export interface KeyMiss {
  /** The first clause that fails for the filter as written: the prefix is checked before the suffix. */
  reason: "prefix" | "suffix";
  /** In words, e.g. `key "a/b.txt" does not end with ".csv"`. */
  message: string;
}

export interface KeyFilter {
  readonly prefix: string;
  readonly suffix: string;
}

/**
 * Why a rule's filter does not match a key, or undefined when it does. The
 * filter comes as written and, if written form-URL-encoded, decoded too (see
 * IndexedRule.filters); the key matches when either spelling does, which is
 * the test the index's tree performs.
 */
export function explainKeyMiss(filters: readonly KeyFilter[], key: string): KeyMiss | undefined {
  const failures: { reason: KeyMiss["reason"]; clause: string }[] = [];
  for (const filter of filters) {
    const failure = firstFailingClause(filter, key);
    if (failure === undefined) return undefined;
    failures.push(failure);
  }
  const [written, decoded] = failures;
  if (written === undefined) return undefined;
  const message = `key ${JSON.stringify(key)} ${written.clause}`;
  return { reason: written.reason, message: decoded ? `${message} (and with the filter URL-decoded, ${decoded.clause})` : message };
}

function firstFailingClause(filter: KeyFilter, key: string): { reason: KeyMiss["reason"]; clause: string } | undefined {
  if (!key.startsWith(filter.prefix)) return { reason: "prefix", clause: `does not start with ${JSON.stringify(filter.prefix)}` };
  if (!key.endsWith(filter.suffix)) return { reason: "suffix", clause: `does not end with ${JSON.stringify(filter.suffix)}` };
  return undefined;
}
