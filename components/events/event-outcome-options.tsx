import { EVENT_OUTCOMES } from "@/server/store/archive-query.ts";

/** The options of an archive outcome picker: "any" (value "") first, then every outcome the archive knows. */
export function EventOutcomeOptions({ anyLabel }: { anyLabel: string }) {
  return (
    <>
      <option value="">{anyLabel}</option>
      {EVENT_OUTCOMES.map((outcome) => (
        <option key={outcome} value={outcome}>
          {outcome}
        </option>
      ))}
    </>
  );
}
