// Generates a TypeScript Express application for the SAST benchmark: controllers → services →
// repositories across files, with constructor injection, async handlers, DTO validation and view
// helpers, like a real layered API. Every entity plants, at random, either the vulnerable or the
// safe variant of six flows (SQL, XSS, path, command, SSRF, redirect). The line of each sink carries
// `// expect: RULE` or `// safe: RULE`, so the benchmark measures recall and precision too.
// Deterministic (seeded PRNG): numbers are comparable across runs.
// Usage: node bench/gen-sast-corpus.mjs [--lines 100000] [--out bench/corpus/sast]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? def : args[i + 1];
};
const targetLines = Number(opt('lines', '100000'));
const out = opt('out', 'bench/corpus/sast');

let seed = 0x5a57;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const VULN_RATE = 0.2;

const NOUNS = ['invoice', 'customer', 'order', 'product', 'shipment', 'ticket', 'project', 'report', 'asset', 'contract', 'payment', 'vendor', 'employee', 'schedule', 'coupon', 'review', 'warehouse', 'device', 'booking', 'campaign'];
const FIELDS = ['title', 'note', 'status', 'owner', 'region', 'label', 'category', 'reference', 'summary', 'channel'];

const files = new Map();
let lines = 0;
const write = (rel, text) => {
  files.set(rel, text);
  lines += text.split('\n').length;
};
const cap = (s) => s[0].toUpperCase() + s.slice(1);

function shared() {
  write('package.json', JSON.stringify({ name: 'bench-api', private: true, type: 'module', dependencies: { express: '^4.19.0', 'better-sqlite3': '^11.0.0' } }, null, 2));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, baseUrl: '.', paths: { '@app/*': ['src/*'] } } }, null, 2));
  write('src/db.ts', `import Database from 'better-sqlite3';

/** One connection for the process; repositories receive it through their constructor. */
export function openDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  return db;
}
`);
  write('src/util/html.ts', `const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

export function page(title: string, body: string): string {
  return \`<!doctype html><html><head><title>\${escapeHtml(title)}</title></head><body>\${body}</body></html>\`;
}

export function list(items: string[]): string {
  return \`<ul>\${items.map((i) => \`<li>\${i}</li>\`).join('')}</ul>\`;
}
`);
  write('src/util/pagination.ts', `export interface Page {
  limit: number;
  offset: number;
}

export function pageOf(query: Record<string, unknown>): Page {
  const limit = Math.min(Number.parseInt(String(query.limit ?? '20'), 10) || 20, 100);
  const offset = Math.max(Number.parseInt(String(query.offset ?? '0'), 10) || 0, 0);
  return { limit, offset };
}
`);
  write('src/util/errors.ts', `export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function notFound(what: string): HttpError {
  return new HttpError(404, \`\${what} not found\`);
}
`);
}

