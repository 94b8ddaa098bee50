import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { api } from "../api/client";
import { mockFetch } from "../test/fetchMock";
import { renderWithProviders } from "../test/render";
import { TokenPrompt } from "./TokenPrompt";

const GOOD = "s3cret-token";
const UNAUTHORIZED = { status: 401, body: { error: "Unauthorized", detail: "missing or wrong access token" } };

describe("TokenPrompt", () => {
  it("appears on a 401, refuses a wrong token in place, then sends the right one on every call", async () => {
    const calls = mockFetch(({ headers }) => (headers.authorization === `Bearer ${GOOD}` ? { body: { name: "ws" } } : UNAUTHORIZED));
    renderWithProviders(<TokenPrompt />);
    expect(screen.queryByRole("form", { name: "Workspace access" })).toBeNull();

    await act(() => expect(api.get("/api/datastores")).rejects.toThrow("missing or wrong access token"));
    const input = await screen.findByLabelText("Workspace token");
    fireEvent.change(input, { target: { value: "wrong" } });
    fireEvent.click(screen.getByRole("button", { name: "Use token" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The server refused this token");
    expect(localStorage.getItem("modelyard.token")).toBeNull();

    fireEvent.change(input, { target: { value: GOOD } });
    fireEvent.click(screen.getByRole("button", { name: "Use token" }));
    await waitFor(() => expect(screen.queryByRole("form", { name: "Workspace access" })).toBeNull());
    expect(localStorage.getItem("modelyard.token")).toBe(GOOD);

    await api.get("/api/workspace");
    expect(calls.at(-1)?.headers.authorization).toBe(`Bearer ${GOOD}`);
  });

  it("stays closed when a call sent with the old token is refused after a new one was saved", async () => {
    const NEW = "rotated-token";
    let answerStale: (() => void) | undefined;
    mockFetch(({ url, headers }) => {
      if (headers.authorization === `Bearer ${NEW}`) return { body: { name: "ws" } };
      if (url.endsWith("/api/models")) return new Promise((resolve) => (answerStale = () => resolve(UNAUTHORIZED)));
      return UNAUTHORIZED;
    });
    renderWithProviders(<TokenPrompt />);
    const stale = api.get("/api/models").catch((error: Error) => error); // still in flight when NEW is saved
    await act(() => expect(api.get("/api/datastores")).rejects.toThrow("missing or wrong access token"));
    fireEvent.change(await screen.findByLabelText("Workspace token"), { target: { value: NEW } });
    fireEvent.click(screen.getByRole("button", { name: "Use token" }));
    await waitFor(() => expect(screen.queryByRole("form", { name: "Workspace access" })).toBeNull());

    await act(async () => {
      answerStale?.();
      expect(await stale).toBeInstanceOf(Error);
    });
    expect(screen.queryByRole("form", { name: "Workspace access" })).toBeNull();
    await act(() => expect(api.get("/api/workspace")).resolves.toEqual({ name: "ws" }));
  });
});
