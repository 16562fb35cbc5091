import { Worker } from "node:worker_threads";
import type { CommitReply, CommitRequest, CommitWorkerData } from "./commit-protocol.ts";

type Outgoing = CommitRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/** The event loop's handle on the commit thread: request/reply over one ordered channel. */
export class CommitThread {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: CommitReply & { ok: true }) => void; reject: (e: Error) => void }>();
  private dead: Error | undefined;

  constructor(options: CommitWorkerData) {
    this.worker = new Worker(new URL("./commit-worker-entry.mjs", import.meta.url), { workerData: options });
    this.worker.on("message", (reply: CommitReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (reply.ok) waiter.resolve(reply);
      else waiter.reject(new Error(reply.message));
    });
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => this.fail(new Error(`commit thread exited with code ${code}`)));
  }

  /** Requests run in the order they are sent. */
  request(message: Outgoing): Promise<CommitReply & { ok: true }> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  async close(): Promise<void> {
    this.dead ??= new Error("commit thread closed");
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.dead ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
