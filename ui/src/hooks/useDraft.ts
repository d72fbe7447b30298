import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage } from "../api";
import type { Draft, Priority, QueuedFile } from "../bindings";

export interface DraftFields {
  subject: string;
  text: string;
  category: string | null;
  priority: Priority | null;
}

export type SaveState = "idle" | "saving" | "saved" | "failed";

/** Long enough to save once per pause in typing, short enough that a crash loses little. */
const SAVE_DELAY_MS = 400;

function fromDraft(draft: Draft, defaults: DraftFields): DraftFields {
  return {
    subject: draft.subject ?? defaults.subject,
    text: draft.text ?? defaults.text,
    category: draft.category ?? defaults.category,
    priority: draft.priority ?? defaults.priority,
  };
}

export interface DraftHandle {
  /** Null until the stored draft has been read: the form waits so nothing is overwritten. */
  fields: DraftFields | null;
  files: QueuedFile[];
  saveState: SaveState;
  error: string | null;
  update: (patch: Partial<DraftFields>) => void;
  /** Takes the file list from a command that changed the draft's files. */
  applyDraft: (draft: Draft) => void;
  pickFiles: () => Promise<void>;
  removeFile: (index: number) => Promise<void>;
  /** Stops autosaving: the draft is being submitted and Rust removes it. */
  finish: () => void;
  /** Autosaves again: the submission failed and the draft is still there. */
  resume: () => void;
  /** Clears the text after a reply was sent (the reply draft lives on per ticket). */
  reset: () => void;
}

/**
 * A compose form's draft: read when the form opens, saved while the user types, so a
 * crash or a closed window loses nothing. `defaults` must be a stable value.
 */
export function useDraft(key: string, defaults: DraftFields): DraftHandle {
  const [fields, setFields] = useState<DraftFields | null>(null);
  const [files, setFiles] = useState<QueuedFile[]>([]);
  const [saveState, setSaveState] = useState<SaveState>("idle");
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<{
    fields: DraftFields | null;
    timer: ReturnType<typeof setTimeout> | null;
    finished: boolean;
  }>({ fields: null, timer: null, finished: false });

  useEffect(() => {
    let active = true;
    api.loadDraft(key).then(
      (draft) => {
        if (!active) return;
        const loaded = draft ? fromDraft(draft, defaults) : defaults;
        pending.current.fields = loaded;
        setFields(loaded);
        setFiles(draft?.files ?? []);
      },
      (e: unknown) => {
        if (!active) return;
        pending.current.fields = defaults;
        setFields(defaults);
        setError(errorMessage(e));
      },
    );
    return () => {
      active = false;
    };
  }, [key, defaults]);

  const save = useCallback(() => {
    const p = pending.current;
    p.timer = null;
    if (p.finished || !p.fields) return;
    setSaveState("saving");
    api.saveDraft({ key, ...p.fields }).then(
      () => {
        setSaveState("saved");
      },
      (e: unknown) => {
        setSaveState("failed");
        setError(errorMessage(e));
      },
    );
  }, [key]);

  // Leaving the form mid-pause still saves what was typed.
  useEffect(() => {
    const p = pending.current;
    return () => {
      if (p.timer !== null) {
        clearTimeout(p.timer);
        save();
      }
    };
  }, [save]);

  const update = useCallback(
    (patch: Partial<DraftFields>) => {
      const p = pending.current;
      if (!p.fields) return;
      p.fields = { ...p.fields, ...patch };
      setFields(p.fields);
      if (p.timer !== null) clearTimeout(p.timer);
      p.timer = setTimeout(save, SAVE_DELAY_MS);
    },
    [save],
  );

  const applyDraft = useCallback((draft: Draft) => {
    setFiles(draft.files ?? []);
    setError(null);
  }, []);

  const pickFiles = useCallback(async () => {
    try {
      applyDraft(await api.pickFiles(key));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [key, applyDraft]);

  const removeFile = useCallback(
    async (index: number) => {
      try {
        applyDraft(await api.removeDraftFile(key, index));
      } catch (e) {
        setError(errorMessage(e));
      }
    },
    [key, applyDraft],
  );

  const finish = useCallback(() => {
    const p = pending.current;
    if (p.timer !== null) clearTimeout(p.timer);
    p.timer = null;
    p.finished = true;
  }, []);

  const resume = useCallback(() => {
    pending.current.finished = false;
  }, []);

  const reset = useCallback(() => {
    const p = pending.current;
    if (p.timer !== null) clearTimeout(p.timer);
    p.timer = null;
    p.fields = defaults;
    setFields(defaults);
    setFiles([]);
    setSaveState("idle");
  }, [defaults]);

  return { fields, files, saveState, error, update, applyDraft, pickFiles, removeFile, finish, resume, reset };
}
