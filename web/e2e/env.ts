/** The end-to-end tests' settings: the only e2e file that reads `process.env`. */

/** `REVO_REQUIRE_SERVICES=1` (CI): a missing chromium fails the tests instead of skipping them. */
export const requireServices = process.env.REVO_REQUIRE_SERVICES === '1';

/** `REVO_CHROMIUM`: a chromium to use instead of Debian's. */
export const chromiumPath = process.env.REVO_CHROMIUM;

/** The parent's settings that must not leak into the stack's processes: the stack decides them. */
const OWN = /^(REVO_|OLLAMA_|REDIS_URL$|CLICKHOUSE_URL$|PORT$|HOST$|NEXT_PUBLIC_)/;

/** The environment for a process the stack starts, without the settings the stack decides. */
export const inheritedEnv = () => Object.fromEntries(Object.entries(process.env).filter(([name]) => !OWN.test(name)));
