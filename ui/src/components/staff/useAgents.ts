import { useEffect, useState } from "react";
import type { UserRef } from "../../bindings";
import { staffApi } from "../../staffApi";

/**
 * Who tickets can be assigned to, read once per screen: the server's active agents, or
 * (offline) the people this device has seen tickets assigned to.
 */
export function useAgents(): UserRef[] {
  const [agents, setAgents] = useState<UserRef[]>([]);
  useEffect(() => {
    let active = true;
    staffApi.agents().then(
      (list) => {
        if (active) setAgents(list);
      },
      () => {
        // Assigning to me still works; the list is an extra.
      },
    );
    return () => {
      active = false;
    };
  }, []);
  return agents;
}
