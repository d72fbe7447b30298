import { commands } from "./bindings";

let reported = false;

/**
 * Tells the shell, once per launch, that the first screen is on the glass: two frames
 * after React committed it, so it has been painted, not just laid out. The desktop
 * benchmark times this (LIFEBUOY_STARTUP_PROBE); without it the shell ignores the call.
 */
export function reportPainted(screen: "tickets" | "sign-in"): void {
  if (reported) return;
  reported = true;
  requestAnimationFrame(() => {
    requestAnimationFrame(() => {
      commands.startupPainted(screen).catch(() => undefined);
    });
  });
}
