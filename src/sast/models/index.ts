/** Every library model, and how module specifiers and type annotations map onto them. */
import { CLIENT_MODELS } from './client.js';
import { CREDENTIAL_CONFIG_TYPES, CREDENTIAL_MODELS } from './credentials.js';
import { DB_MODELS } from './db.js';
import { FRAMEWORK_HOOKS, FRAMEWORK_MODELS } from './frameworks.js';
import { SINK_MODELS } from './sinks.js';
import { VUE_MODELS } from './vue.js';
import { WEB_MODELS } from './web.js';
import type { CallCtx, ModelTable } from './types.js';

export { FRAMEWORK_HOOKS };

/** A fresh table per run: the engine adds synthetic entries (promise resolvers) while it works. */
export function modelTable(): ModelTable {
  const table: ModelTable = { ...WEB_MODELS, ...DB_MODELS, ...SINK_MODELS, ...CLIENT_MODELS, ...FRAMEWORK_MODELS, ...VUE_MODELS, ...CREDENTIAL_MODELS };
  // Database clients configured with a literal password: wrap their models with the credential check.
  for (const w of CREDENTIAL_CONFIG_TYPES) {
    const base = table[w.type];
    if (!base) continue;
    const key = w.construct ? 'construct' : 'call';
    const inner = base[key];
    table[w.type] = {
      ...base,
      [key]: (c: CallCtx) => {
        for (const k of w.keys) c.hardcoded(c.prop(c.arg(w.arg), k), w.label);
        return inner?.(c);
      },
    };
  }
  table['sequelize.Class'] = { ...table['sequelize.Class'], construct: (c) => (c.hardcoded(c.arg(2), 'database password'), c.api('sequelize.db')) };
  table.sequelize = { ...table.sequelize, construct: (c) => (c.hardcoded(c.arg(2), 'database password'), c.api('sequelize.db')) };
  return table;
}

/** Module specifier (after `node:` is dropped) → model type of the module value. */
const MODULE_ALIASES: Record<string, string> = {
  'koa-router': '@koa/router',
  hapi: '@hapi/hapi',
  mysql2: 'mysql',
  'mysql2/promise': 'mysql',
  'promise-mysql': 'mysql',
  'lodash/template': 'lodash.template',
  'lodash-es': 'lodash',
  underscore: 'lodash',
  'lodash/merge': 'lodash.merge',
  'lodash/mergeWith': 'lodash.mergewith',
  'lodash/defaultsDeep': 'lodash.defaultsdeep',
  'lodash/set': 'lodash.set',
  'lodash/escape': 'lodash.escape',
  'lodash.escape': 'lodash.escape',
  'lodash/escapeRegExp': 'lodash.escaperegexp',
  'graceful-fs': 'fs',
  'fs-extra/esm': 'fs-extra',
  'mz/fs': 'fs/promises',
  'node-fetch-commonjs': 'node-fetch',
  'dot-object': 'object-path',
  'xss-filters': 'xss',
  'libxmljs-dom': 'libxmljs',
  'child-process-promise': 'child_process',
  'sqlite3/lib/sqlite3': 'sqlite3',
  '@hapi/hoek': 'dom.noop',
  'path/posix': 'path',
  'dompurify/dist/purify.es.js': 'dompurify',
};

