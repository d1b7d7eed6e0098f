import { it } from "vitest";
import { startHarness } from "./helpers/harness.js";
it("dbg", async () => {
  const h = await startHarness({ shop: { pacing: { privateGapMs: 100 } } });
  const c = h.customer(4001);
  const t0 = Date.now();
  for (let i = 0; i < 3; i++) {
    c.say("/start buy_mlbb-86-diamonds");
    await h.telegram.waitFor(4001, (m) => m.buttons.flat().some((b) => b.text.startsWith("🛒")) && m.version > 0);
    const since = h.telegram.version;
    c.tap(/^🛒/);
    try {
      await h.telegram.waitFor(4001, (m) => m.version > since && m.buttons.flat().length === 1 && m.buttons.flat()[0]!.callback_data === "cc", 6000);
      const s2 = h.telegram.version;
      c.say("12345678");
      const conf = await h.telegram.waitFor(4001, (m) => m.version > s2 && m.buttons.flat().some((b) => b.callback_data === "ok"), 6000);
      const s3 = h.telegram.version;
      h.telegram.tap(4001, conf.message_id, "ok");
      await h.telegram.waitFor(4001, (m) => m.version > s3 && m.buttons.flat().some((b) => b.url), 6000);
      console.log("round", i, "ok at", Date.now() - t0);
    } catch (e) { console.log("round", i, "fail at", Date.now() - t0, (e as Error).message.slice(0, 300)); }
  }
  console.log(h.logs.filter((l) => /"level":(40|50)/.test(l)).slice(0, 10).join("\n").slice(0, 3000));
  await h.close();
});
