/**
 * Databases: SQL drivers and ORMs (sql-injection), MongoDB and mongoose (nosql-injection), and
 * what they read back (second-order sources: rows of a table the app writes request data into).
 */
import { ALL_KINDS, mask } from '../kinds.js';
import { EMPTY, join, joinAll, newObj, objValue, type Taint, type Value } from '../values.js';
import { callbacks, chain, lastFnIndex, sqlTable, sqlText } from './helpers.js';
import type { ApiModel, CallCtx, ModelTable } from './types.js';

/**
 * A query call: the text is a sink; an INSERT/UPDATE with request data makes its table a store,
 * a SELECT reads rows back from it. `params` is the index of the bound values, if any.
 */
function query(c: CallCtx, textIndex = 0, paramsIndex = 1, label?: string): Value {
  let text = c.arg(textIndex);
  const config = text.objs?.length ? text : undefined;
  if (config) text = join(c.prop(config, 'text'), c.prop(config, 'sql'));
  c.sink('sql-injection', text, c.argNodes[textIndex], { label: label ?? c.callee, note: 'build the query with placeholders and pass values separately' });
  const info = sqlTable(sqlText(c, textIndex) || (config ? JSON.stringify(c.prop(config, 'text').str ?? '') : ''));
  const params = join(c.arg(paramsIndex), config ? c.prop(config, 'values') : EMPTY);
  if (info?.write) writeTable(c, info.table, info.columns, join(params, text));
  const rows = info?.read ? c.storeRead(`sql:${info.table}`, `rows read from ${info.table}`) : EMPTY;
  const cb = lastFnIndex(c);
  if (cb > textIndex) c.call(c.arg(cb), [EMPTY, rows, EMPTY]);
  return rows;
}

const queryFn = (textIndex = 0, paramsIndex = 1): ApiModel => ({ call: (c) => query(c, textIndex, paramsIndex) });

/** better-sqlite3 / sqlite statements remember their SQL's table: `bsqlite.stmt#sql:users:w`. */
function prepare(stmtType: string): ApiModel {
  return {
    call: (c) => {
      c.sink('sql-injection', c.arg(0), c.argNodes[0], { note: 'prepare the statement with ? placeholders and bind the values' });
      const info = sqlTable(sqlText(c, 0));
      return c.api(info ? `${stmtType}#sql:${info.table}:${info.write ? 'w' : info.read ? 'r' : ''}${info.columns ? `:${info.columns.join(',')}` : ''}` : stmtType);
    },
  };
}

function stmtStore(c: CallCtx): { table: string; write: boolean; read: boolean; columns?: string[] } | undefined {
  // The table rides on the statement's type: the method's own type, or (stmt.run()) the receiver's.
  const type = [c.type, ...(c.recv?.api ?? [])].find((t) => t.includes('#sql:'));
  if (!type) return undefined;
  const [, table, mode, columns] = /^sql:([^:]+):(\w*)(?::([\w,]+))?$/.exec(type.slice(type.indexOf('#') + 1)) ?? [];
  return table ? { table, write: mode === 'w', read: mode === 'r', ...(columns && { columns: columns.split(',') }) } : undefined;
}

/**
 * Per analysis run: for each table, the columns read by name so far and what was written to it
 * without naming columns (`INSERT INTO t VALUES (...)`), so that either order of analysis makes
 * every column read by name live after such a write. The engine keeps one finding per sink and
 * checks stores only at the end, so a field must carry exactly one stored taint (`sql:t.col`);
 * it cannot carry a column taint and a table-wide one side by side. A run is recognised by a flag
 * only it has (flags live in the engine); the analysis is synchronous, so runs do not interleave.
 */
let columnState: { token: string; tables: Map<string, { read: Set<string>; unnamed: Value | undefined }> } | undefined;
let runs = 0;