/** Packages whose modules are modelled under their own name. */
const KNOWN = new Set([
  'express', 'koa', '@koa/router', 'fastify', '@hapi/hapi', 'ws', 'socket.io', 'pg', 'pg-promise', 'postgres', 'mysql', 'sqlite3', 'sqlite', 'better-sqlite3', 'mssql', 'knex', 'sequelize',
  'typeorm', '@prisma/client', 'mongodb', 'marsdb', 'mongoose', 'mongo-sanitize', 'express-mongo-sanitize', 'child_process', 'shelljs', 'execa', 'cross-spawn', 'shell-quote', 'shell-escape', 'vm', 'vm2',
  'safe-eval', 'node-serialize', 'serialize-to-js', 'funcster', 'js-yaml', 'pug', 'jade', 'ejs', 'handlebars', 'nunjucks', 'lodash.template', 'lodash', 'lodash.merge', 'lodash.mergewith',
  'lodash.defaultsdeep', 'lodash.set', 'dot', 'mustache', 'fs', 'fs/promises', 'fs-extra', 'path', 'sanitize-filename', 'send', 'koa-send', 'node-fetch', 'cross-fetch', 'isomorphic-fetch',
  'undici', 'axios', 'got', 'request', 'superagent', 'needle', 'http', 'https', 'libxmljs', 'libxmljs2', 'winston', 'pino', 'bunyan', 'log4js', 'deep-extend', 'merge-deep', 'mixin-deep',
  'defaults-deep', 'dot-prop', 'set-value', 'object-path', 'jquery', 'escape-html', 'lodash.escape', 'escape-string-regexp', 'lodash.escaperegexp', 'he', 'entities', 'html-entities', 'xss',
  'sanitize-html', 'dompurify', 'isomorphic-dompurify', 'validator', 'sqlstring', 'pg-format', 'escape-goat', 'serialize-javascript', 'util', 'querystring', 'qs', 'url', 'next/headers',
  'next/navigation', 'next/server', '@angular/core', 'jsonwebtoken', 'express-session', 'cookie-session', 'cookie-parser', 'crypto', 'passport-jwt', 'vue', 'vue-router',
]);

export function moduleType(specifier: string): string | undefined {
  const s = specifier.replace(/^node:/, '');
  if (KNOWN.has(s)) return s;
  if (MODULE_ALIASES[s]) return MODULE_ALIASES[s];
  // Deep imports of a known package (`validator/lib/escape`) are not modelled one by one.
  if (s === 'http2') return 'http';
  return undefined;
}

/** Library types used in annotations → model type of a value of that type. */
const TYPES: Record<string, string> = {
  'express:Request': 'express.req',
  'express:Response': 'express.res',
  'express-serve-static-core:Request': 'express.req',
  'express-serve-static-core:Response': 'express.res',
  'koa:Context': 'koa.ctx',
  'koa:ParameterizedContext': 'koa.ctx',
  'koa:DefaultContext': 'koa.ctx',
  'fastify:FastifyRequest': 'fastify.request',
  'fastify:FastifyReply': 'fastify.reply',
  '@hapi/hapi:Request': 'hapi.request',
  '@hapi/hapi:ResponseToolkit': 'hapi.h',
  'next:NextApiRequest': 'express.req',
  'next:NextApiResponse': 'express.res',
  'next/server:NextRequest': 'next.request',
  'next:GetServerSidePropsContext': 'dom.noop',
  'http:IncomingMessage': 'http.req',
  'http:ServerResponse': 'http.res',
  'typeorm:Repository': 'typeorm.repo',
  'typeorm:MongoRepository': 'typeorm.repo',
  'typeorm:EntityManager': 'typeorm.ds',
  'typeorm:DataSource': 'typeorm.ds',
  'typeorm:Connection': 'typeorm.ds',
  'typeorm:SelectQueryBuilder': 'typeorm.qb',
  'pg:Pool': 'pg.client',
  'pg:Client': 'pg.client',
  'pg:PoolClient': 'pg.client',
  'mysql2/promise:Pool': 'mysql.conn',
  'mysql2/promise:Connection': 'mysql.conn',
  'mysql2/promise:PoolConnection': 'mysql.conn',
  'mysql:Connection': 'mysql.conn',
  'mysql:Pool': 'mysql.conn',
  'better-sqlite3:Database': 'bsqlite.db',
  'knex:Knex': 'knex.db',
  'sequelize:Sequelize': 'sequelize.db',
  '@prisma/client:PrismaClient': 'prisma.client',
  'mongodb:Collection': 'mongo.coll',
  'mongodb:Db': 'mongo.db',
  'mongoose:Model': 'orm.model',
  'ws:WebSocket': 'ws.socket',
  'socket.io:Socket': 'io.socket',
  'socket.io:Server': 'io.server',
  '@angular/platform-browser:DomSanitizer': 'angular.sanitizer',
  '@angular/router:ActivatedRoute': 'angular.route',
  '@angular/router:ActivatedRouteSnapshot': 'angular.snapshot',
  // Web-standard types used without an import (Next.js route handlers, workers).
  ':NextRequest': 'next.request',
};

export function annotationType(module: string, name: string): string | undefined {
  return TYPES[`${module.replace(/^node:/, '')}:${name}`];
}
