/** Databases and data platforms: connection URIs with passwords, PlanetScale, Databricks, ClickHouse... */
import type { Detector, Validation } from '../types.js';
import { validateBasicAuth } from '../validators/structure.js';
import { decoyReason } from './decoys.js';
import { keyed, raw, token, UUID } from './build.js';

const family = 'database';

/** `scheme://user:password@host`: the password is the secret; user and host are reported. */
const USER = '(?<user>[^\\s:@/?#"\'`<>]{0,100})';
// Raw `#` and `?` are common in hand-written URLs (not percent-encoded); `@host` still ends it.
const PASSWORD = '(?<secret>[^\\s:@/"\'`<>]{1,200})';
const HOST = '@(?<host>[A-Za-z0-9._-]{1,255})';

/**
 * Placeholders (`${DB_PASSWORD}`, `<password>`, `****`) and defaults shipped in every
 * docker-compose file (`postgres:postgres@localhost`) are not leaks.
 */
function validateUriPassword(secret: string, m: RegExpExecArray): Validation {
  let password = secret;
  try {
    password = decodeURIComponent(secret);
  } catch {
    // not percent-encoded: keep it as written
  }
  const user = m.groups?.['user'] ?? '';
  const host = m.groups?.['host'] ?? '';
  const reason = decoyReason(password, user);
  if (reason && !/^number/.test(reason)) return { status: 'invalid', note: `password is a ${reason}` };
  if (password.length < 4 || password === user) return { status: 'invalid', note: 'trivial password' };
  if (/^\$|^%|^\{|^</.test(password)) return { status: 'invalid', note: 'password is a template' };
  return { status: 'unknown', properties: { ...(user && { user }), ...(host && { host }) } };
}

/** A password found by its key (`SNOWFLAKE_PASSWORD=...`): placeholders, templates and words are not leaks. */
function validateKeyedPassword(secret: string): Validation {
  const reason = decoyReason(secret, '');
  if (reason) return { status: 'invalid', note: `password is a ${reason}` };
  if (/^\$|^%|^\{|^<|^\*+$/.test(secret)) return { status: 'invalid', note: 'password is a template' };
  return { status: 'unknown' };
}

function uri(id: string, title: string, schemes: string, keywords: string[]): Detector {
  return raw({
    id,
    title,
    family,
    // Found by position, not shape: a shaped token inside (pscale_pw_...) is the better report.
    confidence: 'medium',
    keywords,
    // Only the scheme is case-insensitive in practice; `i` also lets `POSTGRES://` through.
    source: `(?<![A-Za-z0-9+.-])(?:${schemes})://${USER}:${PASSWORD}${HOST}`,
    flags: 'i',
    validate: validateUriPassword,
  });
}

export const DATABASE_DETECTORS: Detector[] = [
  uri('postgres-connection-uri', 'PostgreSQL connection URI with password', '(?:postgres|postgresql|pgsql|cockroachdb|redshift|timescale)[+a-z0-9]{0,20}', [
    'postgres',
    'pgsql',
    'cockroachdb',
    'redshift',
    'timescale',
  ]),
  uri('mysql-connection-uri', 'MySQL / MariaDB connection URI with password', '(?:mysql|mysqlx|mariadb)[+a-z0-9]{0,20}', ['mysql', 'mariadb']),
  uri('mongodb-connection-uri', 'MongoDB connection URI with password', 'mongodb(?:\\+srv)?', ['mongodb']),
  uri('redis-connection-uri', 'Redis connection URI with password', 'rediss?', ['redis']),
  uri('amqp-connection-uri', 'AMQP (RabbitMQ) connection URI with password', 'amqps?', ['amqp']),
  uri('neo4j-connection-uri', 'Neo4j connection URI with password', '(?:neo4j|bolt)(?:\\+s|\\+ssc)?', ['neo4j', 'bolt']),
  uri('sqlserver-connection-uri', 'SQL Server connection URI with password', '(?:sqlserver|mssql)', ['sqlserver', 'mssql']),
  // Snowflake's SQLAlchemy / Go driver DSN: `snowflake://user:password@<account>/db/schema?warehouse=...`
  // (the host part is the account identifier, reported as `host`).
  uri('snowflake-connection-uri', 'Snowflake connection URI with password', 'snowflake', ['snowflake']),
  // Couchbase SDK connection strings carry no credentials by design, but `couchbase://user:pass@host`
  // is accepted by several clients and written in docker-compose and CI files; Capella hosts are
  // `cb.<id>.cloud.couchbase.com` (`couchbases://` is TLS).
  uri('couchbase-connection-uri', 'Couchbase / Capella connection URI with password', 'couchbases?', ['couchbase']),
  keyed({
    id: 'snowflake-password',
    title: 'Snowflake user password',
    family,
    keywords: ['snowflake', 'snowsql_pwd', 'snowsql-pwd'],
    // SNOWFLAKE_PASSWORD (connectors, dbt, Terraform provider), SNOWSQL_PWD (SnowSQL CLI).
    names: ['snowflake[A-Za-z0-9_.-]{0,16}(?:password|passwd|pwd)', 'snowsql[_.-]?pwd'],
    value: '[^\\s"\'`;,]{8,128}',
    validate: validateKeyedPassword,
  }),
  keyed({
    id: 'couchbase-password',
    title: 'Couchbase / Capella database password',
    family,
    keywords: ['couchbase', 'capella', 'cb_password', 'cb-password'],
    names: ['(?:couchbase|capella)[A-Za-z0-9_.-]{0,16}(?:password|passwd|pwd)', 'cb[_.-]password'],
    value: '[^\\s"\'`;,]{8,128}',
    validate: validateKeyedPassword,
  }),
  raw({
    id: 'jdbc-connection-password',
    title: 'JDBC URL with password',
    family,
    keywords: ['jdbc:'],
    source: 'jdbc:[a-z0-9]{2,20}:[^\\s"\'<>]{1,300}?[?;&]password=(?<secret>[^&;\\s"\'<>]{3,200})',
    flags: 'i',
    validate: (secret, m) => validateUriPassword(secret, m),
  }),
  token({
    id: 'planetscale-api-token',
    title: 'PlanetScale service token',
    family,
    keywords: ['pscale_tkn_'],
    pattern: 'pscale_tkn_[A-Za-z0-9_=.-]{32,64}',
    after: '(?![A-Za-z0-9_=.-])',
    minEntropy: 3.8,
  }),
  token({
    id: 'planetscale-password',
    title: 'PlanetScale database password',
    family,
    keywords: ['pscale_pw_'],
    pattern: 'pscale_pw_[A-Za-z0-9_=.-]{32,64}',
    after: '(?![A-Za-z0-9_=.-])',
    minEntropy: 3.8,
  }),
  token({
    id: 'planetscale-oauth-token',
    title: 'PlanetScale OAuth token',
    family,
    keywords: ['pscale_oauth_'],
    pattern: 'pscale_oauth_[A-Za-z0-9_=.-]{32,64}',
    after: '(?![A-Za-z0-9_=.-])',
    minEntropy: 3.8,
  }),
  token({
    id: 'databricks-token',
    title: 'Databricks personal access token',
    family,
    severity: 'critical',
    keywords: ['dapi'],
    pattern: 'dapi[a-f0-9]{32}(?:-[0-9])?',
    minEntropy: 3,
  }),
  token({
    id: 'clickhouse-cloud-api-secret',
    title: 'ClickHouse Cloud API secret',
    family,
    keywords: ['4b1d'],
    pattern: '4b1d[A-Za-z0-9]{38}',
    minEntropy: 4,
  }),
  keyed({
    id: 'mongodb-atlas-private-key',
    title: 'MongoDB Atlas API private key',
    family,
    keywords: ['atlas'],
    names: ['(?:mongodb[_.-]|mongodb)?atlas[A-Za-z0-9_.-]{0,16}private[_.-]?key'],
    value: UUID,
    minEntropy: 3,
  }),
  keyed({
    id: 'influxdb-token',
    title: 'InfluxDB API token',
    family,
    keywords: ['influx'],
    names: ['influx(?:db)?[A-Za-z0-9_.-]{0,16}token'],
    value: '[A-Za-z0-9_-]{86}==',
    minEntropy: 4.5,
  }),
  keyed({
    id: 'elasticsearch-api-key',
    title: 'Elasticsearch API key (encoded)',
    family,
    keywords: ['elastic', 'es_api_key', 'es-api-key'],
    names: ['elastic(?:search)?[A-Za-z0-9_.-]{0,16}api[_.-]?key', 'es[_.-]api[_.-]key'],
    value: '[A-Za-z0-9+/]{40,120}={0,2}',
    // The encoded key is base64 of `id:api_key`.
    validate: validateBasicAuth,
  }),
  keyed({
    id: 'upstash-redis-token',
    title: 'Upstash Redis REST token',
    family,
    keywords: ['upstash'],
    names: ['upstash[A-Za-z0-9_.-]{0,20}token'],
    value: 'A[A-Za-z0-9_-]{40,120}={0,2}',
    minEntropy: 4,
  }),
];
