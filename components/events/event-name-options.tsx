import { COMPOUND_EVENT_NAMES, EVENT_CATEGORIES } from "@/server/events/event-names.ts";

const WILDCARDS = Object.keys(COMPOUND_EVENT_NAMES).filter((name) => name !== "Everything");

/**
 * The options of an event name picker: "any" first (value "") when `anyLabel`
 * is given, then the wildcards unless `wildcards` is false (an event carries
 * one single name), then every single name grouped by category. The server
 * expands wildcards, so live and archive filters accept the same list.
 */
export function EventNameOptions({ anyLabel, wildcards = true }: { anyLabel?: string; wildcards?: boolean }) {
  return (
    <>
      {anyLabel === undefined ? null : <option value="">{anyLabel}</option>}
      {wildcards ? (
        <optgroup label="Wildcards">
          {WILDCARDS.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </optgroup>
      ) : null}
      {Object.entries(EVENT_CATEGORIES).map(([category, names]) => (
        <optgroup key={category} label={category}>
          {names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
