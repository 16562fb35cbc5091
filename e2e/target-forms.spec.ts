import { expect, test, type Page } from "@playwright/test";
import { ROOT_PASSWORD, ROOT_USER, startConsoleServer } from "../test/support/console-server.ts";
import { freePort } from "../test/support/free-port.ts";
import type { HeraldProcess } from "../test/support/herald-process.ts";

/**
 * The console has no page per target type: each type's form comes from its
 * config schema, and health and stats from the same cards. Every type must
 * therefore show its own fields, and a new type's target its health.
 */
let herald: HeraldProcess;

test.beforeAll(async () => {
  herald = await startConsoleServer();
});

test.afterAll(async () => {
  await herald?.stop();
});

async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

const FIELDS: [type: string, labels: string[]][] = [
  ["kafka", ["Brokers", "Topic", "Acks", "Compression", "SASL mechanism", "Cloud events"]],
  ["amqp", ["URL", "Exchange", "Exchange type", "Routing key", "Mandatory", "Persistent"]],
  ["nats", ["Servers", "Subject", "Mode", "Nkey seed", "Creds file"]],
  ["mqtt", ["URL", "Topic", "Qos", "Retain"]],
  ["postgres", ["Connection string", "Table", "Format", "Pool size"]],
  ["mysql", ["Connection string", "Table", "Format", "Pool size"]],
  ["redis", ["URL", "Mode", "Stream"]],
  ["webhook", ["Endpoint", "Auth token"]],
];

test("every target type has its form, and a new type's target shows its health", async ({ page }) => {
  await page.goto(`${herald.url}/targets`);
  await page.getByLabel("User name").fill(ROOT_USER);
  await page.getByLabel("Password").fill(ROOT_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/targets$/);
  await page.getByRole("button", { name: "New target" }).first().click();

  for (const [type, labels] of FIELDS) {
    await page.getByLabel("Type", { exact: true }).selectOption(type);
    for (const label of labels) {
      await expect(page.getByLabel(new RegExp(`^${label}\\b`, "i")).first(), `${type}: ${label}`).toBeVisible();
    }
    await screenshot(page, `t-${type}-form`);
  }

  // An MQTT target whose broker is not there: the form creates it, /health shows it failing with the reason.
  const closedPort = await freePort();
  await page.getByLabel("Type", { exact: true }).selectOption("mqtt");
  await page.getByLabel(/^ID\b/).fill("sensors");
  await page.getByLabel("Name", { exact: true }).fill("Sensors");
  await page.getByLabel(/^URL\b/).first().fill(`mqtt://127.0.0.1:${closedPort}`);
  await page.getByLabel(/^Topic\b/).first().fill("s3/events");
  await page.getByRole("button", { name: "Create target" }).click();
  await expect(page.getByRole("cell", { name: "arn:herald:sqs:us-east-1:sensors:mqtt" })).toBeVisible();
  await page.goto(`${herald.url}/health`);
  const card = page.getByRole("region", { name: "Sensors" });
  await expect(card.getByTestId("health-state")).toHaveAttribute("data-state", "failing", { timeout: 30_000 });
  await expect(card).toContainText(/ECONNREFUSED|refused/i, { timeout: 30_000 });
  await screenshot(page, "t-mqtt-health");
});
