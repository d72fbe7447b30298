import { waitFor } from "@testing-library/react";
import { reportPainted } from "./startupProbe";
import { mockBackend } from "./test/backend";

test("the first painted screen is reported to the shell once per launch", async () => {
  const backend = mockBackend({ startup_painted: () => null });
  reportPainted("tickets");
  reportPainted("sign-in");
  await waitFor(() => { expect(backend.argsOf("startup_painted")).toEqual([{ screen: "tickets" }]); });
  // Later screens (a second list, the sign-in after signing out) are not startups.
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(backend.argsOf("startup_painted")).toHaveLength(1);
});
