import type { Connectivity } from "../bindings";

const LABELS: Record<Connectivity["state"], string> = {
  online: "Online",
  offline: "Offline",
  reconnecting: "Reconnecting…",
  signed_out: "Signed out",
};

/** Always on screen: field staff need to know whether what they send leaves now. */
export function ConnectivityIndicator({ connectivity }: { connectivity: Connectivity }) {
  const reason = "reason" in connectivity ? connectivity.reason : undefined;
  return (
    <div
      id="connectivity"
      className={`connectivity connectivity-${connectivity.state}`}
      data-state={connectivity.state}
      role="status"
      aria-live="polite"
      title={reason}
    >
      <span className="connectivity-dot" aria-hidden="true" />
      <span>{LABELS[connectivity.state]}</span>
      {connectivity.state === "offline" && (
        <span className="connectivity-note">: work is kept and sent when back online</span>
      )}
    </div>
  );
}
