import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(() => cleanup());

// findBy*/waitFor give up after 1 s by default, which a loaded machine exceeds; passing tests still finish fast.
configure({ asyncUtilTimeout: 30_000 });
