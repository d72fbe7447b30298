import { clearMocks } from "@tauri-apps/api/mocks";

// The screenshot editor draws with pointer events; older jsdom has none, and none has
// pointer capture. A MouseEvent with a pointer id is all the editor reads.
if (typeof window.PointerEvent === "undefined") {
  class TestPointerEvent extends MouseEvent {
    readonly pointerId: number;
    constructor(type: string, init: PointerEventInit = {}) {
      super(type, init);
      this.pointerId = init.pointerId ?? 1;
    }
  }
  Object.defineProperty(window, "PointerEvent", { value: TestPointerEvent });
}
if (!("setPointerCapture" in Element.prototype)) {
  Object.assign(Element.prototype, {
    setPointerCapture: () => undefined,
    releasePointerCapture: () => undefined,
    hasPointerCapture: () => false,
  });
}

afterEach(() => {
  clearMocks();
});
