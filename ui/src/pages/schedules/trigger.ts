// A schedule's trigger in words ("every day at 03:00", "at 03:00 on Monday and Friday (cron 0 3 * * 1,5)").

export type Trigger = Record<string, unknown>;

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const pad = (n: number) => String(n).padStart(2, "0");
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "a", "a and b", "a, b and c". */
export function listInWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Every hour:minute of the lists, in order: "03:00", "03:00, 15:30". */
function clockTimes(hours: number[], minutes: number[]): string {
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
  return times.map((t) => `${pad(Math.floor(t / 60))}:${pad(t % 60)}`).join(", ");
}

const numbers = (value: unknown): number[] => (Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : []);

function recurrenceInWords(trigger: Trigger): string {
  const frequency = String(trigger.frequency);
  const interval = Number(trigger.interval ?? 1);
  const every = interval === 1 ? `every ${frequency}` : `every ${interval} ${frequency}s`;
  const pattern = (trigger.schedule ?? {}) as Record<string, unknown>;
  const hours = numbers(pattern.hours);
  const minutes = numbers(pattern.minutes);
  const weekDays = Array.isArray(pattern.week_days) ? (pattern.week_days as string[]).map(capitalise) : [];
  const monthDays = numbers(pattern.month_days);
  const parts = [every];
  if (weekDays.length) parts.push(`on ${listInWords(weekDays)}`);
  if (monthDays.length) parts.push(`on day${monthDays.length > 1 ? "s" : ""} ${listInWords(monthDays.map(String))}`);
  if (hours.length) parts.push(`at ${clockTimes(hours, minutes.length ? minutes : [0])}`);
  else if (minutes.length) parts.push(`at minute ${listInWords(minutes.map(String))}`);
  return parts.join(" ");
}

const isNumber = (field: string) => /^\d+$/.test(field);
const numberList = (field: string) => (/^\d+(,\d+)*$/.test(field) ? field.split(",").map(Number) : null);

/** The common cron shapes in words; any other expression as itself. */
function cronInWords(expression: string): string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `cron ${expression}`;
  const [minute, hour, monthDay, month, weekDay] = fields;
  const step = /^\*\/(\d+)$/.exec(minute);
  if (step && hour === "*" && monthDay === "*" && month === "*" && weekDay === "*") return `every ${step[1]} minutes`;
  if (isNumber(minute) && hour === "*" && monthDay === "*" && month === "*" && weekDay === "*") return `every hour at minute ${Number(minute)}`;
  const hours = numberList(hour);
  if (!isNumber(minute) || !hours || month !== "*") return `cron ${expression}`;
  const at = `at ${clockTimes(hours, [Number(minute)])}`;
  const days = numberList(weekDay);
  const dates = numberList(monthDay);
  if (monthDay === "*" && weekDay === "*") return `every day ${at}`;
  if (monthDay === "*" && days) return `${at} on ${listInWords(days.map((d) => DAYS[d % 7]))}`;
  if (dates && weekDay === "*") return `${at} on day${dates.length > 1 ? "s" : ""} ${listInWords(dates.map(String))} of the month`;
  return `cron ${expression}`;
}

/** The trigger in words, e.g. "every day at 03:00"; the time zone is shown apart. */
export function triggerInWords(trigger: Trigger): string {
  if (trigger.type === "cron") {
    const expression = String(trigger.expression ?? "");
    const words = cronInWords(expression);
    return words.startsWith("cron ") ? words : `${words} (cron ${expression})`;
  }
  if (trigger.type === "recurrence") return recurrenceInWords(trigger);
  return JSON.stringify(trigger);
}

export const timeZoneOf = (trigger: Trigger) => (typeof trigger.time_zone === "string" ? trigger.time_zone : "UTC");

/** A fire time as the clock in the schedule's zone reads it ("Dec 4, 2026, 3:00 AM"); in the browser's zone when the
 * browser does not know the zone (Azure's Windows names). */
export function formatInZone(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "—";
  const date = new Date(iso);
  try {
    return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short", timeZone });
  } catch {
    return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  }
}
