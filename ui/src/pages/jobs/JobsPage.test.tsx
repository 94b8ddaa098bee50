import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockFetch } from "../../test/fetchMock";
import { renderWithProviders } from "../../test/render";
import JobsPage from "./JobsPage";

// jsdom lays nothing out: give the scrolling table a height so the virtualiser renders rows.
const height = Object.getOwnPropertyDescriptor(Element.prototype, "clientHeight");
beforeAll(() => Object.defineProperty(Element.prototype, "clientHeight", { configurable: true, get: () => 600 }));
afterAll(() => height && Object.defineProperty(Element.prototype, "clientHeight", height));

const TOTAL = 10_000;
const job = (i: number, status = "Completed") => ({
  name: `job_${i}`,
  display_name: `run ${i}`,
  type: "command",
  status,
  experiment_name: i % 2 ? "odd" : "even",
  compute: "local",
  spec: {},
  created_at: "2026-01-01T00:00:00Z",
  duration_seconds: 65,
});

function serve() {
  return mockFetch(({ url }) => {
    if (url === "/api/experiments") {
      return { body: [{ name: "odd", job_count: 5000, last_job: "job_9999", last_status: "Running", last_created_at: "2026-01-01T00:00:00Z" }] };
    }
    if (url.startsWith("/api/jobs?")) {
      const params = new URL(url, "http://x").searchParams;
      const offset = Number(params.get("offset"));
      const total = params.get("status") === "Failed" ? 3 : TOTAL;
      const rows = Array.from({ length: Math.max(0, Math.min(100, total - offset)) }, (_, i) => job(TOTAL - 1 - offset - i, params.get("status") ?? "Completed"));
      return { body: rows, headers: { "X-Total-Count": String(total) } };
    }
    return undefined;
  });
}

describe("JobsPage", () => {
  it("shows the total and renders only the rows in view", async () => {
    serve();
    renderWithProviders(<JobsPage />, { route: "/jobs" });
    expect(await screen.findByText("10,000 jobs")).toBeInTheDocument();
    expect(await screen.findByRole("link", { name: "run 9999" })).toBeInTheDocument();
    const rendered = screen.getAllByRole("checkbox", { name: /^Select job_/ }).length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(100);
    expect(screen.getByRole("table", { name: /Jobs/ })).toHaveAttribute("aria-rowcount", String(TOTAL + 1));
  });

  it("asks the server for the filtered page and search", async () => {
    const calls = serve();
    renderWithProviders(<JobsPage />, { route: "/jobs" });
    await screen.findByText("10,000 jobs");
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "Failed" } });
    expect(await screen.findByText("3 jobs")).toBeInTheDocument();
    expect(calls.some((c) => c.url.includes("status=Failed") && c.url.includes("offset=0"))).toBe(true);
    fireEvent.change(screen.getByLabelText("Search"), { target: { value: "run 42" } });
    await waitFor(() => expect(calls.some((c) => c.url.includes("search=run+42") && c.url.includes("status=Failed"))).toBe(true));
  });

  it("picks an experiment from the experiments table and compares two selected runs", async () => {
    const calls = serve();
    renderWithProviders(<JobsPage />, { route: "/jobs" });
    fireEvent.click(await screen.findByRole("button", { name: "odd" }));
    await waitFor(() => expect(calls.some((c) => c.url.includes("experiment_name=odd"))).toBe(true));
    expect(screen.getByLabelText("Experiment")).toHaveValue("odd");
    const compare = screen.getByRole("button", { name: /^Compare/ });
    expect(compare).toBeDisabled();
    fireEvent.click(await screen.findByRole("checkbox", { name: "Select job_9999" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Select job_9998" }));
    expect(compare).toBeEnabled();
    expect(compare).toHaveTextContent("Compare (2)");
  });

  it("keeps an experiment picked while the search box's delayed update is pending", async () => {
    const calls = serve();
    renderWithProviders(<JobsPage />, { route: "/jobs" });
    await screen.findByRole("button", { name: "odd" });
    fireEvent.change(screen.getByLabelText("Search"), { target: { value: "run" } });
    fireEvent.change(screen.getByLabelText("Experiment"), { target: { value: "odd" } });
    await waitFor(() => expect(calls.some((c) => c.url.includes("search=run") && c.url.includes("experiment_name=odd"))).toBe(true));
    expect(screen.getByLabelText("Experiment")).toHaveValue("odd");
  });
});
