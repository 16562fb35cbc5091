import type { NextConfig } from "next";

const config: NextConfig = {
  // The console is served by Herald's own HTTP server (server/http/console-pages.ts), never by `next start`.
  poweredByHeader: false,
  reactStrictMode: true,
  // tsc checks the whole project in `npm test`; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  devIndicators: false,
};

export default config;
