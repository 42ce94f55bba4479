import { isAlias, isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { Severity } from '../../../core/finding.js';
import type { RawFinding, Rule } from '../../../core/rule.js';
import type { GithubModel, Job, Workflow } from '../../../platforms/github/model.js';
import { callersOfWorkflow } from '../../../platforms/github/callers.js';
import { contextPath } from '../../../platforms/github/expressions/ast.js';
import { findTemplates } from '../../../platforms/github/expressions/extract.js';
import { stepName } from '../../../platforms/github/uses-policy.js';
import type { SourceText } from '../../../yaml/load.js';
import { classifyImage, type ImageClass } from '../../../analysis/images.js';
import { jobSites, loc, related, stepSites } from '../util.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'unpinned-images',
    title: 'Container image not pinned by digest',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const { source, job, workflow } of jobSites(model)) {
      const callee = { model, workflow };
      if (job.container?.image) checkImage(source, job, job.container.image, `container of job "${job.id}"`, `jobs.${job.id}.container`, report, '', callee);
      for (const s of job.services) {
        if (s.container.image) checkImage(source, job, s.container.image, `service "${s.name}" of job "${job.id}"`, `jobs.${job.id}.services.${s.name}`, report, '', callee);
      }
    }
    for (const site of stepSites(model)) {
      const uses = site.step.uses;
      if (uses?.kind !== 'docker') continue;
      const owner = site.action ? `action "${site.action.name ?? (site.action.dir || '.')}"` : `job "${site.job!.id}"`;
      checkImage(site.source, site.job, uses.node, `${stepName(site.step)} of ${owner}`, `${site.route}.uses`, report, 'docker://');
    }
    for (const action of model.actions) {
      if (action.using?.toLowerCase() !== 'docker' || !action.image) continue;
      const text = typeof action.image.value === 'string' ? action.image.value.trim() : '';
      // `image: Dockerfile` builds from the action's own repository; only registry images are pulled.
      if (!text.startsWith('docker://')) continue;
      checkImage(action.source, undefined, action.image, `docker action "${action.name ?? (action.dir || '.')}"`, 'runs.image', report, 'docker://');
    }
  },
};

type Report = (f: RawFinding) => void;

function checkImage(
  source: SourceText, job: Job | undefined, node: Scalar, who: string, route: string, report: Report, prefix = '', callee?: { model: GithubModel; workflow: Workflow },
): void {
  if (typeof node.value !== 'string') return;
  const text = node.value.trim();
  const image = prefix && text.startsWith(prefix) ? text.slice(prefix.length) : text;
  if (image === '') return;
  if (!image.includes('${{')) {
    reportImage(source, node, image, who, route, report);
    return;
  }
  // `${{ matrix.x }}` (alone or inside the reference) resolves statically when the matrix is
  // written out in the workflow: check each value, and report it where it is written.
  const templates = findTemplates(image);
  const keys = new Set<string>();
  let root: string | undefined;
  for (const t of templates) {
    const path = t.ast ? contextPath(t.ast) : undefined;
    if (!path || path.length !== 2 || (path[0] !== 'matrix' && path[0] !== 'inputs') || (root !== undefined && root !== path[0])) return;
    root = path[0];
    keys.add(path[1]!.toLowerCase());
  }
  if (keys.size !== 1) return;
  const key = [...keys][0]!;
  const substitute = (v: string): string => {
    let resolved = '';
    let last = 0;
    for (const t of templates) {
      resolved += image.slice(last, t.start) + v;
      last = t.end;
    }
    return (resolved + image.slice(last)).trim();
  };
  if (root === 'inputs') {
    if (callee) checkInputImage(callee.model, callee.workflow, key, source, node, substitute, who, route, report);
    return;
  }
  if (!job?.matrix) return;
  const values = staticMatrixValues(job.matrix, key);
  if (!values) return;
  for (const v of values) {
    reportImage(source, v.node, substitute(v.value), `${who} (matrix.${key} = ${v.value})`, `${route}:matrix.${key}=${v.value}`, report, related(source, node, 'the image is built from this matrix value here'));
  }
}

