/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` proxies the API to a running workspace server (modelyard up): MODELYARD_URL, default :8686.
const server = process.env.MODELYARD_URL ?? "http://127.0.0.1:8686";

export default defineConfig({
  plugins: [react()],
  build: {
    // The Python package serves these files at / (src/modelyard/api/_studio.py); gitignored build output.
    outDir: "../src/modelyard/studio",
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: Object.fromEntries(["/api", "/health", "/openapi.json"].map((p) => [p, server])),
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    css: false,
    // CI machines may be heavily loaded: a test may wait long, it must never fail for being slow.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
