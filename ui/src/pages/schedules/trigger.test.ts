import { formatInZone, listInWords, triggerInWords } from "./trigger";

describe("triggerInWords", () => {
  it("says the common cron expressions in words and keeps the expression", () => {
    expect(triggerInWords({ type: "cron", expression: "0 3 * * *" })).toBe("every day at 03:00 (cron 0 3 * * *)");
    expect(triggerInWords({ type: "cron", expression: "30 9 * * 1,5" })).toBe("at 09:30 on Monday and Friday (cron 30 9 * * 1,5)");
    expect(triggerInWords({ type: "cron", expression: "0 6,18 1 * *" })).toBe("at 06:00, 18:00 on day 1 of the month (cron 0 6,18 1 * *)");
    expect(triggerInWords({ type: "cron", expression: "*/15 * * * *" })).toBe("every 15 minutes (cron */15 * * * *)");
    expect(triggerInWords({ type: "cron", expression: "5 * * * *" })).toBe("every hour at minute 5 (cron 5 * * * *)");
  });

  it("shows an expression it cannot say in words as it is", () => {
    expect(triggerInWords({ type: "cron", expression: "0 3 * 1-6 *" })).toBe("cron 0 3 * 1-6 *");
    expect(triggerInWords({ type: "cron", expression: "0 0 1-7 * 1" })).toBe("cron 0 0 1-7 * 1");
  });

  it("says recurrences with their interval, days and times", () => {
    expect(triggerInWords({ type: "recurrence", frequency: "day", interval: 1, schedule: { hours: [3], minutes: [0] } })).toBe("every day at 03:00");
    expect(triggerInWords({ type: "recurrence", frequency: "minute", interval: 15, schedule: null })).toBe("every 15 minutes");
    expect(triggerInWords({ type: "recurrence", frequency: "hour", interval: 1 })).toBe("every hour");
    expect(
      triggerInWords({ type: "recurrence", frequency: "week", interval: 2, schedule: { hours: [18, 6], minutes: [30], week_days: ["monday", "thursday"] } }),
    ).toBe("every 2 weeks on Monday and Thursday at 06:30, 18:30");
    expect(triggerInWords({ type: "recurrence", frequency: "month", interval: 1, schedule: { hours: [1], month_days: [1, 15] } })).toBe(
      "every month on days 1 and 15 at 01:00",
    );
  });
});

describe("listInWords", () => {
  it("joins with commas and a final 'and'", () => {
    expect(listInWords([])).toBe("");
    expect(listInWords(["a"])).toBe("a");
    expect(listInWords(["a", "b", "c"])).toBe("a, b and c");
  });
});

describe("formatInZone", () => {
  it("reads the time on the schedule's clock, and falls back to the browser's for a zone it does not know", () => {
    expect(formatInZone("2026-12-04T02:00:00Z", "Europe/Paris")).toContain("3:00");
    expect(formatInZone("2026-12-04T02:00:00Z", "Asia/Tokyo")).toContain("11:00");
    expect(formatInZone("2026-12-04T02:00:00Z", "W. Europe Standard Time")).toContain("2026");
    expect(formatInZone(null, "UTC")).toBe("—");
  });
});
