import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, vi } from "vitest";
import { mockFetch } from "../../test/fetchMock";
import { renderWithProviders } from "../../test/render";
import CreateDataWizard from "./CreateDataWizard";

const ATTRITION_ERROR =
  "column 'Attrition' expected integer, got 'Yes' at row 1; fix the value, list it in null_values, or set the column's type to string";

function server(createAnswer?: { status: number; body: unknown }) {
  return mockFetch(({ method, url, body }) => {
    if (method === "GET" && url === "/api/datastores") return { body: [] };
    if (method === "POST" && url === "/api/data/preview") {
      const request = body as { parse: { delimiter?: string }; columns: { name: string; type?: string }[] };
      if (request.columns.some((c) => c.name === "Attrition" && c.type === "integer")) {
        return { status: 400, body: { error: "InvalidInput", detail: ATTRITION_ERROR } };
      }
      if (request.parse.delimiter === ";") {
        return { body: { columns: [{ name: "Age,Attrition", type: "string", include: true }], rows: [["41,Yes"]] } };
      }
      return {
        body: {
          columns: [
            { name: "Age", type: "integer", include: true },
            { name: "Attrition", type: "string", include: true },
          ],
          rows: [
            [41, "Yes"],
            [49, "No"],
          ],
        },
      };
    }
    if (method === "POST" && url === "/api/data" && createAnswer) return createAnswer;
    return undefined;
  });
}

async function fillBasics(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.type(screen.getByLabelText("Name"), name);
  await user.click(screen.getByRole("radio", { name: /path on the server/ }));
  await user.type(screen.getByLabelText("Path or URL"), "/data/hr.csv");
  await user.click(screen.getByRole("button", { name: "Next" }));
}

afterEach(() => vi.unstubAllGlobals());

describe("CreateDataWizard", () => {
  it("refreshes the live preview when a setting changes", async () => {
    const user = userEvent.setup();
    const calls = server();
    renderWithProviders(<CreateDataWizard />);
    await fillBasics(user, "hr");

    expect(await screen.findByRole("columnheader", { name: /Attrition/ })).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Delimiter"), ";");
    expect(await screen.findByRole("columnheader", { name: /Age,Attrition/ })).toBeInTheDocument();
    const previews = calls.filter((c) => c.url === "/api/data/preview");
    expect(previews.at(-1)?.body).toMatchObject({ path: "/data/hr.csv", parse: { delimiter: ";" } });
  });

  it("shows the API's error in place when a column type does not fit the data", async () => {
    const user = userEvent.setup();
    server();
    renderWithProviders(<CreateDataWizard />);
    await fillBasics(user, "hr");
    await screen.findByRole("columnheader", { name: /Attrition/ });
    await waitFor(() => expect(screen.getByRole("button", { name: "Next" })).toBeEnabled());
    await user.click(screen.getByRole("button", { name: "Next" }));

    await user.selectOptions(await screen.findByLabelText("Type of Attrition"), "integer");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This schema does not fit the data");
    expect(alert).toHaveTextContent(ATTRITION_ERROR);
    expect(screen.getByRole("button", { name: "Next" })).toBeDisabled();

    // putting the type back clears the error
    await user.selectOptions(screen.getByLabelText("Type of Attrition"), "string");
    await waitFor(() => expect(screen.queryByRole("alert")).not.toBeInTheDocument());
  });

  it("shows a create error from the API on the confirm step", async () => {
    const user = userEvent.setup();
    const calls = server({
      status: 400,
      body: { error: "InvalidInput", detail: "data asset is invalid: name: name 'bad name' is not allowed" },
    });
    renderWithProviders(<CreateDataWizard />);
    await fillBasics(user, "bad name");
    await screen.findByRole("columnheader", { name: /Attrition/ });
    await waitFor(() => expect(screen.getByRole("button", { name: "Next" })).toBeEnabled());
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("checkbox", { name: "Include Age" }));
    await waitFor(() => expect(screen.getByRole("button", { name: "Next" })).toBeEnabled());
    await user.click(screen.getByRole("button", { name: "Next" }));

    await user.click(screen.getByRole("checkbox", { name: /Profile the dataset/ }));
    await user.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("name 'bad name' is not allowed");
    expect(calls.find((c) => c.url === "/api/data")?.body).toEqual({
      name: "bad name",
      type: "mltable",
      path: "/data/hr.csv",
      parse: { encoding: "utf-8", header: "all_files_same_headers", skip_rows: 0 },
      columns: [{ name: "Age", include: false }],
      profile: false,
    });
  });
});
