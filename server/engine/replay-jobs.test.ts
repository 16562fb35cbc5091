import { describe, expect, it } from "vitest";
import { silentLogger } from "../logging/logger.ts";
import { ReplayJobs, type ReplayJob } from "./replay-jobs.ts";

describe("ReplayJobs", () => {
  it("reports progress and the end of a replay to listeners, and lists it", async () => {
    const jobs = new ReplayJobs({ clock: () => 1000, logger: silentLogger() });
    const seen: ReplayJob[] = [];
    jobs.subscribe((job) => seen.push(job));
    let finish!: () => void;
    const job = jobs.start("arn:t", 3, async (onProgress) => {
      onProgress(2);
      await new Promise<void>((resolve) => (finish = resolve));
      return { queued: 3 };
    });
    expect(job).toMatchObject({ state: "running", total: 3 });
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(seen.map((j) => [j.state, j.queued])).toEqual([["running", 0], ["running", 2], ["done", 3]]);
    expect(jobs.list("arn:t")[0]).toMatchObject({ id: job.id, state: "done", queued: 3, finishedAt: 1000 });
    expect(jobs.list("arn:other")).toEqual([]);
  });

  it("marks a failed replay failed with the error's message", async () => {
    const jobs = new ReplayJobs({ clock: () => 1, logger: silentLogger() });
    const job = jobs.start("arn:t", 1, async () => {
      throw new Error("disk full");
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(jobs.list()[0]).toMatchObject({ id: job.id, state: "failed" });
    expect(jobs.list()[0]!.error).toBeTruthy();
  });
});
