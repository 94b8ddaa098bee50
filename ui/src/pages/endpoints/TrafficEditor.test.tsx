import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { OnlineEndpoint } from "../../api/endpoints";
import { mockFetch } from "../../test/fetchMock";
import { renderWithProviders } from "../../test/render";
import { TrafficEditor } from "./TrafficEditor";

const deployment = (name: string) => ({
  name,
  endpoint_name: "ep",
  model: "attrition",
  model_version: 1,
  instance_count: 1,
  request_settings: { request_timeout_ms: 5000, max_concurrent_requests_per_instance: 64, max_body_bytes: 10485760 },
  state: "Succeeded" as const,
  instances: [],
  created_at: "2026-01-01T00:00:00Z",
});

const endpoint: OnlineEndpoint = {
  name: "ep",
  auth_mode: "key",
  traffic: { blue: 100 },
  mirror_traffic: {},
  scoring_uri: "/api/v1/service/ep/score",
  swagger_uri: "/api/v1/service/ep/swagger.json",
  deployments: [deployment("blue"), deployment("green")],
  created_at: "2026-01-01T00:00:00Z",
};

it("refuses weights that do not add up to 100 and saves a valid split with one PATCH", async () => {
  const calls = mockFetch(({ method, body }) => (method === "PATCH" ? { body: { ...endpoint, ...(body as object) } } : { body: [] }));
  const user = userEvent.setup();
  renderWithProviders(<TrafficEditor endpoint={endpoint} />);
  const blue = screen.getByLabelText("Traffic to blue (%)");
  const green = screen.getByLabelText("Traffic to green (%)");
  expect(blue).toHaveValue(100);
  expect(green).toHaveValue(0);

  await user.clear(blue);
  await user.type(blue, "80");
  await user.type(green, "{Backspace}10");
  expect(screen.getByRole("alert")).toHaveTextContent("the weights add up to 90%; they must add up to 100%");
  expect(screen.getByRole("button", { name: "Save traffic" })).toBeDisabled();

  await user.clear(green);
  await user.type(green, "20");
  await user.type(screen.getByLabelText("Mirror traffic to green (%)"), "{Backspace}5");
  expect(screen.queryByRole("alert")).toBeNull();
  expect(screen.getByTestId("traffic-total")).toHaveTextContent("100%");
  await user.click(screen.getByRole("button", { name: "Save traffic" }));
  await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true));
  const patch = calls.find((c) => c.method === "PATCH");
  expect(patch?.url).toBe("/api/online-endpoints/ep");
  expect(patch?.body).toEqual({ traffic: { blue: 80, green: 20 }, mirror_traffic: { green: 5 } });
  expect(await screen.findByText("Saved")).toBeInTheDocument();
});

it("shows the API's refusal in place", async () => {
  mockFetch(({ method }) =>
    method === "PATCH" ? { status: 400, body: { error: "InvalidInput", detail: "traffic: no deployment named red" } } : { body: [] },
  );
  const user = userEvent.setup();
  renderWithProviders(<TrafficEditor endpoint={endpoint} />);
  await user.click(screen.getByRole("button", { name: "Save traffic" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("traffic: no deployment named red");
});
