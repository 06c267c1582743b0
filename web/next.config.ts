import type { NextConfig } from 'next';

/**
 * The web app is a client of reVo's GraphQL API and nothing else: every page renders in the browser
 * from GraphQL data, so the build is static pages plus one client bundle.
 */
const nextConfig: NextConfig = {
  // The end-to-end tests build into their own folder so they never clobber a developer's `.next`.
  distDir: process.env.REVO_WEB_DIST_DIR || '.next',
  reactStrictMode: true,
  poweredByHeader: false,
  // The inspector (next engineer) draws the pure machine definitions from @revo/actors (TypeScript sources).
  transpilePackages: ['@revo/actors'],
  // The end-to-end tests build without type checking: `npm run typecheck` does that once for CI.
  typescript: { ignoreBuildErrors: process.env.REVO_WEB_SKIP_TYPECHECK === '1' },
};

export default nextConfig;
