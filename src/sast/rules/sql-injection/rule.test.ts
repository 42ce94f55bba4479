import { describe, expect, it } from 'vitest';
import { analyse, flowOf, js, ruleHits, summary } from '../../testing.js';

describe('sql-injection', () => {
  it('follows request data across files into better-sqlite3, with the code flow', async () => {
    const findings = await analyse({
      'db.js': js`
        const Database = require('better-sqlite3');
        const db = new Database('app.db');
        module.exports = { db, findUser(name) { return db.prepare("SELECT * FROM users WHERE name = '" + name + "'").get(); } };
      `,
      'app.js': js`
        const express = require('express');
        const { db, findUser } = require('./db');
        const app = express();
        app.get('/users/:id', (req, res) => {
          const id = req.params.id;
          res.json(db.prepare(\`SELECT * FROM users WHERE id = \${id}\`).get());
        });
        app.get('/search', (req, res) => res.json(findUser(req.query.name)));
        app.get('/safe', (req, res) => res.json(db.prepare('SELECT * FROM users WHERE id = ?').get(req.query.id)));
      `,
    });
    expect(summary(findings)).toEqual([
      'app.js:6:23 sql-injection high: req.params.id (user input, line 5) reaches a SQL query (db.prepare): prepare the statement with ? placeholders and bind the values',
      'db.js:3:59 sql-injection high: req.query.name (user input, app.js:8) reaches a SQL query (db.prepare): prepare the statement with ? placeholders and bind the values',
    ]);
    expect(flowOf(findings[1]!)).toEqual(['app.js:8:52 source: req.query.name', 'db.js:3:33 parameter name', 'db.js:3:59 sink: db.prepare']);
  });

  it('covers pg, mysql, sqlite3, mssql, knex, sequelize, typeorm and prisma; parameterised forms are safe', async () => {
    const hits = await ruleHits('sql-injection', {
      'a.ts': js`
        import express from 'express';
        import { Pool } from 'pg';
        import mysql from 'mysql2/promise';
        import sqlite3 from 'sqlite3';
        import sql from 'mssql';
        import knexFactory from 'knex';
        import { Sequelize } from 'sequelize';
        import { PrismaClient, Prisma } from '@prisma/client';
        import { DataSource } from 'typeorm';
        const pool = new Pool();
        const conn = mysql.createPool({});
        const lite = new sqlite3.Database(':memory:');
        const knex = knexFactory({});
        const seq = new Sequelize('sqlite::memory:');
        const prisma = new PrismaClient();
        const ds = new DataSource({});
        const app = express();
        app.post('/x', async (req, res) => {
          const q = req.body.q;
          await pool.query('SELECT * FROM t WHERE a = ' + q);
          await pool.query('SELECT * FROM t WHERE a = $1', [q]);
          await conn.query(\`SELECT * FROM t WHERE a = '\${q}'\`);
          await conn.execute('SELECT * FROM t WHERE a = ?', [q]);
          lite.all("SELECT * FROM t WHERE a = '" + q + "'", (err, rows) => res.json(rows));
          await new sql.Request().query('SELECT * FROM t WHERE a = ' + q);
          await knex('t').whereRaw('a = ' + q);
          await knex('t').whereRaw('a = ?', [q]);
          await knex.raw(\`SELECT \${q}\`);
          await seq.query('SELECT * FROM t WHERE a = ' + q);
          await prisma.$queryRawUnsafe('SELECT * FROM t WHERE a = ' + q);
          await prisma.$queryRaw\`SELECT * FROM t WHERE a = \${q}\`;
          await ds.query('SELECT * FROM t WHERE a = ' + q);
          await ds.createQueryBuilder().where('a = ' + q).getMany();
          await ds.createQueryBuilder().where('a = :q', { q }).getMany();
          res.end();
        });
      `,
    });
    expect(hits).toEqual(['a.ts:20:20 high', 'a.ts:22:20 high', 'a.ts:24:12 high', 'a.ts:25:33 high', 'a.ts:26:28 high', 'a.ts:28:18 high', 'a.ts:29:19 high', 'a.ts:30:32 high', 'a.ts:32:18 high', 'a.ts:33:39 high']);
  });

  it('treats escaping, numbers and allow-lists as sanitisers', async () => {
    const hits = await ruleHits('sql-injection', {
      'a.js': js`
        const express = require('express');
        const mysql = require('mysql');
        const conn = mysql.createConnection({});
        const app = express();
        const COLUMNS = ['name', 'age'];
        app.get('/x', (req, res) => {
          conn.query('SELECT * FROM t WHERE a = ' + mysql.escape(req.query.a));
          conn.query('SELECT * FROM t WHERE a = ' + parseInt(req.query.b, 10));
          conn.query('SELECT * FROM t WHERE a = ' + Number(req.query.c));
          const col = req.query.sort;
          if (!COLUMNS.includes(col)) return res.status(400).end();
          conn.query('SELECT * FROM t ORDER BY ' + col);
          const id = req.query.id;
          if (typeof id !== 'number') conn.query('SELECT * FROM t WHERE id = ' + id);
          res.end();
        });
      `,
    });
    expect(hits).toEqual(['a.js:14:42 high']);
  });
});