function tableState(c: CallCtx, table: string): { read: Set<string>; unnamed: Value | undefined } {
  if (!columnState || !c.flag(columnState.token)) {
    columnState = { token: `sql-columns:${++runs}`, tables: new Map() };
    c.setFlag(columnState.token);
  }
  let t = columnState.tables.get(table);
  if (!t) columnState.tables.set(table, (t = { read: new Set(), unnamed: undefined }));
  return t;
}

/**
 * Request data written to a table. Besides the table (`sql:t`, which makes its rows as a whole a
 * second-order source), each column it sets becomes a store of its own (`sql:t.col`); when the SQL
 * does not name them, every column: a column the app never writes from request data (an
 * autoincrement id, a timestamp set in SQL) does not carry request data when read back.
 */
function writeTable(c: CallCtx, table: string, columns: readonly string[] | undefined, v: Value): void {
  c.storeWrite(`sql:${table}`, v);
  if (columns) {
    for (const col of columns) c.storeWrite(`sql:${table}.${col}`, v);
    return;
  }
  const state = tableState(c, table);
  state.unnamed = join(state.unnamed, v);
  for (const col of state.read) c.storeWrite(`sql:${table}.${col}`, v);
}

/**
 * Rows read back with a known shape (statement `get`/`all`/`iterate`/`each`): each row is an
 * object whose field `f` is a second-order source only when column `f` (or an unnamed column) was
 * written from request data. The row and the array also carry the table-level taint, with `obj`
 * off so that naming a field does not inherit it: it stands for the row as a whole (stringified,
 * read with a computed key, sent as JSON).
 */
function readRows(c: CallCtx, table: string, one: boolean): { rows: Value; row: Value } {
  const label = `rows read from ${table}`;
  const whole = c.source(label, { category: 'stored', store: `sql:${table}`, whole: true });
  const o = newObj();
  const fields = new Map<string, Value>();
  o.lazy = (key) => {
    const col = key.toLowerCase();
    let f = fields.get(col);
    if (!f) {
      f = c.source(label, { category: 'stored', store: `sql:${table}.${col}` });
      fields.set(col, f);
      const state = tableState(c, table);
      state.read.add(col);
      if (state.unnamed) c.storeWrite(`sql:${table}.${col}`, state.unnamed);
    }
    return f;
  };
  const row = join(objValue(o), whole);
  if (one) return { rows: row, row };
  const arr = newObj();
  arr.elem = row;
  return { rows: join(objValue(arr), whole), row };
}

const stmtRun: ApiModel = {
  call: (c) => {
    const s = stmtStore(c);
    if (s?.write) writeTable(c, s.table, s.columns, joinAll(c.args));
    if (s?.read) {
      const method = /(\w+)\s*$/.exec(c.callee)?.[1] ?? '';
      if (['get', 'all', 'iterate', 'each'].includes(method)) {
        const { rows, row } = readRows(c, s.table, method === 'get');
        // sqlite3: get/all hand the callback (err, row | rows), each hands it (err, row) per row.
        callbacks(c, [EMPTY, method === 'each' ? row : rows]);
        return method === 'each' ? EMPTY : rows;
      }
      const rows = c.storeRead(`sql:${s.table}`, `rows read from ${s.table}`);
      callbacks(c, [EMPTY, rows]);
      return rows;
    }
    return EMPTY;
  },
};

