import { useState } from "react";
import { Dialog } from "./Dialog";

interface Props {
  /** Items still to send (queued, sending or failed). */
  unsent: number;
  busy: boolean;
  error: string | null;
  onConfirm: (deleteLocalData: boolean) => void;
  onCancel: () => void;
}

export function SignOutDialog({ unsent, busy, error, onConfirm, onCancel }: Props) {
  const [deleteLocal, setDeleteLocal] = useState(false);
  return (
    <Dialog id="sign-out-dialog" title="Sign out?" onCancel={onCancel}>
      <p>Your tickets stay on this device for the next sign-in unless you delete them.</p>
      <label className="check">
        <input
          type="checkbox"
          name="delete_local_data"
          checked={deleteLocal}
          onChange={(e) => { setDeleteLocal(e.target.checked); }}
        />
        Also delete the tickets, drafts and unsent work kept on this device
      </label>
      {deleteLocal && unsent > 0 && (
        <p className="warning" role="alert">
          {unsent === 1
            ? "1 item in the outbox has not been sent yet and will be lost."
            : `${unsent} items in the outbox have not been sent yet and will be lost.`}
        </p>
      )}
      {!deleteLocal && unsent > 0 && (
        <p className="hint">
          {unsent === 1 ? "1 unsent item is" : `${unsent} unsent items are`} kept and sent after
          the next sign-in.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          id="confirm-sign-out"
          className="danger"
          disabled={busy}
          onClick={() => { onConfirm(deleteLocal); }}
        >
          {busy ? "Signing out…" : "Sign out"}
        </button>
      </div>
    </Dialog>
  );
}
