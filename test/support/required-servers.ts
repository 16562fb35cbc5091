import { ensureDebianBinaries } from "./debian-package.ts";

/**
 * Every Debian server the suite starts, as [binary, package]. They are
 * installed once, one after another, by the global setup before any test file
 * runs: test files run in parallel workers, and two apt-get runs at once would
 * fight over dpkg's lock.
 */
export const REQUIRED_SERVERS: readonly (readonly [binary: string, pkg: string])[] = [
  ["redis-server", "redis-server"],
  ["rabbitmq-server", "rabbitmq-server"],
  ["nats-server", "nats-server"],
  ["mosquitto", "mosquitto"],
  ["/usr/lib/postgresql/15/bin/postgres", "postgresql"],
  ["mariadbd", "mariadb-server"],
];

export function installRequiredServers(): void {
  ensureDebianBinaries(REQUIRED_SERVERS);
}
