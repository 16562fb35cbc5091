import styles from "./targets.module.css";

/** The required marker: visual only, the control itself carries aria-required. */
export function RequiredMark() {
  return (
    <span className={styles.required} aria-hidden="true">
      {" "}
      *
    </span>
  );
}

/** Under a control in a `.field`: its error if any, else its hint; ids match the control's aria-describedby. */
export function Message({ id, error, hint }: { id: string; error?: string | undefined; hint?: string | undefined }) {
  if (error) {
    return (
      <span className="error" id={`${id}-error`} role="alert">
        {error}
      </span>
    );
  }
  return hint ? (
    <span className="hint" id={`${id}-hint`}>
      {hint}
    </span>
  ) : null;
}
