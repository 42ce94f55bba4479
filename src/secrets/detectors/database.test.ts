import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { DATABASE_DETECTORS } from './database.js';
import { ALNUM, B64, B64URL, checkCase, coverageGaps, Fake, HEX, Rng, type DetectorCase } from './fake.js';

const f = new Fake(new Rng(9009));
const env = (key: string, secret: string): [string, string] => [`${key}=${secret}`, secret];
const line = (secret: string, render: (s: string) => string): [string, string] => [render(secret), secret];
const pw = () => f.str(ALNUM, 12) + f.rng.pick(['!', '#', '_', '.', '~']) + f.str(ALNUM, 4);

const CASES: DetectorCase[] = [
  {
    id: 'postgres-connection-uri',
    pos: [line(pw(), (s) => `DATABASE_URL=postgres://app:${s}@db.internal:5432/app`), line(pw(), (s) => `url: postgresql+psycopg2://etl:${s}@10.0.4.7/warehouse?sslmode=require`)],
    neg: ['DATABASE_URL=postgres://postgres:postgres@localhost:5432/app', 'postgres://app:${DB_PASSWORD}@db:5432/app', 'postgresql://user:password@host/db', 'postgres://app@db/app'],
  },
  { id: 'mysql-connection-uri', pos: [line(pw(), (s) => `MYSQL_URL="mysql://root:${s}@mysql.prod:3306/shop"`)], neg: ['mysql://root:root@localhost/test', 'mysql://user:<password>@host/db'] },
  {
    id: 'mongodb-connection-uri',
    pos: [line(pw(), (s) => `MONGO_URI=mongodb+srv://svc-api:${s}@cluster0.ab1cd.mongodb.net/prod?retryWrites=true`)],
    neg: ['mongodb+srv://<username>:<password>@cluster0.mongodb.net/', 'mongodb://admin:****@mongo:27017'],
  },
  { id: 'redis-connection-uri', pos: [line(pw(), (s) => `REDIS_URL=rediss://:${s}@cache.internal:6380/0`), line(pw(), (s) => `redis://default:${s}@redis-12345.c1.cloud.redislabs.com:12345`)], neg: ['redis://:${REDIS_PASSWORD}@redis:6379'] },
  { id: 'amqp-connection-uri', pos: [line(pw(), (s) => `CELERY_BROKER_URL = "amqps://worker:${s}@mq.internal:5671/prod"`)], neg: ['amqp://guest:guest@localhost:5672/'] },
  { id: 'neo4j-connection-uri', pos: [line(pw(), (s) => `NEO4J_URI=neo4j+s://neo4j:${s}@abcd1234.databases.neo4j.io`)], neg: ['bolt://neo4j:neo4j@localhost:7687'] },
  { id: 'sqlserver-connection-uri', pos: [line(pw(), (s) => `dsn := "sqlserver://sa:${s}@sql.internal:1433?database=orders"`)], neg: ['sqlserver://sa:%s@%s:1433'] },
  {
    id: 'jdbc-connection-password',
    pos: [line(pw(), (s) => `spring.datasource.url=jdbc:mysql://db.internal:3306/app?user=app&password=${s}&useSSL=true`)],
    neg: ['jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}', 'jdbc:mysql://localhost/app?user=app'],
  },
  { id: 'planetscale-api-token', pos: [env('PLANETSCALE_SERVICE_TOKEN', `pscale_tkn_${f.str(B64URL, 43)}`)], neg: [`pscale_tkn_${f.str(B64URL, 12)}`] },
  { id: 'planetscale-password', pos: [line(`pscale_pw_${f.str(B64URL, 43)}`, (s) => `mysql://app:${s}@aws.connect.psdb.cloud/app`)], neg: [`pscale_pw_${f.str(B64URL, 10)}`] },
  { id: 'planetscale-oauth-token', pos: [env('PSCALE_TOKEN', `pscale_oauth_${f.str(B64URL, 43)}`)], neg: [`pscale_oauth_${f.str(B64URL, 10)}`] },
  { id: 'databricks-token', pos: [env('DATABRICKS_TOKEN', `dapi${f.str(HEX, 32)}`), env('DATABRICKS_TOKEN', `dapi${f.str(HEX, 32)}-2`)], neg: [`dapi${f.str(HEX, 20)}`] },
  { id: 'clickhouse-cloud-api-secret', pos: [env('CLICKHOUSE_KEY_SECRET', `4b1d${f.str(ALNUM, 38)}`)], neg: [`4b1d${f.str(ALNUM, 20)}`] },
  { id: 'mongodb-atlas-private-key', pos: [env('MONGODB_ATLAS_PRIVATE_KEY', f.uuid())], neg: [`MONGODB_ATLAS_PUBLIC_KEY=${f.str(ALNUM, 8)}`] },
  { id: 'influxdb-token', pos: [env('INFLUXDB_TOKEN', `${f.str(B64URL, 86)}==`)], neg: [`INFLUXDB_TOKEN=${f.str(B64URL, 40)}`] },
  {
    id: 'elasticsearch-api-key',
    pos: [env('ELASTIC_API_KEY', Buffer.from(`${f.str(B64URL, 20)}:${f.str(B64URL, 22)}`).toString('base64'))],
    neg: [`ELASTIC_API_KEY=${f.str(B64, 56)}`],
  },
  { id: 'upstash-redis-token', pos: [env('UPSTASH_REDIS_REST_TOKEN', `A${f.str(B64URL, 60)}=`)], neg: ['UPSTASH_REDIS_REST_URL=https://eu1-fun-12345.upstash.io'] },
  {
    id: 'snowflake-connection-uri',
    pos: [line(pw(), (s) => `SNOWFLAKE_URL=snowflake://etl_user:${s}@xy12345.eu-central-1/analytics/public?warehouse=etl_wh`)],
    neg: ['snowflake://etl_user:${SNOWFLAKE_PASSWORD}@xy12345/analytics', 'snowflake://user:password@account/db'],
  },
  {
    id: 'couchbase-connection-uri',
    pos: [line(pw(), (s) => `CB_URL=couchbases://app:${s}@cb.k3x9abcq1w.cloud.couchbase.com`)],
    neg: ['couchbase://localhost', 'couchbase://Administrator:password@localhost'],
  },
  { id: 'snowflake-password', pos: [env('SNOWFLAKE_PASSWORD', pw()), env('SNOWSQL_PWD', pw())], neg: ['SNOWFLAKE_PASSWORD=${{ secrets.SNOWFLAKE_PASSWORD }}', 'SNOWFLAKE_PASSWORD=changeme', 'SNOWFLAKE_ACCOUNT=xy12345'] },
  { id: 'couchbase-password', pos: [env('COUCHBASE_PASSWORD', pw()), env('CB_PASSWORD', pw())], neg: ['COUCHBASE_PASSWORD=$COUCHBASE_PASSWORD', 'COUCHBASE_USERNAME=Administrator'] },
];

describe('database detectors', () => {
  for (const c of CASES) it(c.id, () => expect(checkCase(c, detectSecrets)).toEqual([]));
  it('coverage: every detector has positive and negative examples', () => expect(coverageGaps(DATABASE_DETECTORS, CASES)).toEqual([]));

  it('reports user and host, never the password, as properties', () => {
    const m = detectSecrets(`postgres://billing:${pw()}@pg.prod.internal:5432/billing`)[0];
    expect(m?.validation.properties).toEqual({ user: 'billing', host: 'pg.prod.internal' });
  });
});
