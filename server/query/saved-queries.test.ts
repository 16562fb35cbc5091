import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueryFixture, type QueryFixture } from "./query-test-support.ts";

let fx: QueryFixture;
beforeAll(async () => {
  fx = await createQueryFixture();
});
afterAll(async () => {
  await fx?.remove();
});

describe("saved queries", () => {
  const input = { CSV: { FileHeaderInfo: "USE" as const } };

  it("saves per user, replaces by name, lists by name and deletes", async () => {
    const saved = fx.service.saved;
    const first = await saved.save("ann", { name: "top", expression: "SELECT 1 FROM S3Object", input, bucket: "data", key: "a.csv" });
    await saved.save("ann", { name: "all", expression: "SELECT * FROM S3Object", input });
    const replaced = await saved.save("ann", { name: "top", expression: "SELECT 2 FROM S3Object", input });
    expect(replaced.id).toBe(first.id);
    expect(replaced).toMatchObject({ expression: "SELECT 2 FROM S3Object", bucket: null, key: null, input });
    await saved.save("bob", { name: "bobs", expression: "SELECT * FROM S3Object", input });
    expect((await saved.list("ann")).map((q) => q.name)).toEqual(["all", "top"]);
    await expect(saved.delete("bob", first.id)).rejects.toMatchObject({ code: "NotFound" });
    await saved.delete("ann", first.id);
    expect((await saved.list("ann")).map((q) => q.name)).toEqual(["all"]);
  });
});
