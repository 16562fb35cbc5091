import { expect, test, type Page } from "@playwright/test";
import { ROOT_PASSWORD, ROOT_USER, startConsoleServer } from "../test/support/console-server.ts";
import type { HeraldProcess } from "../test/support/herald-process.ts";
import { startHttpReceiver, type HttpReceiver } from "../test/support/http-receiver.ts";

// One Herald for the file: later tests look at what the first one configured.
test.describe.configure({ mode: "serial" });

let herald: HeraldProcess;
let receiver: HttpReceiver;
const ARN = "arn:herald:sqs:us-east-1:orders:webhook";

test.beforeAll(async () => {
  herald = await startConsoleServer();
  receiver = await startHttpReceiver();
});

test.afterAll(async () => {
  await herald?.stop();
  await receiver?.stop();
});

/** Every page gets a screenshot (e2e/screenshots/, git-ignored) to look at after the run. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

async function signIn(page: Page, next = "/"): Promise<void> {
  await page.goto(`${herald.url}${next}`);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("User name").fill(ROOT_USER);
  await page.getByLabel("Password").fill(ROOT_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

async function emit(keys: string[], bucket = "photos"): Promise<string[]> {
  const res = await herald.api<{ events: { id: string }[] }>("POST", "/api/v1/events", {
    events: keys.map((key) => ({ bucket, key, eventName: "s3:ObjectCreated:Put", size: 1234 })),
  });
  expect(res.status).toBe(202);
  return res.json.events.map((e) => e.id);
}

/** Event ids the receiver got (its health checks are HEAD requests, not deliveries). */
function receivedIds(): string[] {
  return receiver.requests.filter((r) => r.method === "POST").map((r) => String(r.headers["x-herald-event-id"]));
}

async function waitForDeliveries(count: number): Promise<void> {
  await expect.poll(() => receivedIds().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(count);
}

test("an operator's day: targets, rules, live events, archive, health, dead letters", async ({ page }) => {
  await test.step("sign in", async () => {
    await page.goto(`${herald.url}/sign-in`);
    await screenshot(page, "01-sign-in");
    await page.getByLabel("User name").fill(ROOT_USER);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator(".form-error")).toContainText("wrong user name or password");
    await signIn(page, "/health");
    await expect(page).toHaveURL(/\/health$/);
    await screenshot(page, "02-health-empty");
  });

  await test.step("create a webhook target in the UI", async () => {
    await page.goto(`${herald.url}/targets`);
    await screenshot(page, "03-targets-empty");
    await page.getByRole("button", { name: "New target" }).first().click();
    await page.getByLabel("Type").selectOption("webhook");
    await page.getByLabel(/^ID\b/).fill("orders");
    await page.getByLabel("Name", { exact: true }).fill("Orders hook");
    await page.getByLabel(/^Endpoint/).fill(receiver.url);
    await page.getByLabel("Max attempts").fill("2");
    await page.getByLabel("Initial delay ms").fill("50");
    await screenshot(page, "04-target-form");
    await page.getByRole("button", { name: "Create target" }).click();
    await expect(page.getByRole("cell", { name: ARN })).toBeVisible();
    await screenshot(page, "05-targets");
  });

  await test.step("create a rule in the UI and test a key", async () => {
    await page.goto(`${herald.url}/buckets/photos`);
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByLabel("Rule ID").fill("jpegs");
    await page.getByLabel("s3:ObjectCreated:*", { exact: true }).check();
    await page.getByLabel("Prefix", { exact: true }).fill("2026/");
    await page.getByLabel("Orders hook").check();
    await screenshot(page, "06-rule-form");
    await page.getByRole("button", { name: "Save rule" }).click();
    await expect(page.getByRole("cell", { name: "jpegs", exact: true })).toBeVisible();
    await page.getByLabel("Event name").selectOption("s3:ObjectCreated:Put");
    await page.getByLabel("Object key").fill("2026/cat.jpg");
    await page.getByRole("button", { name: "Test", exact: true }).click();
    await expect(page.getByText(ARN).last()).toBeVisible();
    await screenshot(page, "07-bucket-rules");
    await page.goto(`${herald.url}/buckets`);
    await expect(page.getByRole("link", { name: "photos" })).toBeVisible();
    await screenshot(page, "08-buckets");
  });

  let ids: string[] = [];
  await test.step("emitted events show in the live viewer, reach the receiver, and show in the archive", async () => {
    await page.goto(`${herald.url}/live`);
    await expect(page.getByTestId("live-count")).toBeVisible();
    ids = await emit(["2026/a.jpg", "2026/b.jpg", "2026/c.jpg", "2026/d.jpg", "2026/e.jpg"]);
    await expect(page.getByTestId("live-count")).toHaveText(/\b5\b/);
    await expect(page.getByText("2026/c.jpg")).toBeVisible();
    await screenshot(page, "09-live");
    await waitForDeliveries(5);
    expect(new Set(receivedIds())).toEqual(new Set(ids));

    await page.getByText("2026/c.jpg").click();
    const detail = page.getByRole("dialog", { name: "Event detail" });
    await expect(detail).toBeVisible();
    await expect(detail.getByText(ARN).first()).toBeVisible();
    await expect(detail.getByText("delivered").first()).toBeVisible();
    await screenshot(page, "10-event-detail");
    await page.keyboard.press("Escape");

    await page.goto(`${herald.url}/archive`);
    const archive = page.getByRole("table", { name: "Archived events" });
    for (const key of ["2026/a.jpg", "2026/e.jpg"]) await expect(archive.getByText(key)).toBeVisible();
    await screenshot(page, "11-archive");
  });

  await test.step("the health page shows the delivered count", async () => {
    await page.goto(`${herald.url}/health`);
    const card = page.getByRole("region", { name: "Orders hook" });
    await expect(card.getByTestId("delivered-count")).toHaveText("5");
    await expect(card.getByTestId("health-state")).toHaveText(/healthy/i);
    await screenshot(page, "12-health");
    await page.goto(`${herald.url}/health/${encodeURIComponent(ARN)}`);
    await expect(page.getByText("Dead letters").first()).toBeVisible();
    await screenshot(page, "13-target-health");
  });

  await test.step("an XML import with an invalid rule shows the error and changes nothing", async () => {
    await page.goto(`${herald.url}/buckets/photos`);
    await page.getByRole("button", { name: "Import XML" }).click();
    await page
      .getByLabel("NotificationConfiguration XML")
      .fill(
        `<NotificationConfiguration><QueueConfiguration><Id>broken</Id><Queue>arn:herald:sqs:us-east-1:nowhere:webhook</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>`,
      );
    await page.getByRole("button", { name: "Preview import" }).click();
    await expect(page.getByText(/arn:herald:sqs:us-east-1:nowhere:webhook/).first()).toBeVisible();
    await screenshot(page, "14-xml-import-error");
    await page.goto(`${herald.url}/buckets/photos`);
    await expect(page.getByRole("cell", { name: "jpegs", exact: true })).toBeVisible();
    await expect(page.getByRole("cell", { name: "broken", exact: true })).toHaveCount(0);
  });

  let failedIds: string[] = [];
  await test.step("a stopped receiver turns the target failing and dead letters appear", async () => {
    await receiver.stop();
    failedIds = await emit(["2026/x.jpg", "2026/y.jpg", "2026/z.jpg"]);
    await page.goto(`${herald.url}/health`);
    await expect(page.getByRole("region", { name: "Orders hook" }).getByTestId("health-state")).toHaveText(/failing/i, { timeout: 30_000 });
    await page.goto(`${herald.url}/health/${encodeURIComponent(ARN)}`);
    for (const key of ["2026/x.jpg", "2026/y.jpg", "2026/z.jpg"]) await expect(page.getByText(key).first()).toBeVisible({ timeout: 30_000 });
    await screenshot(page, "15-dead-letters");
  });

  await test.step("with the receiver back, a retry from the dead letters delivers them", async () => {
    await receiver.start();
    receiver.reset();
    await page.getByRole("button", { name: "Retry all" }).click();
    const confirm = page.getByRole("dialog").getByRole("button", { name: /Retry/ });
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await waitForDeliveries(3);
    expect(new Set(receivedIds())).toEqual(new Set(failedIds));
    await page.goto(`${herald.url}/health`);
    await expect(page.getByRole("region", { name: "Orders hook" }).getByTestId("delivered-count")).toHaveText("8", { timeout: 30_000 });
  });
});