/**
 * `image: ${{ inputs.x }}` in a reusable workflow: the literal values its callers in the
 * repository pass as `with: x` (or the input's literal `default:` for a caller that passes
 * nothing), each judged on its own and reported at the caller's `with:` value, where it is fixed.
 * A value that is itself an expression is not followed further.
 */
function checkInputImage(
  model: GithubModel, wf: Workflow, key: string, source: SourceText, node: Scalar, substitute: (v: string) => string, who: string, route: string, report: Report,
): void {
  const input = wf.inputs.find((i) => i.via === 'workflow_call' && i.name.toLowerCase() === key);
  if (!input) return;
  const def = input.default;
  const seen = new Set<Node>();
  for (const caller of callersOfWorkflow(model, wf.repoPath)) {
    const entry = caller.job.with.find((w) => w.key.toLowerCase() === key);
    const value = entry ? entry.value : def;
    if (!value || !isScalar(value) || seen.has(value) || value.value === null || typeof value.value === 'object') continue;
    seen.add(value);
    const text = String(value.value);
    if (text.includes('${{')) continue;
    const at = entry ? caller.workflow.source : wf.source;
    const by = entry ? `job "${caller.job.id}" of ${caller.workflow.repoPath} passes` : 'the default of';
    reportImage(
      at, value, substitute(text), `${who} of ${wf.repoPath} (inputs.${input.name} = ${text})`, `${wf.repoPath}:${route}:inputs.${key}=${text}`, report,
      related(source, node, `the image is built from input "${input.name}" here; ${by} ${entry ? `"${text}"` : `input "${input.name}" is used`}`),
    );
  }
}

function reportImage(source: SourceText, node: Node, image: string, who: string, route: string, report: Report, rel?: ReturnType<typeof related>): void {
  const c = classifyImage(image);
  if (c.kind === 'digest') return;
  const { what, severity } = describe(c);
  report({
    message: `${who} runs image "${image}", ${what}; pin it by digest (name:tag@sha256:...)`,
    location: loc(source, node),
    severity,
    ...(rel ? { related: [rel] } : {}),
    route: `${route}:${image.toLowerCase()}`,
    properties: { image, pin: c.kind },
  });
}

function describe(c: ImageClass): { what: string; severity: Severity } {
  switch (c.kind) {
    case 'bad-digest':
      return { what: 'whose @digest is not a complete sha256 digest', severity: 'high' };
    case 'no-tag':
      return { what: 'which has no tag and pulls whatever "latest" is at run time', severity: 'high' };
    case 'moving-tag':
      return { what: `whose tag "${c.tag}" is a channel that moves to new builds`, severity: 'high' };
    default:
      return { what: `whose tag "${c.tag}" the publisher can re-point at a different build`, severity: 'medium' };
  }
}

/**
 * The literal values of `strategy.matrix.<key>`, from its list and from `include:` entries;
 * undefined when any value is computed (`${{ fromJSON(...) }}`) or not a scalar.
 */
function staticMatrixValues(matrix: Node, key: string): Array<{ value: string; node: Scalar }> | undefined {
  if (!isMap(matrix)) return undefined;
  const out: Array<{ value: string; node: Scalar }> = [];
  const scalarValue = (n: unknown): { value: string; node: Scalar } | undefined | null => {
    if (isAlias(n)) return null;
    if (!isScalar(n) || n.value === null || typeof n.value === 'object') return null;
    const value = String(n.value);
    return value.includes('${{') ? null : { value, node: n };
  };
  for (const pair of matrix.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (k === key) {
      if (!isSeq(pair.value)) return undefined;
      for (const item of pair.value.items) {
        const v = scalarValue(item);
        if (!v) return undefined;
        out.push(v);
      }
    } else if (k === 'include') {
      if (!isSeq(pair.value)) return undefined;
      for (const entry of pair.value.items) {
        if (!isMap(entry)) return undefined;
        for (const p of entry.items) {
          if (!isScalar(p.key) || String(p.key.value) !== key) continue;
          const v = scalarValue(p.value);
          if (!v) return undefined;
          out.push(v);
        }
      }
    }
  }
  return out.length > 0 ? out : undefined;
}
