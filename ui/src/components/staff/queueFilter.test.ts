import { DEFAULT_CHOICE, exportFilterOf } from "./queueFilter";

test("the export names assignees as the server's list does", () => {
  const assignee = (choice: string) => exportFilterOf({ ...DEFAULT_CHOICE, assignee: choice }, true).assignee;
  expect(assignee("")).toBeNull();
  expect(assignee("me")).toBe("me");
  expect(assignee("nobody")).toBe("none");
  expect(assignee("5f0c6a1e-0000-4000-8000-000000000001")).toBe("5f0c6a1e-0000-4000-8000-000000000001");
  expect(exportFilterOf(DEFAULT_CHOICE, true)).toMatchObject({ view: "all_open", text: null, bom: true });
});
