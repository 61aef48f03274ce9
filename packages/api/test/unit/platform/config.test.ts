import { eventsSetting } from "@baedal/events";
import { afterEach, describe, expect, it } from "vitest";
import { loadBaseConfig, loadConfig, setting } from "../../../src/platform/config.js";

const secrets = { AUTH_SECRET: "a".repeat(32), METRICS_TOKEN: "m".repeat(16) };

describe("configuration modules", () => {
  afterEach(() => {
    delete process.env.PUBLIC_WEB_URL;
    delete process.env.BAEDAL_MAX_DELIVER;
  });

  it("setting() and eventsSetting() read the environment as it is at the call, with the schema's defaults", () => {
    expect(setting("PUBLIC_WEB_URL")).toBe("http://127.0.0.1:3000");
    process.env.PUBLIC_WEB_URL = "https://baedal.example";
    expect(setting("PUBLIC_WEB_URL")).toBe("https://baedal.example");

    expect(eventsSetting("BAEDAL_MAX_DELIVER")).toBe(6);
    process.env.BAEDAL_MAX_DELIVER = "4";
    expect(eventsSetting("BAEDAL_MAX_DELIVER")).toBe(4);
    process.env.BAEDAL_MAX_DELIVER = "four";
    expect(() => eventsSetting("BAEDAL_MAX_DELIVER")).toThrow(/BAEDAL_MAX_DELIVER/);
  });

  it("a bad value stops a process at start with one line naming the variable", () => {
    expect(() => loadBaseConfig({ MAX_BODY_BYTES: "lots" })).toThrow("MAX_BODY_BYTES must be a whole number");
    expect(() => loadConfig({ ...secrets, BAEDAL_RPC_TIMEOUT_MS: "soon" })).toThrow(
      /^BAEDAL_RPC_TIMEOUT_MS: /,
    );
    expect(loadConfig({ ...secrets, PORT: "4103", BAEDAL_STREAM_REPLICAS: "3" })).toMatchObject({
      PORT: 4103,
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/baedal",
    });
  });
});
