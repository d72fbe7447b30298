import { useEffect, useState } from "react";
import { api, errorMessage } from "../api";
import type { Attachment } from "../bindings";
import { fileSize } from "../format";
import { useToast } from "../state/toasts";

export function AttachmentList({ attachments, label }: { attachments: Attachment[]; label: string }) {
  if (attachments.length === 0) return null;
  return (
    <ul className="attachments-list" aria-label={label}>
      {attachments.map((a) => (
        <AttachmentItem key={a.id} attachment={a} />
      ))}
    </ul>
  );
}

function AttachmentItem({ attachment }: { attachment: Attachment }) {
  const toast = useToast();
  const [saving, setSaving] = useState(false);

  async function save() {
    setSaving(true);
    try {
      const where = await api.saveAttachment(attachment.id, attachment.file_name);
      if (where !== null) toast(`Saved ${attachment.file_name}`);
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setSaving(false);
    }
  }

  return (
    <li className="attachment" data-attachment-id={attachment.id}>
      {attachment.has_thumbnail ? (
        <Thumbnail id={attachment.id} name={attachment.file_name} />
      ) : (
        <span className="file-icon" aria-hidden="true" />
      )}
      <span className="file-name">{attachment.file_name}</span>
      <span className="file-size">{fileSize(attachment.size)}</span>
      <button
        type="button"
        className="save-attachment"
        disabled={saving}
        aria-label={`Save ${attachment.file_name}`}
        onClick={() => void save()}
      >
        Save…
      </button>
    </li>
  );
}

/** Fetched once per attachment: previews do not change, so no re-read on store changes. */
function Thumbnail({ id, name }: { id: string; name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let active = true;
    api.thumbnail(id).then(
      (data) => {
        if (active) setUrl(data);
      },
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [id]);
  if (url === null) return <span className="file-icon" aria-hidden="true" />;
  return <img className="thumbnail" src={url} alt={`Preview of ${name}`} />;
}
