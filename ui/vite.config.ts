/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The UI is served by Tauri from ui/dist (tauri://localhost): no dev server in the app,
// no inline scripts (the CSP forbids them), one CSS file.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  oxc: {
    jsx: { runtime: "automatic" },
  },
  test: {
    environment: "jsdom",
    globals: true,
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-setup.ts"],
  },
});
