import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { vi } from "vitest";
import { NavigationContext } from "../state/navigation";
import type { Navigate } from "../state/navigation";
import { ToastProvider } from "../state/toasts";

/** Renders a screen the way the app does, with navigation recorded instead of followed. */
export function renderScreen(ui: ReactElement) {
  const navigate = vi.fn<Navigate>();
  const result = render(
    <ToastProvider>
      <NavigationContext.Provider value={navigate}>{ui}</NavigationContext.Provider>
    </ToastProvider>,
  );
  return { ...result, navigate };
}
