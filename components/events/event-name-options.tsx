import { COMPOUND_EVENT_NAMES, EVENT_CATEGORIES } from "@/server/events/event-names.ts";

const WILDCARDS = Object.keys(COMPOUND_EVENT_NAMES).filter((name) => name !== "Everything");

/**
 * The options of an event name picker: "any" first (value ""), then the
 * wildcards, then every single name grouped by category. The server expands
 * wildcards, so live and archive filters accept the same list.
 */
export function EventNameOptions({ anyLabel }: { anyLabel: string }) {
  return (
    <>
      <option value="">{anyLabel}</option>
      <optgroup label="Wildcards">
        {WILDCARDS.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </optgroup>
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