function entity(n, noun) {
  const E = cap(noun) + n;
  const e = noun + n;
  const f = [pick(FIELDS), pick(FIELDS), pick(FIELDS)].filter((x, i, a) => a.indexOf(x) === i);
  const vuln = {};
  for (const k of ['sql', 'xss', 'path', 'cmd', 'ssrf', 'redirect']) vuln[k] = rand() < VULN_RATE;
  const mark = (k, rule) => (vuln[k] ? ` // expect: ${rule}` : ` // safe: ${rule}`);

  // ---- model
  const fieldDecls = f.map((x) => `  ${x}: string;`).join('\n');
  write(`src/models/${e}.ts`, `/** ${E}: the stored record and the payload the API accepts. */
export interface ${E} {
  id: number;
${fieldDecls}
  createdAt: string;
  updatedAt: string;
}

export interface ${E}Input {
${f.map((x) => `  ${x}?: string;`).join('\n')}
}

export class ${E}Validation extends Error {
  constructor(readonly field: string) {
    super(\`invalid \${field}\`);
  }
}

/** Checks a request body field by field; unknown fields are dropped. */
export function parse${E}(body: unknown): ${E}Input {
  if (typeof body !== 'object' || body === null) throw new ${E}Validation('body');
  const raw = body as Record<string, unknown>;
  const out: ${E}Input = {};
${f.map((x) => `  if (raw.${x} !== undefined) {
    if (typeof raw.${x} !== 'string' || raw.${x}.length > 200) throw new ${E}Validation('${x}');
    out.${x} = raw.${x}.trim();
  }`).join('\n')}
  return out;
}

export function describe${E}(item: ${E}): string {
  const parts: string[] = [];
${f.map((x) => `  if (item.${x}) parts.push(\`${x}=\${item.${x}}\`);`).join('\n')}
  return \`${E} #\${item.id} (\${parts.join(', ')})\`;
}

export function sort${E}s(items: ${E}[], by: keyof ${E}): ${E}[] {
  return [...items].sort((a, b) => String(a[by]).localeCompare(String(b[by])));
}
`);

  // ---- repository
  const cols = ['id', ...f, 'createdAt', 'updatedAt'];
  const searchBody = vuln.sql
    ? `    const sql = "SELECT * FROM ${e} WHERE ${f[0]} LIKE '%" + term + "%' ORDER BY id LIMIT " + page.limit;
    return this.db.prepare(sql).all() as ${E}[];${mark('sql', 'sql-injection')}`
    : `    const sql = 'SELECT * FROM ${e} WHERE ${f[0]} LIKE ? ORDER BY id LIMIT ?';
    return this.db.prepare(sql).all(\`%\${term}%\`, page.limit) as ${E}[];${mark('sql', 'sql-injection')}`;
  write(`src/repositories/${e}.repository.ts`, `import type Database from 'better-sqlite3';
import type { Page } from '../util/pagination.js';
import type { ${E}, ${E}Input } from '../models/${e}.js';

const COLUMNS = ${JSON.stringify(cols)};

export class ${E}Repository {
  constructor(private readonly db: Database.Database) {}

  findById(id: number): ${E} | undefined {
    return this.db.prepare('SELECT * FROM ${e} WHERE id = ?').get(id) as ${E} | undefined;
  }

  list(page: Page, orderBy: string): ${E}[] {
    const column = COLUMNS.includes(orderBy) ? orderBy : 'id';
    return this.db.prepare(\`SELECT * FROM ${e} ORDER BY \${column} LIMIT ? OFFSET ?\`).all(page.limit, page.offset) as ${E}[];
  }

  search(term: string, page: Page): ${E}[] {
${searchBody}
  }

  count(): number {
    const row = this.db.prepare('SELECT COUNT(*) AS n FROM ${e}').get() as { n: number };
    return row.n;
  }

  insert(input: ${E}Input): number {
    const now = new Date().toISOString();
    const info = this.db
      .prepare('INSERT INTO ${e} (${f.join(', ')}, createdAt, updatedAt) VALUES (${f.map(() => '?').join(', ')}, ?, ?)')
      .run(${f.map((x) => `input.${x} ?? ''`).join(', ')}, now, now);
    return Number(info.lastInsertRowid);
  }

  update(id: number, input: ${E}Input): boolean {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const key of Object.keys(input) as (keyof ${E}Input)[]) {
      if (!COLUMNS.includes(key)) continue;
      sets.push(\`\${key} = ?\`);
      values.push(input[key]);
    }
    if (sets.length === 0) return false;
    values.push(new Date().toISOString(), id);
    const info = this.db.prepare(\`UPDATE ${e} SET \${sets.join(', ')}, updatedAt = ? WHERE id = ?\`).run(...values);
    return info.changes > 0;
  }

  remove(id: number): boolean {
    return this.db.prepare('DELETE FROM ${e} WHERE id = ?').run(id).changes > 0;
  }

  recent(days: number): ${E}[] {
    const since = new Date(Date.now() - days * 86400000).toISOString();
    return this.db.prepare('SELECT * FROM ${e} WHERE createdAt >= ? ORDER BY createdAt DESC').all(since) as ${E}[];
  }
}
`);

  // ---- service
  const pathBody = vuln.path
    ? `    const file = path.join(this.dir, name);
    return fs.promises.readFile(file, 'utf8');${mark('path', 'path-traversal')}`
    : `    const file = path.resolve(this.dir, name);
    if (!file.startsWith(this.dir + path.sep)) throw new Error('outside the attachments folder');
    return fs.promises.readFile(file, 'utf8');${mark('path', 'path-traversal')}`;
  const cmdBody = vuln.cmd
    ? `    const { stdout } = await run(\`wc -l \${this.dir}/\${name}\`);${mark('cmd', 'command-injection')}
    return stdout.trim();`
    : `    const { stdout } = await runFile('wc', ['-l', path.join(this.dir, path.basename(name))]);${mark('cmd', 'command-injection')}
    return stdout.trim();`;
  const ssrfBody = vuln.ssrf
    ? `    const res = await fetch(target);${mark('ssrf', 'ssrf')}
    return res.text();`
    : `    const res = await fetch(\`https://previews.example.com/${e}/\${encodeURIComponent(target)}\`);${mark('ssrf', 'ssrf')}
    return res.text();`;
  write(`src/services/${e}.service.ts`, `import { exec, execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { notFound } from '../util/errors.js';
import type { Page } from '../util/pagination.js';
import { describe${E}, type ${E}, type ${E}Input } from '../models/${e}.js';
import type { ${E}Repository } from '../repositories/${e}.repository.js';

const run = promisify(exec);
const runFile = promisify(execFile);

export interface ${E}Stats {
  total: number;
  byStatus: Record<string, number>;
}

export class ${E}Service {
  private readonly cache = new Map<number, ${E}>();

  constructor(
    private readonly repo: ${E}Repository,
    private readonly dir: string,
  ) {}

  get(id: number): ${E} {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const item = this.repo.findById(id);
    if (!item) throw notFound('${e}');
    this.cache.set(id, item);
    return item;
  }

  list(page: Page, orderBy: string): ${E}[] {
    return this.repo.list(page, orderBy);
  }

  search(term: string, page: Page): ${E}[] {
    const cleaned = term.trim().slice(0, 100);
    return this.repo.search(cleaned, page);
  }

  create(input: ${E}Input): ${E} {
    const id = this.repo.insert(input);
    return this.get(id);
  }

  update(id: number, input: ${E}Input): ${E} {
    if (!this.repo.update(id, input)) throw notFound('${e}');
    this.cache.delete(id);
    return this.get(id);
  }

  remove(id: number): void {
    if (!this.repo.remove(id)) throw notFound('${e}');
    this.cache.delete(id);
  }

  stats(): ${E}Stats {
    const items = this.repo.recent(30);
    const byStatus: Record<string, number> = {};
    for (const item of items) {
      const key = String((item as unknown as Record<string, unknown>).status ?? 'none');
      byStatus[key] = (byStatus[key] ?? 0) + 1;
    }
    return { total: this.repo.count(), byStatus };
  }

  summary(ids: number[]): string[] {
    return ids.map((id) => describe${E}(this.get(id)));
  }

  async attachment(name: string): Promise<string> {
${pathBody}
  }

  async lineCount(name: string): Promise<string> {
${cmdBody}
  }

  async preview(target: string): Promise<string> {
${ssrfBody}
  }

  async export(ids: number[]): Promise<string> {
    const rows = ids.map((id) => this.get(id));
    const header = ${JSON.stringify(cols.join(','))};
    const body = rows.map((r) => [${cols.map((c) => `r.${c}`).join(', ')}].map((v) => JSON.stringify(v ?? '')).join(',')).join('\\n');
    await fs.promises.writeFile(path.join(this.dir, 'export-${e}.csv'), \`\${header}\\n\${body}\`);
    return body;
  }
}
`);

  // ---- view
  write(`src/views/${e}.view.ts`, `import { escapeHtml, list, page } from '../util/html.js';
import type { ${E} } from '../models/${e}.js';

export function render${E}(item: ${E}): string {
  const rows = [
${f.map((x) => `    \`<dt>${x}</dt><dd>\${escapeHtml(item.${x})}</dd>\`,`).join('\n')}
  ];
  return page(\`${E} \${item.id}\`, \`<dl>\${rows.join('')}</dl>\`);
}

export function render${E}List(items: ${E}[], heading: string): string {
  const entries = items.map((i) => \`<a href="/${e}/\${i.id}">\${escapeHtml(i.${f[0]})}</a>\`);
  return page(heading, \`<h1>\${escapeHtml(heading)}</h1>\${list(entries)}\`);
}

export function render${E}Error(message: string): string {
  return page('error', \`<p class="error">\${escapeHtml(message)}</p>\`);
}
`);

  // ---- controller
  const xss = vuln.xss
    ? `    res.send(\`<h1>Results for \${term}</h1>\${render${E}List(items, '${e}')}\`);${mark('xss', 'xss')}`
    : `    res.send(\`<h1>Results for \${escapeHtml(term)}</h1>\${render${E}List(items, '${e}')}\`);${mark('xss', 'xss')}`;
  const redirect = vuln.redirect
    ? `    res.redirect(String(req.query.next ?? '/${e}'));${mark('redirect', 'open-redirect')}`
    : `    const next = String(req.query.next ?? '');
    res.redirect(NEXT_PAGES.includes(next) ? next : '/${e}');${mark('redirect', 'open-redirect')}`;
  write(`src/controllers/${e}.controller.ts`, `import { Router, type NextFunction, type Request, type Response } from 'express';
import { escapeHtml } from '../util/html.js';
import { HttpError } from '../util/errors.js';
import { pageOf } from '../util/pagination.js';
import { parse${E}, ${E}Validation } from '../models/${e}.js';
import type { ${E}Service } from '../services/${e}.service.js';
import { render${E}, render${E}Error, render${E}List } from '../views/${e}.view.js';

const NEXT_PAGES = ['/${e}', '/${e}/new', '/'];

function idOf(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isInteger(id) || id <= 0) throw new HttpError(400, 'bad id');
  return id;
}

function fail(res: Response, err: unknown): void {
  if (err instanceof ${E}Validation) {
    res.status(400).send(render${E}Error(\`invalid field \${err.field}\`));
    return;
  }
  if (err instanceof HttpError) {
    res.status(err.status).send(render${E}Error(err.message));
    return;
  }
  res.status(500).send(render${E}Error('internal error'));
}

export function ${e}Router(service: ${E}Service): Router {
  const router = Router();

  router.get('/', (req: Request, res: Response) => {
    const items = service.list(pageOf(req.query), String(req.query.orderBy ?? 'id'));
    res.send(render${E}List(items, '${E} list'));
  });

  router.get('/search', (req: Request, res: Response) => {
    const term = String(req.query.q ?? '');
    const items = service.search(term, pageOf(req.query));
${xss}
  });

  router.get('/stats', (_req: Request, res: Response) => {
    res.json(service.stats());
  });

  router.get('/:id', (req: Request, res: Response) => {
    try {
      res.send(render${E}(service.get(idOf(req))));
    } catch (err) {
      fail(res, err);
    }
  });

  router.post('/', (req: Request, res: Response) => {
    try {
      const item = service.create(parse${E}(req.body));
      res.status(201).json(item);
    } catch (err) {
      fail(res, err);
    }
  });

  router.put('/:id', (req: Request, res: Response) => {
    try {
      res.json(service.update(idOf(req), parse${E}(req.body)));
    } catch (err) {
      fail(res, err);
    }
  });

  router.delete('/:id', (req: Request, res: Response) => {
    try {
      service.remove(idOf(req));
      res.status(204).end();
    } catch (err) {
      fail(res, err);
    }
  });

  router.get('/files/:name', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const text = await service.attachment(req.params.name);
      res.type('text/plain').send(text);
    } catch (err) {
      next(err);
    }
  });

  router.get('/files/:name/lines', async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.json({ lines: await service.lineCount(req.params.name) });
    } catch (err) {
      next(err);
    }
  });

  router.post('/preview', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const target = String(req.body.url ?? '');
      res.type('text/plain').send(await service.preview(target));
    } catch (err) {
      next(err);
    }
  });

  router.post('/export', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const ids = Array.isArray(req.body.ids) ? req.body.ids.map(Number).filter(Number.isInteger) : [];
      res.type('text/csv').send(await service.export(ids));
    } catch (err) {
      next(err);
    }
  });

  router.post('/:id/done', (req: Request, res: Response) => {
    service.get(idOf(req));
${redirect}
  });

  return router;
}
`);
  return { E, e };
}

rmSync(out, { recursive: true, force: true });
shared();
const entities = [];
for (let n = 1; lines < targetLines - 80; n++) entities.push(entity(n, NOUNS[(n - 1) % NOUNS.length]));
write('src/app.ts', `import express from 'express';
import { openDatabase } from './db.js';
${entities.map(({ E, e }) => `import { ${E}Repository } from './repositories/${e}.repository.js';
import { ${E}Service } from './services/${e}.service.js';
import { ${e}Router } from './controllers/${e}.controller.js';`).join('\n')}

const db = openDatabase(process.env.DB_FILE ?? 'app.db');
const files = process.env.FILES_DIR ?? '/srv/files';
export const app = express();
app.use(express.json());
${entities.map(({ E, e }) => `app.use('/${e}', ${e}Router(new ${E}Service(new ${E}Repository(db), files)));`).join('\n')}
app.listen(Number(process.env.PORT ?? 3000));
`);
for (const [rel, text] of files) {
  mkdirSync(join(out, rel, '..'), { recursive: true });
  writeFileSync(join(out, rel), text);
}
console.log(`${out}: ${files.size} files, ${lines} lines, ${entities.length} entities`);
