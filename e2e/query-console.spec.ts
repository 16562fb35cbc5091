import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { expect, test, type Page } from "@playwright/test";
import { ROOT_PASSWORD, ROOT_USER, startConsoleServer } from "../test/support/console-server.ts";
import type { HeraldProcess } from "../test/support/herald-process.ts";
import { LocalDiskStore } from "../server/s3/storage/local-disk-store.ts";

// One Herald for the file, with objects put into its store before it starts.
test.describe.configure({ mode: "serial" });

let herald: HeraldProcess;
let dataDir: string;

const PEOPLE = ["id,name,city,age", "1,ann,Oslo,34", "2,bob,Rome,27", "3,cy,Oslo,41", "4,dee,Lima,19", "5,eve,Oslo,52"].join("\n") + "\n";

/** About 57 MB of CSV: long enough a scan to cancel half-way. */
function* bigCsv(): Generator<Buffer> {
  yield Buffer.from("id,name,city,amount,at\n");
  for (let start = 0; start < 1_000_000; start += 20_000) {
    const lines: string[] = [];
    for (let i = start; i < start + 20_000; i += 1) lines.push(`${i},customer-${i},city-${i % 97},${(i % 1000) / 10},2026-01-${String((i % 28) + 1).padStart(2, "0")}T10:00:00Z`);
    yield Buffer.from(`${lines.join("\n")}\n`);
  }
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "herald-query-e2e-"));
  // HERALD_S3 stays off: the console reads the local-disk store under the data directory all the same.
  const store = await LocalDiskStore.open({ root: path.join(dataDir, "objects") });
  await store.createBucket("lake");
  await store.putObject("lake", "people.csv", Readable.from([Buffer.from(PEOPLE)]), { contentType: "text/csv" });
  await store.putObject("lake", "logs/app.jsonl", Readable.from([Buffer.from('{"level":"info","ms":12}\n{"level":"error","ms":340,"err":{"code":"E1"}}\n')]), {});
  await store.putObject("lake", "big/orders.csv", Readable.from(bigCsv()), {});
  await store.close();
  herald = await startConsoleServer({ HERALD_DATA_DIR: dataDir });
});