const SQL: ModelTable = {
  // pg
  pg: { members: { Pool: 'pg.PoolClass', Client: 'pg.PoolClass', native: 'pg' } },
  'pg.PoolClass': { construct: (c) => c.api('pg.client') },
  'pg.client': { members: { query: 'pg.query', connect: 'pg.connect', escapeLiteral: 'sql.escape', escapeIdentifier: 'sql.escape', release: 'pg.noop', end: 'pg.noop', on: 'pg.noop' } },
  'pg.query': queryFn(),
  'pg.connect': {
    call: (c) => {
      callbacks(c, [EMPTY, c.api('pg.client'), EMPTY]);
      return c.api('pg.client');
    },
  },
  'pg.noop': {},
  'pg-promise': { call: (c) => c.api('pgp') },
  pgp: { call: (c) => c.api('pg.client.promise'), members: { as: 'pgp.as' } },
  'pgp.as': { members: { format: 'pgp.format', text: 'sql.escape', name: 'sql.escape' } },
  'pgp.format': { call: (c) => c.clean(c.propagate(c.arg(0)), 0) },
  'pg.client.promise': { members: Object.fromEntries(['query', 'none', 'one', 'many', 'any', 'oneOrNone', 'manyOrNone', 'result', 'multi', 'each', 'map'].map((m) => [m, 'pg.query'])) },
  postgres: { call: (c) => c.api('postgres.sql') },
  'postgres.sql': { tag: () => EMPTY, members: { unsafe: 'postgres.unsafe', begin: 'pg.noop', end: 'pg.noop' } },
  'postgres.unsafe': queryFn(),
  // mysql, mysql2 (callback and promise APIs)
  mysql: { members: { createConnection: 'mysql.create', createPool: 'mysql.create', createPoolCluster: 'mysql.create', escape: 'sql.escape', escapeId: 'sql.escape', format: 'mysql.format' } },
  'mysql.create': { call: (c) => c.api('mysql.conn') },
  'mysql.conn': { members: { query: 'mysql.query', execute: 'mysql.query', getConnection: 'mysql.getConnection', escape: 'sql.escape', escapeId: 'sql.escape', format: 'mysql.format', promise: 'mysql.promise', end: 'pg.noop', release: 'pg.noop', connect: 'pg.noop', on: 'pg.noop', beginTransaction: 'pg.noop', commit: 'pg.noop', rollback: 'pg.noop' } },
  'mysql.promise': chain('mysql.conn'),
  'mysql.query': {
    // Callback and promise APIs alike: `const [rows] = await db.query(...)` reads the same taint.
    call: (c) => query(c),
  },
  'mysql.getConnection': {
    call: (c) => {
      callbacks(c, [EMPTY, c.api('mysql.conn')]);
      return c.api('mysql.conn');
    },
  },
  // mysql.format('... ?', [values]) escapes the values it substitutes.
  'mysql.format': { call: (c) => c.propagate(c.arg(0)) },
  'sql.escape': { call: (c) => c.clean(c.propagate(c.arg(0)), mask(['sql-injection'])) },
  // sqlite3
  sqlite3: { members: { Database: 'sqlite3.DatabaseClass', verbose: 'sqlite3.verbose', cached: 'sqlite3' } },
  'sqlite3.verbose': chain('sqlite3'),
  'sqlite3.DatabaseClass': { construct: (c) => c.api('sqlite3.db') },
  'sqlite3.db': { members: Object.fromEntries([...['run', 'get', 'all', 'each', 'exec'].map((m) => [m, 'sqlite3.query']), ['prepare', 'sqlite3.prepare'], ['serialize', 'sqlite3.serialize'], ['parallelize', 'sqlite3.serialize']]) },
  'sqlite3.query': queryFn(),
  'sqlite3.prepare': prepare('sqlite3.stmt'),
  'sqlite3.stmt': { members: { run: 'sqlite3.stmtRun', get: 'sqlite3.stmtRun', all: 'sqlite3.stmtRun', each: 'sqlite3.stmtRun', bind: 'sqlite3.stmtChain', finalize: 'pg.noop' } },
  'sqlite3.stmtRun': stmtRun,
  'sqlite3.stmtChain': { call: (c) => c.api(c.type.replace(/\.stmtChain$/, '')) },
  'sqlite3.serialize': { call: (c) => void callbacks(c, []) },
  // sqlite (promise wrapper)
  sqlite: { members: { open: 'sqlite.open' } },
  'sqlite.open': { call: (c) => c.api('sqlite3.db') },
  // better-sqlite3
  'better-sqlite3': { call: (c) => c.api('bsqlite.db'), construct: (c) => c.api('bsqlite.db') },
  'bsqlite.db': { members: { prepare: 'bsqlite.prepare', exec: 'bsqlite.exec', pragma: 'bsqlite.exec', transaction: 'bsqlite.transaction', close: 'pg.noop', function: 'pg.noop' } },
  'bsqlite.prepare': prepare('bsqlite.stmt'),
  'bsqlite.exec': queryFn(0, -1),
  'bsqlite.transaction': { call: (c) => c.arg(0) },
  'bsqlite.stmt': { members: { run: 'bsqlite.stmtRun', get: 'bsqlite.stmtRun', all: 'bsqlite.stmtRun', iterate: 'bsqlite.stmtRun', pluck: 'bsqlite.stmtSelf', raw: 'bsqlite.stmtSelf', expand: 'bsqlite.stmtSelf', bind: 'bsqlite.stmtSelf' } },
  'bsqlite.stmtRun': stmtRun,
  'bsqlite.stmtSelf': { call: (c) => c.api(c.recv?.api?.[0] ?? 'bsqlite.stmt') },
  // mssql
  mssql: { members: { connect: 'mssql.connect', ConnectionPool: 'mssql.PoolClass', Request: 'mssql.RequestClass', query: 'mssql.tagOrQuery' } },
  'mssql.connect': { call: (c) => c.api('mssql.pool') },
  'mssql.PoolClass': { construct: (c) => c.api('mssql.pool') },
  'mssql.RequestClass': { construct: (c) => c.api('mssql.request') },
  'mssql.pool': { members: { request: 'mssql.newRequest', query: 'mssql.tagOrQuery', connect: 'mssql.connect', batch: 'mssql.tagOrQuery' } },
  'mssql.newRequest': { call: (c) => c.api('mssql.request') },
  'mssql.request': { members: { query: 'mssql.query', batch: 'mssql.query', input: 'mssql.requestChain', output: 'mssql.requestChain', execute: 'pg.noop' } },
  'mssql.requestChain': chain('mssql.request'),
  'mssql.query': queryFn(0, -1),
  'mssql.tagOrQuery': { call: (c) => query(c, 0, -1), tag: () => EMPTY },
  // knex
  knex: { call: (c) => c.api('knex.db'), members: { knex: 'knex' } },
  'knex.db': {
    call: (c) => c.api(c.str(0) ? `knex.qb#sql:${c.str(0)!.toLowerCase()}` : 'knex.qb'),
    members: { raw: 'knex.raw', schema: 'pg.noop', transaction: 'knex.trx', destroy: 'pg.noop', fn: 'pg.noop', ref: 'pg.noop' },
  },
  'knex.trx': { call: (c) => void callbacks(c, [c.api('knex.db')]) },
  'knex.raw': queryFn(),
  'knex.qb': { members: { ...Object.fromEntries(['whereRaw', 'orWhereRaw', 'havingRaw', 'orHavingRaw', 'orderByRaw', 'groupByRaw', 'joinRaw', 'selectRaw', 'fromRaw', 'andWhereRaw', 'onRaw'].map((m) => [m, 'knex.rawPart'])), insert: 'knex.write', update: 'knex.write', upsert: 'knex.write', raw: 'knex.raw' } },
  'knex.rawPart': {
    call: (c) => {
      c.sink('sql-injection', c.arg(0), c.argNodes[0], { note: 'use ? bindings: .whereRaw("id = ?", [id])' });
      return c.api(c.recv?.api?.[0] ?? 'knex.qb');
    },
  },
  'knex.write': {
    call: (c) => {
      const store = storeOf(c);
      if (store) c.storeWrite(store, c.arg(0));
      return c.api(c.recv?.api?.[0] ?? 'knex.qb');
    },
  },
  // sequelize
  sequelize: { members: { Sequelize: 'sequelize.Class', literal: 'sequelize.literal', Model: 'sequelize.ModelBase', Op: 'pg.noop', DataTypes: 'pg.noop', QueryTypes: 'pg.noop' }, construct: (c) => c.api('sequelize.db') },
  'sequelize.Class': { construct: (c) => c.api('sequelize.db'), members: { literal: 'sequelize.literal', Op: 'pg.noop' } },
  'sequelize.db': { members: { query: 'sequelize.query', literal: 'sequelize.literal', define: 'sequelize.define', model: 'sequelize.define', transaction: 'pg.noop', authenticate: 'pg.noop', sync: 'pg.noop' } },
  'sequelize.query': queryFn(0, -1),
  'sequelize.literal': {
    call: (c) => {
      c.sink('sql-injection', c.arg(0), c.argNodes[0], { note: 'a literal is pasted into the SQL unescaped' });
      return EMPTY;
    },
  },
  'sequelize.define': { call: (c) => c.api(`orm.model#model:${(c.str(0) ?? '').toLowerCase()}`) },
  // typeorm
  typeorm: { members: { getRepository: 'typeorm.getRepo', getManager: 'typeorm.getManager', getConnection: 'typeorm.getManager', createConnection: 'typeorm.getManager', DataSource: 'typeorm.DsClass', getMongoRepository: 'typeorm.getRepo' } },
  'typeorm.DsClass': { construct: (c) => c.api('typeorm.ds') },
  'typeorm.getManager': { call: (c) => c.api('typeorm.ds') },
  'typeorm.getRepo': { call: (c) => c.api('typeorm.repo') },
  'typeorm.ds': { members: { query: 'typeorm.query', getRepository: 'typeorm.getRepo', manager: 'typeorm.ds', createQueryBuilder: 'typeorm.newQb', initialize: 'typeorm.getManager', transaction: 'typeorm.trx', getMongoRepository: 'typeorm.getRepo' } },
  'typeorm.trx': { call: (c) => void callbacks(c, [c.api('typeorm.ds')]) },
  'typeorm.repo': { members: { query: 'typeorm.query', createQueryBuilder: 'typeorm.newQb', manager: 'typeorm.ds', save: 'typeorm.write', insert: 'typeorm.write', update: 'typeorm.write', create: 'typeorm.write', find: 'typeorm.read', findOne: 'typeorm.read', findBy: 'typeorm.read', findOneBy: 'typeorm.read', findAndCount: 'typeorm.read' } },
  'typeorm.query': queryFn(0, 1),
  'typeorm.newQb': { call: (c) => c.api('typeorm.qb') },
  'typeorm.qb': { members: { ...Object.fromEntries(['where', 'andWhere', 'orWhere', 'having', 'andHaving', 'orHaving', 'orderBy', 'addOrderBy', 'groupBy', 'addGroupBy', 'select', 'addSelect', 'innerJoin', 'leftJoin', 'innerJoinAndSelect', 'leftJoinAndSelect', 'setQuery', 'from'].map((m) => [m, 'typeorm.qbPart'])), getMany: 'typeorm.read', getOne: 'typeorm.read', getRawMany: 'typeorm.read', getRawOne: 'typeorm.read', execute: 'typeorm.read' } },
  'typeorm.qbPart': {
    call: (c) => {
      // The first argument is a SQL fragment; values belong in the parameters object.
      const v = c.arg(0);
      if (!v.objs?.length && !v.fns?.length) c.sink('sql-injection', v, c.argNodes[0], { note: 'use :name parameters: .where("u.id = :id", { id })' });
      return c.api('typeorm.qb');
    },
  },
  'typeorm.write': { call: (c) => void c.storeWrite('typeorm', join(c.arg(0), c.arg(1))) },
  'typeorm.read': { call: (c) => c.storeRead('typeorm', 'entities read back from the database') },
  // prisma
  '@prisma/client': { members: { PrismaClient: 'prisma.Class', Prisma: 'prisma.ns' } },
  'prisma.Class': { construct: (c) => c.api('prisma.client') },
  'prisma.ns': { members: { raw: 'prisma.raw', sql: 'prisma.safeTag', join: 'pg.noop', empty: 'pg.noop' } },
  'prisma.safeTag': { tag: () => EMPTY, call: () => EMPTY },
  'prisma.raw': {
    call: (c) => {
      c.sink('sql-injection', c.arg(0), c.argNodes[0], { note: 'Prisma.raw() inserts the text without escaping' });
      return EMPTY;
    },
  },
  'prisma.client': {
    members: { $queryRawUnsafe: 'prisma.unsafe', $executeRawUnsafe: 'prisma.unsafe', $queryRaw: 'prisma.safeTag', $executeRaw: 'prisma.safeTag', $transaction: 'prisma.trx', $connect: 'pg.noop', $disconnect: 'pg.noop', $use: 'pg.noop', $on: 'pg.noop', $extends: 'prisma.self' },
  },
  'prisma.self': chain('prisma.client'),
  'prisma.trx': { call: (c) => void callbacks(c, [c.api('prisma.client')]) },
  'prisma.unsafe': queryFn(0, 1),
};

