import { ensureDebianBinary } from "../../test/support/debian-package.ts";

/** CI starts on a machine where nothing was installed by hand: install Debian's Chromium when missing. */
export default function globalSetup(): void {
  ensureDebianBinary("chromium", "chromium");
}
