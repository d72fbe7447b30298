import { useEffect, useState } from "react";
import { api } from "../api";
import type { QueuedFile } from "../bindings";
import { fileSize } from "../format";

interface Props {
  draftKey: string;
  files: QueuedFile[];
  onPick: () => void;
  onRemove: (index: number) => void;
  /** Only the new ticket form keeps the old stable id `draft-files`. */
  listId?: string;
}

export function DraftFiles({ draftKey, files, onPick, onRemove, listId }: Props) {
  return (
    <div className="draft-files">
      <div className="draft-files-head">
        <button type="button" className="attach" onClick={onPick}>
          Attach files…
        </button>
        <span className="hint">or drop files anywhere on this window</span>
      </div>
      <ul id={listId} className="file-list" aria-label="Attached files">
        {files.map((file, index) => (
          <li key={file.path}>
            <DraftPreview draftKey={draftKey} index={index} path={file.path} />
            <span className="file-name">{file.name}</span>
            <span className="file-size">{fileSize(file.size)}</span>
            <button
              type="button"
              className="remove-file"
              aria-label={`Remove ${file.name}`}
              onClick={() => { onRemove(index); }}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** `path` identifies the file: when an earlier one is removed the index shifts. */
function DraftPreview({ draftKey, index, path }: { draftKey: string; index: number; path: string }) {
  const [preview, setPreview] = useState<{ path: string; url: string | null } | null>(null);
  useEffect(() => {
    let active = true;
    api.draftFilePreview(draftKey, index).then(
      (url) => {
        if (active) setPreview({ path, url });
      },
      () => {
        if (active) setPreview({ path, url: null });
      },
    );
    return () => {
      active = false;
    };
  }, [draftKey, index, path]);
  if (preview?.path !== path || preview.url === null) {
    return <span className="file-icon" aria-hidden="true" />;
  }
  return <img className="file-preview" src={preview.url} alt="" />;
}
