import { Writable } from "node:stream";
import { GrammyError } from "grammy";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger("trace", stream), text: () => lines.join("") };
}

describe("the logger", () => {
  it("redacts codes, PINs, tokens and secrets wherever they are named", () => {
    const { logger, text } = capture();
    logger.info({ code: "CODE-1", pin: "PIN-ONE", items: [{ code: "CODE-2" }], order: { code: "CODE-3", pin: "PIN-TWO" }, token: "TOKEN-VALUE", authorization: "Bearer SECRET-KEY" }, "x");
    for (const secret of ["CODE-1", "PIN-ONE", "CODE-2", "CODE-3", "PIN-TWO", "TOKEN-VALUE", "SECRET-KEY"]) expect(text()).not.toContain(secret);
    expect(text()).toContain("[redacted]");
  });

  it("drops the payload of a grammY error: a failed delivery's text holds the code", () => {
    const { logger, text } = capture();
    const error = new GrammyError(
      "Call to 'sendMessage' failed! (500: Internal Server Error)",
      { ok: false, error_code: 500, description: "Internal Server Error" },
      "sendMessage",
      { chat_id: 1, text: "Code: <code>SECRET-CODE-42</code>" },
    );
    logger.debug({ order_id: "ORD-1", err: error }, "order step ended with an error");
    logger.error({ err: error }, "update failed");
    expect(text()).not.toContain("SECRET-CODE-42");
    expect(text()).toContain("Internal Server Error");
  });
});
