import type { InfoLine } from "../bindings";

interface Props {
  lines: InfoLine[] | undefined;
  error: string | null;
  removed: ReadonlySet<string>;
  attach: boolean;
  onAttach: (attach: boolean) => void;
  onRemove: (key: string) => void;
  onRestore: () => void;
}

/** The user sees exactly what will be sent and can take out any line of it. */
export function SystemInfoList({ lines, error, removed, attach, onAttach, onRemove, onRestore }: Props) {
  const shown = (lines ?? []).filter((line) => !removed.has(line.key));
  return (
    <fieldset className="system-info">
      <legend>System details</legend>
      <label className="check">
        <input
          type="checkbox"
          name="attach_system_info"
          checked={attach}
          onChange={(e) => { onAttach(e.target.checked); }}
        />
        Attach system details (helps support find the cause faster)
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {attach && (
        <>
          <ul id="system-info" aria-label="System details to send">
            {shown.map((line) => (
              <li key={line.key} data-key={line.key}>
                <span className="info-label">{line.label}</span>
                <span className="info-value">{line.value}</span>
                <button
                  type="button"
                  className="remove-info"
                  aria-label={`Remove ${line.label}`}
                  onClick={() => { onRemove(line.key); }}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          {lines === undefined && !error && <p className="hint">Gathering system details…</p>}
          {removed.size > 0 && (
            <button type="button" className="link-button" onClick={onRestore}>
              Put back removed details ({removed.size})
            </button>
          )}
        </>
      )}
    </fieldset>
  );
}
