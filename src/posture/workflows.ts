/**
 * The one adapter between posture and the static audit's workflow model. The audit pipeline is
 * being reworked (issue 9); everything posture needs from it is here, as plain data, so only this
 * file changes when the audit's internals move. Checks never import from src/platforms or
 * src/audits directly.
 */
import { isMap, isScalar, type Node } from 'yaml';
import { buildGithubModel, classifyGithubPath, type GithubFile } from '../platforms/github/load.js';
import type { Job, Workflow } from '../platforms/github/model.js';
import { nodeLocation } from '../yaml/load.js';
import { selfHosted } from '../audits/github/pr-runs-on-self-hosted/rule.js';

export interface JobFacts {
  id: string;
  line: number;
  /** `environment:` of a deployment job; `dynamic` when the name is an expression. */
  environment?: { name: string; line: number; dynamic: boolean };
  /** Runs on a self-hosted runner (label `self-hosted`, from the matrix, or a runner group). */
  selfHosted?: { line: number; what: string };
  /** Secrets the job references (`secrets.NAME`), including through workflow-level `env`. */
  secrets: string[];
  /** Calls a reusable workflow with `secrets: inherit`: every secret may be used. */
  inheritsSecrets: boolean;
}

export interface WorkflowFacts {
  /** Repository-relative path, `.github/workflows/ci.yml`. */
  path: string;
  name?: string;
  triggers: Array<{ name: string; line: number }>;
  /** For `workflow_run`: the workflows it follows (`workflows:` names). */
  follows: string[];
  jobs: JobFacts[];
  /** The file could not be parsed: the facts above are empty, checks that need them must say so. */
  unparsed?: string;
}

/** Parses workflow files (path relative to the repository, text) into the facts posture checks use. */
export function describeWorkflows(files: ReadonlyArray<{ path: string; text: string }>): WorkflowFacts[] {
  const out: WorkflowFacts[] = [];
  for (const f of files) {
    const kind = classifyGithubPath(f.path);
    if (kind !== 'workflow') continue;
    const file: GithubFile = { path: f.path, repoPath: f.path, text: f.text, kind };
    const { model, problems } = buildGithubModel([file]);
    const wf = model.workflows[0];
    if (!wf) {
      out.push({ path: f.path, triggers: [], follows: [], jobs: [], unparsed: problems[0]?.message ?? 'not a workflow' });
      continue;
    }
    out.push(factsOf(wf));
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function factsOf(wf: Workflow): WorkflowFacts {
  const line = (n: Node | null | undefined): number => nodeLocation(wf.source, n).startLine;
  const workflowSecrets = secretsIn(wf.source.text, wf.env.map((e) => e.value));
  const follows: string[] = [];
  for (const t of wf.triggers) {
    if (t.name !== 'workflow_run' || !t.config) continue;
    const list = t.config.get('workflows', true) as Node | undefined;
    if (isScalar(list)) follows.push(String(list.value));
    else if (list && 'items' in list && Array.isArray((list as { items: unknown[] }).items)) {
      for (const i of (list as { items: unknown[] }).items) if (isScalar(i)) follows.push(String(i.value));
    }
  }
  return {
    path: wf.repoPath,
    ...(wf.name ? { name: wf.name } : {}),
    triggers: wf.triggers.map((t) => ({ name: t.name, line: line(t.node) })),
    follows,
    jobs: wf.jobs.map((j) => jobFacts(wf, j, workflowSecrets, line)),
  };
}

function jobFacts(wf: Workflow, job: Job, inherited: string[], line: (n: Node | null | undefined) => number): JobFacts {
  const facts: JobFacts = { id: job.id, line: line(job.idNode), secrets: [...new Set([...inherited, ...secretsIn(wf.source.text, [job.node])])].sort(),
    inheritsSecrets: job.secrets?.inherit === true,
  };
  const env = job.environment;
  if (env) {
    const nameNode = isMap(env) ? (env.get('name', true) as Node | undefined) : env;
    if (isScalar(nameNode) && nameNode.value !== null && String(nameNode.value).trim() !== '') {
      const name = String(nameNode.value);
      facts.environment = { name, line: line(nameNode), dynamic: name.includes('${{') };
    }
  }
  const sh = selfHosted(job);
  if (sh) facts.selfHosted = { line: line(sh.node), what: sh.what };
  return facts;
}

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;
const SECRET_REF = /\bsecrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*'([^']+)'\s*\])/g;

/** Names in `secrets.NAME` / `secrets['NAME']` inside `${{ }}` in the text of the given nodes. */
function secretsIn(text: string, nodes: ReadonlyArray<Node | null | undefined>): string[] {
  const names = new Set<string>();
  for (const n of nodes) {
    if (!n?.range) continue;
    const slice = text.slice(n.range[0], n.range[2]);
    for (const expr of slice.matchAll(EXPRESSION)) {
      for (const m of expr[1]!.matchAll(SECRET_REF)) {
        const name = (m[1] ?? m[2] ?? '').toUpperCase();
        if (name && name !== 'GITHUB_TOKEN') names.add(name);
      }
    }
  }
  return [...names];
}
