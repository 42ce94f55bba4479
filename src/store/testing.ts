/**
 * Test support: a throw-away PostgreSQL database on the test server (test/services.ts), created
 * for one test file and dropped after it. Not used by the product.
 */
import { randomBytes } from 'node:crypto';

export interface TempDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTempPostgres(serverUrl: string): Promise<TempDatabase> {
  const pg = (await import('pg')).default;
  const name = `pw_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