function storeOf(c: CallCtx): string | undefined {
  const t = c.recv?.api?.find((x) => x.includes('#'));
  return t ? t.slice(t.indexOf('#') + 1) : undefined;
}

// ------------------------------------------------------------------ MongoDB and mongoose

/** Query methods whose first argument is a filter object. */
const FILTER_METHODS = ['find', 'findOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'findOneAndRemove', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'remove', 'count', 'countDocuments', 'exists', 'replaceOne', 'distinct', 'where', 'update'];
/** findById casts its argument to an ObjectId (an operator object fails to cast): not a filter sink. */
const BY_ID = ['findById', 'findByIdAndUpdate', 'findByIdAndDelete', 'findByIdAndRemove'];
const WRITE_METHODS = ['insertOne', 'insertMany', 'create', 'save', 'updateOne', 'updateMany', 'findOneAndUpdate', 'findByIdAndUpdate', 'replaceOne', 'bulkWrite', 'insert', 'update'];

/** A request value placed in a query object can be an object itself: `{ $ne: null }` matches everything. */
const operatorInjectable = (t: Taint): boolean => t.obj;

function mongoCall(method: string, store: (c: CallCtx) => string): ApiModel {
  return {
    call: (c) => {
      if (FILTER_METHODS.includes(method)) {
        const filter = c.arg(method === 'distinct' ? 1 : 0);
        // The filter itself from the request, or any of its fields.
        c.sink('nosql-injection', filter, c.argNodes[method === 'distinct' ? 1 : 0], { deep: true, accept: operatorInjectable, note: 'an object in the request ({"$ne": null}) changes what the query matches; cast to string or validate' });
        const where = c.prop(filter, '$where');
        c.sink('nosql-injection', where, c.argNodes[0], { label: '$where', note: '$where runs JavaScript on the database server' });
      }
      if (method === 'aggregate') c.sink('nosql-injection', c.arg(0), c.argNodes[0], { deep: true, accept: operatorInjectable });
      if (method === '$where' || method === 'mapReduce') c.sink('nosql-injection', c.arg(0), c.argNodes[0], { label: method, note: 'runs JavaScript on the database server' });
      if (WRITE_METHODS.includes(method)) c.storeWrite(store(c), join(c.arg(0), c.arg(1)));
      const result = ['find', 'findOne', 'findById', 'aggregate', 'distinct', 'findOneAndUpdate', 'findByIdAndUpdate', 'where', 'toArray', 'lean', 'exec', 'populate', 'sort', 'limit', 'skip', 'select'].includes(method) ? c.storeRead(store(c), `documents read from ${store(c).replace(/^\w+:/, '')}`) : EMPTY;
      callbacks(c, [EMPTY, result]);
      // Query objects chain (.sort().limit().exec()) and resolve to the documents.
      return join(result, c.api(c.type.replace(/\.call\.\w+$/, '.query')));
    },
  };
}

function collectionModel(base: string, store: (c: CallCtx) => string): ModelTable {
  const methods = [...new Set([...FILTER_METHODS, ...BY_ID, ...WRITE_METHODS, 'aggregate', '$where', 'mapReduce', 'toArray', 'lean', 'exec', 'populate', 'sort', 'limit', 'skip', 'select'])];
  const table: ModelTable = { [base]: { members: Object.fromEntries(methods.map((m) => [m, `${base}.call.${m}`])) }, [`${base}.query`]: { members: Object.fromEntries(methods.map((m) => [m, `${base}.call.${m}`])) } };
  for (const m of methods) table[`${base}.call.${m}`] = mongoCall(m, store);
  return table;
}

const collectionStore = (c: CallCtx): string => {
  const t = c.type;
  const i = t.indexOf('#');
  return i > 0 ? t.slice(i + 1).replace(/\.call\.\w+$|\.query.*$/, '') : 'mongo';
};

const NOSQL: ModelTable = {
  mongodb: { members: { MongoClient: 'mongo.ClientClass', ObjectId: 'mongo.ObjectId' } },
  'mongo.ClientClass': { construct: (c) => c.api('mongo.client'), members: { connect: 'mongo.connect' } },
  'mongo.connect': {
    call: (c) => {
      callbacks(c, [EMPTY, c.api('mongo.client')]);
      return c.api('mongo.client');
    },
  },
  // MarsDB: an in-memory database with MongoDB's query language, `$where` included.
  marsdb: { members: { Collection: 'marsdb.CollectionClass' } },
  'marsdb.CollectionClass': { construct: (c) => c.api(`mongo.coll#collection:${(c.str(0) ?? '').toLowerCase()}`) },
  // Driver 2.x hands the connect callback a Db, not a client: `MongoClient.connect(url, (err, db) => db.collection(...))`.
  'mongo.client': { members: { db: 'mongo.dbCall', connect: 'mongo.connect', collection: 'mongo.collectionCall' } },
  'mongo.dbCall': { call: (c) => c.api('mongo.db') },
  'mongo.db': { members: { collection: 'mongo.collectionCall' } },
  'mongo.collectionCall': { call: (c) => c.api(`mongo.coll#collection:${(c.str(0) ?? '').toLowerCase()}`) },
  // ObjectId() throws on anything but 24 hex characters.
  'mongo.ObjectId': { call: (c) => c.clean(c.propagate(c.arg(0)), ALL_KINDS), construct: (c) => c.clean(c.propagate(c.arg(0)), ALL_KINDS), members: { isValid: 'pg.noop', createFromHexString: 'mongo.ObjectId' } },
  ...collectionModel('mongo.coll', collectionStore),
  mongoose: { members: { model: 'mongoose.model', Schema: 'mongoose.Schema', connect: 'pg.noop', Types: 'mongoose.Types', isValidObjectId: 'pg.noop', connection: 'mongoose.conn', createConnection: 'mongoose.connFn', sanitizeFilter: 'mongoose.sanitizeFilter', trusted: 'pg.noop' } },
  'mongoose.connFn': { call: (c) => c.api('mongoose.conn') },
  'mongoose.conn': { members: { model: 'mongoose.model', collection: 'mongo.collectionCall', db: 'mongo.db' } },
  'mongoose.Types': { members: { ObjectId: 'mongo.ObjectId' } },
  'mongoose.Schema': { construct: (c) => c.api('mongoose.schema'), members: { Types: 'pg.noop' } },
  'mongoose.schema': { members: { pre: 'mongoose.hook', post: 'mongoose.hook', methods: 'pg.noop', statics: 'pg.noop', virtual: 'pg.noop', index: 'pg.noop', plugin: 'pg.noop' } },
  'mongoose.hook': { call: (c) => void callbacks(c, [EMPTY]) },
  'mongoose.model': { call: (c) => c.api(`orm.model#model:${(c.str(0) ?? '').toLowerCase()}`) },
  'mongoose.sanitizeFilter': { call: (c) => c.clean(c.arg(0), mask(['nosql-injection'])) },
  ...collectionModel('orm.model', collectionStore),
  'mongo-sanitize': { call: (c) => c.clean(c.arg(0), mask(['nosql-injection'])) },
  'express-mongo-sanitize': { call: (c) => c.api('mongo-sanitize.middleware'), members: { sanitize: 'mongo-sanitize' } },
};

export const DB_MODELS: ModelTable = { ...SQL, ...NOSQL };