test.afterAll(async () => {
  await herald?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

async function signIn(page: Page, next: string): Promise<void> {
  await page.goto(`${herald.url}${next}`);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("User name").fill(ROOT_USER);
  await page.getByLabel("Password").fill(ROOT_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

test("the query console: pick an object, run a query, see rows and stats, errors, cancel a long scan, history and saved queries", async ({ page }) => {
  await test.step("open /query and pick an object", async () => {
    await signIn(page, "/query");
    await expect(page.getByRole("heading", { name: "Query", exact: true })).toBeVisible();
    await expect(page.getByLabel("Bucket")).toHaveValue("lake");
    await expect(page.getByText("No results yet")).toBeVisible();
    await screenshot(page, "q01-query-empty");
    await page.getByRole("option", { name: /people\.csv/ }).click();
    await expect(page.getByTestId("query-target")).toHaveText("lake/people.csv");
    await expect(page.getByLabel("Format")).toHaveValue("CSV");
    await expect(page.getByLabel("Header row")).toHaveValue("USE");
  });

  await test.step("run SELECT ... WHERE and see the rows, their types and the stats", async () => {
    await page.getByLabel("SQL query").fill("SELECT s.name, s.city, CAST(s.age AS INT) AS age FROM S3Object s WHERE s.city = 'Oslo'");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(page.getByTestId("query-status")).toHaveText("Done");
    const table = page.getByRole("table", { name: "Query results" });
    for (const name of ["ann", "cy", "eve"]) await expect(table.getByRole("cell", { name, exact: true })).toBeVisible();
    await expect(table.getByRole("cell", { name: "bob", exact: true })).toHaveCount(0);
    await expect(table.getByRole("columnheader", { name: /age\s+int/ })).toBeVisible();
    await expect(table.getByRole("columnheader", { name: /name\s+string/ })).toBeVisible();
    await expect(page.getByTestId("query-rows")).toHaveText("3");
    await expect(page.getByTestId("query-stats")).toContainText(`${PEOPLE.length} B of ${PEOPLE.length} B`);
    await expect(page.getByRole("link", { name: "Download CSV" })).toBeVisible();
    await screenshot(page, "q02-query-results");
  });

  await test.step("a SQL error shows its code and position, marked in the editor", async () => {
    await page.getByLabel("SQL query").fill("SELECT s.name FROM S3Object s\nWHERE s.city = = 'Oslo'");
    await page.keyboard.press("Control+Enter");
    const error = page.getByTestId("query-error");
    await expect(error).toContainText(/Parse\w+ at line 2, column 16/);
    await expect(page.locator("[data-error=true]")).toHaveText("=");
    await expect(page.getByTestId("query-status")).toHaveText("Failed");
    await screenshot(page, "q03-query-error");
  });

  await test.step("a JSON Lines object: the input options follow the key", async () => {
    await page.getByLabel("Key prefix").fill("logs/");
    await page.getByRole("option", { name: /app\.jsonl/ }).click();
    await expect(page.getByLabel("Format")).toHaveValue("JSON");
    await expect(page.getByLabel("JSON type")).toHaveValue("LINES");
    await page.getByLabel("SQL query").fill("SELECT * FROM S3Object s WHERE s.ms > 100");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(page.getByTestId("query-status")).toHaveText("Done");
    await expect(page.getByRole("columnheader", { name: /err\s+object/ })).toBeVisible();
    await screenshot(page, "q04-query-json");
  });

  await test.step("start a long scan of a large object and cancel it", async () => {
    await page.getByLabel("Key prefix").fill("big/");
    await page.getByRole("option", { name: /orders\.csv/ }).click();
    await expect(page.getByLabel("Header row")).toHaveValue("USE");
    await page.getByLabel("SQL query").fill("SELECT * FROM S3Object s WHERE LOWER(s.name) LIKE '%nobody%'");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(page.getByTestId("query-status")).toHaveText("Running…");
    const bar = page.getByRole("progressbar", { name: "Bytes scanned" });
    await expect.poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 15_000 }).toBeGreaterThan(0);
    await screenshot(page, "q05-query-running");
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await expect(page.getByTestId("query-status")).toHaveText("Cancelled");
    expect(Number(await bar.getAttribute("aria-valuenow"))).toBeLessThan(100);
    await expect(page.getByRole("button", { name: "Run", exact: true })).toBeEnabled();
    await screenshot(page, "q06-query-cancelled");
  });

  await test.step("history lists every run; a saved query loads back", async () => {
    const history = page.getByRole("list", { name: "Query history" });
    await expect(history.getByText("cancelled")).toBeVisible();
    await expect(history.getByRole("listitem")).toHaveCount(4);
    await screenshot(page, "q07-query-history");
    await page.getByRole("tab", { name: "Saved queries" }).click();
    await page.getByLabel("Save the current query as").fill("nobody in orders");
    await page.getByRole("button", { name: "Save query" }).click();
    const saved = page.getByRole("list", { name: "Saved queries" });
    await expect(saved.getByText("nobody in orders")).toBeVisible();
    await page.getByLabel("SQL query").fill("SELECT 1 FROM S3Object");
    await saved.getByTitle("Load this query").click();
    await expect(page.getByLabel("SQL query")).toHaveValue("SELECT * FROM S3Object s WHERE LOWER(s.name) LIKE '%nobody%'");
    await screenshot(page, "q08-query-saved");
  });

  await test.step("an event's detail links to the query console, prefilled", async () => {
    const res = await herald.api("POST", "/api/v1/events", { bucket: "lake", key: "people.csv", eventName: "s3:ObjectCreated:Put", size: PEOPLE.length });
    expect(res.status).toBe(202);
    await page.goto(`${herald.url}/archive`);
    await page.getByRole("table", { name: "Archived events" }).getByText("people.csv").click();
    const detail = page.getByRole("dialog", { name: "Event detail" });
    await screenshot(page, "q09-event-detail-query-link");
    await detail.getByRole("link", { name: "Query this object" }).click();
    await expect(page).toHaveURL(/\/query\?bucket=lake&key=people\.csv/);
    await expect(page.getByTestId("query-target")).toHaveText("lake/people.csv");
    await expect(page.getByLabel("Format")).toHaveValue("CSV");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(page.getByTestId("query-rows")).toHaveText("5");
  });
});
