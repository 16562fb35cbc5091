import {
  COMPOUND_EVENT_NAMES,
  EVENT_CATEGORIES,
  expandEventPattern,
  isEventPattern,
  type CompoundEventName,
  type EventName,
} from "@/server/events/event-names.ts";

/** One category of the event picker: its single names and, when S3 has one, the wildcard covering exactly them. */
export interface EventGroup {
  category: string;
  wildcard: CompoundEventName | undefined;
  names: readonly EventName[];
}

const COMPOUNDS = Object.keys(COMPOUND_EVENT_NAMES) as CompoundEventName[];

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name) => b.includes(name));
}

export const EVENT_GROUPS: readonly EventGroup[] = Object.entries(EVENT_CATEGORIES).map(([category, names]) => ({
  category,
  wildcard: COMPOUNDS.find((compound) => sameNames(COMPOUND_EVENT_NAMES[compound], names)),
  names,
}));

/** Compound names that stand for no single category (`Everything`), shown above the categories. */
export const BROAD_PATTERNS: readonly CompoundEventName[] = COMPOUNDS.filter((compound) => !EVENT_GROUPS.some((g) => g.wildcard === compound));

function coverage(pattern: string): ReadonlySet<string> {
  return new Set(isEventPattern(pattern) ? expandEventPattern(pattern) : [pattern]);
}

/**
 * Selects or clears a name. Selecting a pattern drops the names it covers: the
 * server rejects a name already covered by another in the same rule, and the
 * picker shows covered names as implied instead.
 */
export function toggleEvent(selected: readonly string[], name: string, on: boolean): string[] {
  if (!on) return selected.filter((n) => n !== name);
  const covers = coverage(name);
  const kept = selected.filter((n) => n !== name && ![...coverage(n)].every((single) => covers.has(single)));
  return [...kept, name];
}

/** The selected pattern that already covers `name`, if any. */
export function impliedBy(selected: readonly string[], name: string): string | undefined {
  const own = coverage(name);
  return selected.find((other) => {
    if (other === name) return false;
    const covers = coverage(other);
    return covers.size > own.size && [...own].every((single) => covers.has(single));
  });
}

const LISTED = new Set<string>([...BROAD_PATTERNS, ...EVENT_GROUPS.flatMap((g) => [...(g.wildcard ? [g.wildcard] : []), ...g.names])]);

/** Whether the picker has a checkbox for the name. */
export function isListedEvent(name: string): boolean {
  return LISTED.has(name);
}
