/**
 * Test support: a scenario of webhook deliveries, audit entries and job logs, written to a temp
 * folder and replayed through the real pipeline into an in-memory store. Not used by the product.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../core/finding.js';
import { openStore } from '../store/open.js';
import type { SqlStore } from '../store/sql-store.js';
import { makeContext, type MonitorSettings } from './detect.js';
import { loadIndicators, type IndicatorSet } from './indicators.js';
import type { StoredAlert } from './model.js';
import { FolderContents, replay, type ReplayResult } from './replay.js';
import { generateOrg, type GeneratedOrg, type OrgOptions } from './simulate/org.js';
import { auditEntry, envelope } from './simulate/payloads.js';

export const T0 = Date.parse('2025-03-01T09:00:00Z');
export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MIN = 60_000;

export class Scenario {
  readonly hooks: string[] = [];
  readonly audit: string[] = [];
  readonly logs = new Map<string, string | Buffer>();
  readonly contents = new Map<string, string>();
  private n = 0;

  hook(event: string, payload: Record<string, unknown>, at: number, guid = `guid-${++this.n}`): this {
    this.hooks.push(JSON.stringify(envelope(event, guid, at, payload)));
    return this;
  }

  entry(action: string, o: { at: number; actor: string; org?: string; repo?: string; fields?: Record<string, unknown>; id?: string }): this {
    this.audit.push(JSON.stringify(auditEntry(action, { at: o.at, id: o.id ?? `doc-${++this.n}`, actor: o.actor, org: o.org ?? o.repo?.split('/')[0] ?? 'acme', ...(o.repo && { repo: o.repo }), ...(o.fields && { fields: o.fields }) })));
    return this;
  }

  log(path: string, text: string | Buffer): this {
    this.logs.set(path, text);
    return this;
  }

  /** Workflow content at a commit, for the static audit of pushed workflows. */
  content(repo: string, sha: string, path: string, text: string): this {
    this.contents.set(`${repo}/${sha}/${path}`, text);
    return this;
  }

  /** Admin history older than the baseline, so unusual-actor can speak. */
  baseline(org: string, admins: string[], from = T0 - 30 * DAY): this {
    admins.forEach((a, i) => this.entry('org.update_default_repository_permission', { at: from + i * HOUR, actor: a, org, fields: { permission: 'read', old_permission: 'read' } }));
    return this;
  }

  async run(opts: { settings?: Partial<MonitorSettings>; indicators?: IndicatorSet; repo?: string; store?: SqlStore } = {}): Promise<ScenarioResult> {
    const dir = mkdtempSync(join(tmpdir(), 'pw-scenario-'));
    try {
      const write = (rel: string, data: string | Buffer): string => {
        const abs = join(dir, rel);
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, data);
        return abs;
      };
      const webhooks = this.hooks.length ? [write('hooks.jsonl', `${this.hooks.join('\n')}\n`)] : [];
      const auditLogs = this.audit.length ? [write('audit.json', `[\n${this.audit.join(',\n')}\n]\n`)] : [];
      for (const [p, t] of this.logs) write(join('logs', p), t);
      for (const [p, t] of this.contents) write(join('contents', p), t);
      const store = opts.store ?? (await openStore({ db: 'memory', dataDir: dir }));
      const ctx = makeContext(store, opts.indicators ?? loadIndicators(), {
        ...(opts.settings && { settings: opts.settings }),
        ...(this.contents.size && { contents: new FolderContents(join(dir, 'contents')) }),
      });
      const result = await replay({ webhooks, auditLogs, logs: this.logs.size ? [join(dir, 'logs')] : [], ...(opts.repo && { repo: opts.repo }) }, ctx);
      if (!opts.store) await store.close();
      return new ScenarioResult(result, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

export class ScenarioResult {
  constructor(
    readonly result: ReplayResult,
    private readonly dir: string,
  ) {}
  get alerts(): StoredAlert[] {
    return this.result.alerts;
  }
  get diagnostics(): Diagnostic[] {
    return this.result.diagnostics.map((d) => ({ ...d, ...(d.file && { file: d.file.replace(this.dir, '<tmp>') }) }));
  }
  /** `alert-id severity: title` lines, for exact assertions; only `id`'s when given. */
  summary(id?: string): string[] {
    return this.alerts.filter((a) => !id || a.alert === id).map((a) => `${a.alert} ${a.severity}: ${a.title}`);
  }
  of(id: string): StoredAlert[] {
    return this.alerts.filter((a) => a.alert === id);
  }
}

/** The generated organisation written to `dir` (webhooks.jsonl, audit-log.json, logs/, contents/...). */
export function writeGeneratedOrg(dir: string, opts: OrgOptions = {}): GeneratedOrg {
  const org = generateOrg(opts);
  for (const [rel, content] of org.files) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return org;
}
