// /metrics and /healthz over real HTTP, as METRICS_HOST, METRICS_PORT and METRICS_TOKEN set them: on a listener of
// their own (/metrics gone from the webhooks' port, /healthz left there with its status only), and /metrics behind a bearer token while /healthz keeps answering
// container health checks without one (its details only with it).
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startHarness, type Harness } from "../helpers/harness.js";

const TOKEN = "metrics-token-0123456789abcdef";
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const get = (url: string, token?: string) => fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe("METRICS_PORT and METRICS_HOST", () => {
  it("serve /metrics and /healthz on their own listener; the webhooks' port keeps only /healthz's status", async () => {
    h = await startHarness({ env: { METRICS_PORT: "0", METRICS_HOST: "127.0.0.1" } });
    const port = h.shop.metricsPort!;
    expect(port).toBeGreaterThan(0);
    expect(port).not.toBe(h.shop.port);
    const metrics = await get(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("shop_orders");
    const health = await get(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: true, worker: true, bot: true });
    expect((await get(`http://127.0.0.1:${port}/webhooks/stripe`)).status).toBe(404);
    expect((await get(`${h.shopUrl}/metrics`)).status).toBe(404);
    // The image's HEALTHCHECK asks HTTP_PORT: /healthz stays there, its status only (details on the listener).
    const public_ = await get(`${h.shopUrl}/healthz`);
    expect(public_.status).toBe(200);
    expect(await public_.json()).toEqual({ status: "ok" });
  });

  it("METRICS_HOST without METRICS_PORT is refused at start with what to do", () => {
    expect(() => loadConfig({ ...minimalEnv(), METRICS_HOST: "127.0.0.1" })).toThrow(/METRICS_HOST is invalid \(needs METRICS_PORT/);
  });
});

describe("METRICS_TOKEN", () => {
  it("/metrics wants the bearer token; /healthz answers without it, with its details only to the token", async () => {
    h = await startHarness({ env: { METRICS_TOKEN: TOKEN } });
    const anonymous = await get(`${h.shopUrl}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
    expect((await get(`${h.shopUrl}/metrics`, "wrong-token-0123456789")).status).toBe(401);
    const authorized = await get(`${h.shopUrl}/metrics`, TOKEN);
    expect(authorized.status).toBe(200);
    expect(await authorized.text()).toContain("shop_orders");
    const health = await get(`${h.shopUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect(await (await get(`${h.shopUrl}/healthz`, TOKEN)).json()).toEqual({ status: "ok", database: true, worker: true, bot: true });
  });

  it("is refused when shorter than 16 characters", () => {
    expect(() => loadConfig({ ...minimalEnv(), METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN is invalid/);
  });
});

function minimalEnv(): Record<string, string> {
  return {
    BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ",
    OPS_CHAT_ID: "-1001234567890",
    STRIPE_SECRET_KEY: "sk_test_1",
    STRIPE_WEBHOOK_SECRET: "whsec_1",
    SUPPORT_CONTACT: "@s",
    CODE_ENCRYPTION_KEY: "00".repeat(32),
  };
}
