import type { NotificationRule } from "@/server/rules/notification-config.ts";
import { isNoop, type AspectChange, type ConfigDiff } from "./config-diff.ts";
import type { TargetLabel } from "./rules-table.tsx";
import styles from "./buckets.module.css";

const ASPECT_LABEL: Record<AspectChange["aspect"], string> = { events: "Events", prefix: "Prefix", suffix: "Suffix", targets: "Targets" };

function listed(values: readonly string[], aspect: AspectChange["aspect"], targetOf: (arn: string) => TargetLabel): string {
  if (values.length === 0) return aspect === "prefix" || aspect === "suffix" ? "any key" : "none";
  return values.map((value) => (aspect === "targets" ? targetOf(value).name : value)).join(", ");
}

function RuleSummary({ rule, targetOf }: { rule: NotificationRule; targetOf: (arn: string) => TargetLabel }) {
  return (
    <span className="muted small">
      {" "}
      — {rule.events.join(", ")}
      {rule.prefix ? `; prefix ${rule.prefix}` : ""}
      {rule.suffix ? `; suffix ${rule.suffix}` : ""}; to {rule.targetArns.map((arn) => targetOf(arn).name).join(", ")}
    </span>
  );
}

/** What an import will do to the bucket's rules, before it is applied. */
export function ConfigDiffView({ diff, targetOf }: { diff: ConfigDiff; targetOf: (arn: string) => TargetLabel }) {
  if (isNoop(diff)) {
    return (
      <p className="muted" role="status" style={{ margin: 0 }}>
        The import changes nothing: the bucket already has exactly these rules.
      </p>
    );
  }
  return (
    <section className={`stack ${styles.diffBlock}`} aria-label="Import preview" style={{ gap: 8 }}>
      <p style={{ margin: 0 }} role="status">
        <strong>{diff.added.length}</strong> added, <strong>{diff.removed.length}</strong> removed, <strong>{diff.changed.length}</strong> changed,{" "}
        <strong>{diff.unchanged.length}</strong> unchanged{diff.reordered ? "; the order of the rules changes" : ""}.
      </p>
      {diff.added.length > 0 ? (
        <div>
          <h3>Rules added</h3>
          <ul className={styles.diffList}>
            {diff.added.map((rule) => (
              <li key={rule.id}>
                <code className={styles.added}>+ {rule.id}</code>
                <RuleSummary rule={rule} targetOf={targetOf} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {diff.removed.length > 0 ? (
        <div>
          <h3>Rules removed</h3>
          <ul className={styles.diffList}>
            {diff.removed.map((rule) => (
              <li key={rule.id}>
                <code className={styles.removed}>− {rule.id}</code>
                <RuleSummary rule={rule} targetOf={targetOf} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {diff.changed.length > 0 ? (
        <div>
          <h3>Rules changed</h3>
          <div className="table-wrap">
            <table className="table" aria-label="Rules changed">
              <thead>
                <tr>
                  <th scope="col">Rule ID</th>
                  <th scope="col">Field</th>
                  <th scope="col">Now</th>
                  <th scope="col">After import</th>
                </tr>
              </thead>
              <tbody>
                {diff.changed.flatMap((rule) =>
                  rule.changes.map((change, index) => (
                    <tr key={`${rule.id}-${change.aspect}`}>
                      <td>{index === 0 ? <code>{rule.id}</code> : null}</td>
                      <td>{ASPECT_LABEL[change.aspect]}</td>
                      <td className={styles.removed}>{listed(change.before, change.aspect, targetOf)}</td>
                      <td className={styles.added}>{listed(change.after, change.aspect, targetOf)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </section>
  );
}
