import { describe, expect, it } from 'vitest';
import { analyse, js, summary } from '../../testing.js';

// A table the app fills from a request body (so its rows are a second-order source), then lists.
const repo = js`
  import Database from 'better-sqlite3';
  export interface Gadget { id: number; colour: string; shelf: string }
  export class Gadgets {
    constructor(private readonly db: Database.Database) {}
    add(colour: string, shelf: string): number {
      return Number(this.db.prepare('INSERT INTO gadgets (colour, shelf) VALUES (?, ?)').run(colour, shelf).lastInsertRowid);
    }
    all(): Gadget[] {
      return this.db.prepare('SELECT * FROM gadgets ORDER BY id').all() as Gadget[];
    }
  }
`;
const escape = js`
  export function esc(v: unknown): string {
    return String(v ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
  }
`;

describe('xss: rows read back from a table written from request data', () => {
  it('reports a stored column rendered unescaped, not an escaped one or a column the app never writes', async () => {
    const findings = await analyse({
      'repo.ts': repo,
      'esc.ts': escape,
      'app.ts': js`
        import express from 'express';
        import Database from 'better-sqlite3';
        import { Gadgets } from './repo.js';
        import { esc } from './esc.js';
        const store = new Gadgets(new Database('g.db'));
        const app = express();
        app.post('/gadgets', (req, res) => {
          store.add(String(req.body.colour), String(req.body.shelf));
          res.status(201).end();
        });
        app.get('/raw', (req, res) => {
          res.send(store.all().map((g) => '<li>' + g.colour + '</li>').join(''));
        });
        app.get('/escaped', (req, res) => {
          const q = String(req.query.q ?? '');
          const items = store.all().map((g) => \`<a href="/gadgets/\${g.id}">\${esc(g.shelf)}</a>\`);
          res.send(\`<h1>\${esc(q)}</h1><ul>\${items.map((i) => \`<li>\${i}</li>\`).join('')}</ul>\`);
        });
      `,
    });
    expect(summary(findings)).toEqual([
      'app.ts:12:12 xss low: rows read from gadgets (data stored from user input, repo.ts:9) reaches HTML output (res.send): sent as an HTML response',
    ]);
  });

  it('takes every column as written when the SQL does not name them, so an unescaped id is then reported', async () => {
    const findings = await analyse({
      'repo.ts': repo.replace('INSERT INTO gadgets (colour, shelf) VALUES (?, ?)', 'INSERT INTO gadgets VALUES (NULL, ?, ?)'),
      'app.ts': js`
        import express from 'express';
        import Database from 'better-sqlite3';
        import { Gadgets } from './repo.js';
        const store = new Gadgets(new Database('g.db'));
        const app = express();
        app.post('/gadgets', (req, res) => void store.add(req.body.colour, req.body.shelf));
        app.get('/ids', (req, res) => {
          res.send(store.all().map((g) => \`<a href="/gadgets/\${g.id}">#</a>\`).join(''));
        });
      `,
    });
    expect(summary(findings)).toEqual([
      'app.ts:8:12 xss low: rows read from gadgets (data stored from user input, repo.ts:9) reaches HTML output (res.send): sent as an HTML response',
    ]);
  });
});