test("a tab without a session is sent to sign-in and gets no socket data", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const path of ["/live", "/health", "/targets", "/archive", "/buckets"]) {
    await page.goto(`${herald.url}${path}`);
    await expect(page).toHaveURL(new RegExp(`/sign-in\\?next=${encodeURIComponent(path).replace(/\//g, "%2F")}`));
  }
  // The raw Socket.IO handshake to the console namespace, as the page's client would send it.
  const answer = await page.evaluate(
    (origin) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`${origin.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`);
        const frames: string[] = [];
        ws.onmessage = (m) => {
          frames.push(String(m.data));
          if (String(m.data).startsWith("0")) ws.send("40/console,");
          if (String(m.data).startsWith("44/console") || String(m.data).startsWith("42/console")) resolve(frames.join("\n"));
        };
        setTimeout(() => resolve(frames.join("\n")), 5000);
      }),
    herald.url,
  );
  expect(answer).toContain("44/console");
  expect(answer).toContain("Unauthorized");
  expect(answer).not.toContain("42/console");
  const trpc = await page.request.get(`${herald.url}/trpc/targets.list`);
  expect(trpc.status()).toBe(401);
  await context.close();
});

test("every page reads on a narrow window without sideways scrolling", async ({ page }) => {
  await signIn(page, "/health");
  await page.setViewportSize({ width: 420, height: 860 });
  for (const [name, path] of [
    ["health", "/health"],
    ["target-health", `/health/${encodeURIComponent(ARN)}`],
    ["live", "/live"],
    ["archive", "/archive"],
    ["buckets", "/buckets"],
    ["bucket-rules", "/buckets/photos"],
    ["targets", "/targets"],
  ] as const) {
    await page.goto(`${herald.url}${path}`);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    await screenshot(page, `narrow-${name}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(1);
  }
});
