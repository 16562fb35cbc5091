import type { TargetContext } from "./target.ts";

/**
 * Logs a target's outage once when it starts and once when it ends, however
 * many sends fail in between: a broker down for an hour must not write a
 * warning per retry.
 */
export class OutageLog {
  private down = false;

  constructor(
    private readonly context: TargetContext,
    /** e.g. "redis target reconnected" */
    private readonly recoveredMessage: string,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  /** Warns with `message` if this is the first failure since the target was last up. */
  failed(error: unknown, message: string): void {
    if (this.down) return;
    this.down = true;
    this.context.logger.warn({ target: this.context.arn, err: error }, message);
  }

  recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.context.logger.info({ target: this.context.arn }, this.recoveredMessage);
  }
}
