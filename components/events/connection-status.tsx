"use client";

import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import type { ConnectionState, ConnectionStatus } from "./use-live-stream.ts";

const LABEL: Record<ConnectionStatus, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  disconnected: "Disconnected",
};
const TONE: Record<ConnectionStatus, string> = { connecting: "pending", connected: "ok", reconnecting: "warn", disconnected: "bad" };

/** The live socket's state; a socket the server refused does not retry by itself, so it gets a Reconnect button. */
export function ConnectionStatusView({ connection, subscribed, onReconnect }: { connection: ConnectionState; subscribed: boolean; onReconnect: () => void }) {
  const { status, message } = connection;
  return (
    <div className="row">
      <span role="status" className="row" data-testid="live-connection" data-subscribed={subscribed}>
        <Badge tone={TONE[status]}>{LABEL[status]}</Badge>
        {message && status !== "connected" ? <span className="small muted">{message}</span> : null}
      </span>
      {status === "disconnected" ? (
        <Button small onClick={onReconnect}>
          Reconnect
        </Button>
      ) : null}
    </div>
  );
}
