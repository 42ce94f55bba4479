/**
 * Where the real servers the tests use live (PostgreSQL, Redis, Chromium). `.ci/services.sh`
 * installs and starts them and prints these variables; `.ci/run` exports them. On a developer
 * machine without them, the tests that need a server are skipped with a notice, but in CI
 * (PIPEWARDEN_REQUIRE_SERVICES=1) a missing server is a failure, never a silent skip.
 *
 *   eval "$(bash .ci/services.sh)"   # as root on Debian: install, start, export
 */
import { existsSync } from 'node:fs';

export type ServiceName = 'postgres' | 'redis' | 'chromium';

const VARIABLES: Record<ServiceName, string> = {
  postgres: 'PIPEWARDEN_TEST_PG_URL',
  redis: 'PIPEWARDEN_TEST_REDIS_URL',
  chromium: 'PIPEWARDEN_TEST_CHROMIUM',
};

const required = process.env.PIPEWARDEN_REQUIRE_SERVICES === '1';
const noticed = new Set<ServiceName>();

/**
 * The service's URL (or executable path for chromium), or undefined when it is not configured
 * and not required. Use with `describe.skipIf(!serviceUrl('postgres'))`.
 */
export function serviceUrl(name: ServiceName): string | undefined {
  const variable = VARIABLES[name];
  let value = process.env[variable];
  if (!value && name === 'chromium' && existsSync('/usr/bin/chromium')) value = '/usr/bin/chromium';
  if (value) return value;
  if (required) throw new Error(`${variable} is not set but PIPEWARDEN_REQUIRE_SERVICES=1: run eval "$(bash .ci/services.sh)"`);
  if (!noticed.has(name)) {
    noticed.add(name);
    process.stderr.write(`note: ${variable} not set; tests that need ${name} are skipped (eval "$(bash .ci/services.sh)" starts it)\n`);
  }
  return undefined;
}
