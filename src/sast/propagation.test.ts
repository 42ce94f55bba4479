import { describe, expect, it } from 'vitest';
import { analyse, flowOf, js, ruleHits } from './testing.js';

const express = js`
  import express from 'express';
  export const app = express();
`;

describe('propagation', () => {
  it('through `export { x }`, namespace imports, handler factories and wrapper closures', async () => {
    const findings = await analyse({
      'app.ts': express,
      'models/index.ts': js`
        import { Sequelize } from 'sequelize';
        let sequelize = create();
        function create() { return new Sequelize('db', 'user', process.env.DB_PASSWORD); }
        export { sequelize };
      `,
      'lib/utils.ts': js`
        export const asyncHandler = (fn: (req: any, res: any, next: any) => any) => (req: any, res: any, next: any) => {
          void Promise.resolve(fn(req, res, next)).catch(next);
        };
      `,
      'routes/search.ts': js`
        import type { Request, Response } from 'express';
        import * as models from '../models/index';
        export function searchProducts() {
          return (req: Request, res: Response) => {
            let criteria: any = req.query.q ?? '';
            criteria = criteria.length <= 200 ? criteria : criteria.substring(0, 200);
            models.sequelize.query(\`SELECT * FROM p WHERE name LIKE '%\${criteria}%'\`).then(([rows]: any) => res.json(rows));
          };
        }
      `,
      'server.ts': js`
        import { app } from './app';
        import * as utils from './lib/utils';
        import { searchProducts } from './routes/search';
        export async function start() {
          app.get('/search', utils.asyncHandler(searchProducts()));
        }
      `,
    });
    expect(findings.map((f) => `${f.location.file}:${f.location.startLine} ${f.ruleId}`)).toEqual(['routes/search.ts:7 sql-injection']);
    expect(flowOf(findings[0]!)).toEqual([
      'routes/search.ts:5:25 source: req.query.q',
      'routes/search.ts:5:9 criteria',
      'routes/search.ts:6:5 criteria',
      'routes/search.ts:7:28 sink: models.sequelize.query',
    ]);
  });

  it('through class methods, constructor fields, returns, arrays, destructuring, spread and Object.assign', async () => {
    const hits = await ruleHits('command-injection', {
      'app.ts': express,
      'runner.ts': js`
        import { exec } from 'child_process';
        export class Runner {
          private prefix: string;
          constructor(prefix: string) { this.prefix = prefix; }
          build(arg: string) { return [this.prefix, arg].join(' '); }
          run(cmd: string) { exec(cmd); }
        }
      `,
      'routes.ts': js`
        import { app } from './app';
        import { Runner } from './runner';
        const runner = new Runner('ls');
        app.get('/a', (req, res) => { runner.run(runner.build(req.query.dir as string)); res.end(); });
        app.get('/b', (req, res) => { const { dir } = req.query; const opts = { ...{ d: dir } }; runner.run('ls ' + opts.d); res.end(); });
        app.get('/c', (req, res) => { const o: any = {}; Object.assign(o, req.body); runner.run(\`ls \${o.path}\`); res.end(); });
        app.get('/d', (req, res) => { const list = [req.query.x]; runner.run('ls ' + list[0]); res.end(); });
        app.get('/e', (req, res) => { runner.run(runner.build('fixed')); res.end(); });
      `,
    });
    expect(hits).toEqual(['runner.ts:6:27 high']);
    const all = await analyse({
      'app.ts': express,
      'runner.ts': js`
        import { exec } from 'child_process';
        export function run(cmd: string) { exec(cmd); }
      `,
      'routes.ts': js`
        import { app } from './app';
        import { run } from './runner';
        app.get('/b', (req, res) => { const { dir } = req.query; const opts = { ...{ d: dir } }; run('ls ' + opts.d); res.end(); });
      `,
    });
    expect(all.map((f) => f.ruleId)).toEqual(['command-injection']);
  });

  it('through promises, async functions and callbacks', async () => {
    const hits = await ruleHits('path-traversal', {
      'app.js': js`
        const express = require('express');
        const fs = require('fs');
        const app = express();
        const load = async (name) => name;
        function later(v, cb) { setTimeout(() => cb(v), 10); }
        app.get('/a', async (req, res) => { const n = await load(req.query.f); fs.readFile(n, () => res.end()); });
        app.get('/b', (req, res) => { new Promise((resolve) => resolve(req.query.f)).then((n) => fs.readFileSync(n)); res.end(); });
        app.get('/c', (req, res) => { later(req.query.f, (n) => fs.unlinkSync(n)); res.end(); });
      `,
    });
    expect(hits).toEqual(['app.js:6:84 high', 'app.js:7:106 high', 'app.js:8:71 high']);
  });

  it('through a callback that stores its parameter in an object it captured (forEach, a helper that calls back)', async () => {
    const hits = await ruleHits('command-injection', {
      'app.ts': express,
      'routes.ts': js`
        import { exec } from 'child_process';
        import { app } from './app';
        function withValue(cb: (v: string) => void, v: string) { cb(v); }
        app.get('/a', (req, res) => { const box = { cmd: '' }; withValue((v) => { box.cmd = v; }, req.query.a as string); exec(box.cmd); res.end(); });
        app.get('/b', (req, res) => { const box = { cmd: '' }; [req.query.b as string].forEach((v) => { box.cmd = 'ls ' + v; }); exec(box.cmd); res.end(); });
        app.get('/c', (req, res) => { const box = { cmd: '' }; withValue((v) => { box.cmd = 'ls'; }, req.query.c as string); exec(box.cmd); res.end(); });
        app.get('/d', (req, res) => { const box = { cmd: '' }; withValue((v) => { box.cmd = String(Number(v)); }, req.query.d as string); exec(box.cmd); res.end(); });
      `,
    });
    expect(hits).toEqual(['routes.ts:4:120 high', 'routes.ts:5:127 high']);
  });
});

