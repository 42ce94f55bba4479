import type { Fix, Severity } from '../../../core/finding.js';
import { RuleOptionsError, type RawFinding, type Rule } from '../../../core/rule.js';
import type { GithubModel, UsesRef } from '../../../platforms/github/model.js';
import type { SourceText } from '../../../yaml/load.js';
import { classifyRef, GITHUB_OWNED, parsePolicyOptions, policyFor, stepName, type PolicyTable } from '../../../platforms/github/uses-policy.js';
import { normalizeLocalPath } from '../../../platforms/github/callers.js';
import { jobSites, loc, stepSites } from '../util.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'unpinned-uses',
    title: 'Action or reusable workflow not pinned to a commit SHA',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-829'],
    fixable: true,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report, options) {
    const { pins: rawPins, ...policyOptions } = options;
    const table = parsePolicyOptions(policyOptions);
    const pins = parsePins(rawPins);
    const own = ownDefinitions(model);
    for (const site of stepSites(model)) {
      const who = `${stepName(site.step)} of ${site.action ? `action "${site.action.name ?? (site.action.dir || '.')}"` : `job "${site.job!.id}"`}`;
      if (site.step.uses) checkUses(site.source, site.step.uses, who, 'uses', `${site.route}.uses`, table, report, pins, own);
    }
    for (const { source, job } of jobSites(model)) {
      if (job.uses) checkUses(source, job.uses, `job "${job.id}"`, 'calls reusable workflow', `jobs.${job.id}.uses`, table, report, pins, own);
    }
  },
};

type Report = (f: RawFinding) => void;

const FIX = 'pin it to a full 40-character commit SHA (keep the version in a trailing comment)';

/**
 * Reusable workflows and actions defined in the scanned repository, by repository path
 * (`.github/workflows/ci.yml`, `.github/actions/setup`).
 */
function ownDefinitions(model: GithubModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const wf of model.workflows) if (wf.triggerNames.has('workflow_call')) out.set(normalizeLocalPath(wf.repoPath), 'reusable workflow');
  for (const a of model.actions) if (a.dir !== '') out.set(normalizeLocalPath(a.dir), 'action');
  return out;
}

function checkUses(source: SourceText, uses: UsesRef, who: string, verb: string, route: string, table: PolicyTable, report: Report, pins: Pins, own: ReadonlyMap<string, string>): void {
  // Local actions and workflows come from the same commit; docker:// images have their own rule.
  if (uses.kind === 'local' || uses.kind === 'docker') return;
  // Expressions are not allowed in `uses:`; GitHub rejects the workflow, so there is nothing to pin.
  if (uses.raw.includes('${{')) return;
  if (uses.kind === 'invalid') {
    const target = uses.raw.trim();
    // Only `owner/repo[/path]` without any @ref: that is an unpinned reference, not a typo elsewhere.
    if (uses.reason !== 'missing @ref' || !/^[^/\s@]+\/[^/\s@]+(\/[^\s@]*)?$/.test(target)) return;
    const [owner, repo, ...rest] = target.split('/');
    if (policyFor(table, owner!, repo!, rest.join('/')).policy === 'any') return;
    report({
      message: `${who} ${verb} ${target} with no @ref, so it is not pinned at all; ${FIX}`,
      location: loc(source, uses.node),
      severity: 'high',
      route: `${route}:${target.toLowerCase()}`,
    });
    return;
  }
  if (uses.pinnedToSha) return;
  // SLSA's generators verify their own identity from the tag they are called at and refuse a
  // SHA: a release tag is the only reference that works, and the one their docs prescribe.
  if (uses.owner.toLowerCase() === 'slsa-framework' && uses.repo.toLowerCase() === 'slsa-github-generator' && /^v\d+\.\d+\.\d+$/.test(uses.ref)) return;
  const { policy, pattern } = policyFor(table, uses.owner, uses.repo, uses.path);
  if (policy !== 'hash-pin') return; // `ref-pin` and `any` accept any @ref
  const kind = classifyRef(uses.ref);
  const target = `${uses.owner}/${uses.repo}${uses.path ? `/${uses.path}` : ''}@${uses.ref}`;
  const why = pattern ? ` (policy "${pattern}": hash-pin)` : '';
  const { what, severity } = describe(kind, uses.owner);
  // `owner/this-repo/.github/workflows/x.yml@main` from this repository: its own code at a ref
  // only its writers move, not a third party's.
  const same = uses.path !== '' ? own.get(normalizeLocalPath(uses.path)) : undefined;
  if (same) {
    report({
      message: `${who} ${verb} ${target}; ${same === 'action' ? 'an action' : 'a reusable workflow'} with this path is defined in this repository, so this is most likely its own code at a moving ref (only people with write access move it); write ./${normalizeLocalPath(uses.path)} (or $/${normalizeLocalPath(uses.path)}) to run the same commit, or pin a SHA`,
      location: loc(source, uses.node),
      severity: 'low',
      confidence: 'medium',
      route: `${route}:${target.toLowerCase()}`,
      properties: { ref: uses.ref, refKind: kind, policy, pinKey: pinKey(uses.owner, uses.repo, uses.ref), sameRepository: true },
      fix: pinFix(source, uses, pins),
    });
    return;
  }
  report({
    message: `${who} ${verb} ${target}, ${what}${why}; ${FIX}`,
    location: loc(source, uses.node),
    severity,
    route: `${route}:${target.toLowerCase()}`,
    properties: { ref: uses.ref, refKind: kind, policy, pinKey: pinKey(uses.owner, uses.repo, uses.ref) },
    fix: pinFix(source, uses, pins),
  });
}

function describe(kind: ReturnType<typeof classifyRef>, owner: string): { what: string; severity: Severity } {
  switch (kind) {
    case 'short-sha':
      return { what: 'an abbreviated SHA that GitHub resolves as a branch or tag name, not as a commit', severity: 'high' };
    case 'version':
      // GitHub-owned tags are just as mutable, but moving them takes a compromise of GitHub itself.
      return { what: 'a tag its owner can move to different code at any time', severity: GITHUB_OWNED.has(owner.toLowerCase()) ? 'low' : 'medium' };
    default:
      return { what: 'a branch-like ref whose code changes with every push', severity: 'high' };
  }
}

/**
 * Known commit SHAs of refs, `owner/repo@ref` → 40-hex SHA. Not a user setting: `pipewarden fix`
 * fills it from a `--pins` lock file (or online lookups) so the rule can offer the exact edit.
 */
type Pins = ReadonlyMap<string, string>;

/** Owner and repository names are case-insensitive on GitHub; refs are not. */
export function pinKey(owner: string, repo: string, ref: string): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}@${ref}`;
}

function parsePins(raw: unknown): Pins {
  const out = new Map<string, string>();
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new RuleOptionsError('option "pins" must be a mapping of owner/repo@ref to a commit SHA');
  for (const [key, sha] of Object.entries(raw as Record<string, unknown>)) {
    const m = /^([^/\s@]+)\/([^/\s@]+)@(\S+)$/.exec(key);
    if (!m || typeof sha !== 'string' || !/^[0-9a-f]{40}$/i.test(sha)) throw new RuleOptionsError(`pin "${key}" must map owner/repo@ref to a 40-character commit SHA`);
    out.set(pinKey(m[1]!, m[2]!, m[3]!), sha.toLowerCase());
  }
  return out;
}

/** `owner/repo@v4` → `owner/repo@<sha> # v4`, keeping any comment already on the line after it. */
function pinFix(source: SourceText, uses: UsesRef & { kind: 'repo' }, pins: Pins): Fix | undefined {
  const sha = pins.get(pinKey(uses.owner, uses.repo, uses.ref));
  const range = uses.node.range;
  if (!sha || !range) return undefined;
  const text = source.text;
  const raw = text.slice(range[0], range[1]);
  const at = raw.lastIndexOf(`@${uses.ref}`);
  if (at === -1) return undefined;
  const refStart = range[0] + at + 1;
  const refEnd = refStart + uses.ref.length;
  // The rest of the line after the scalar: an existing comment keeps its text after the version.
  const eol = text.indexOf('\n', range[1]);
  const rest = text.slice(range[1], eol === -1 ? text.length : eol).replace(/\r$/, '');
  const comment = /^(\s*)#\s?(.*)$/.exec(rest);
  const ver = uses.ref.replace(/[\r\n#]/g, '');
  const edits = [{ file: source.path, start: refStart, end: refEnd, replacement: sha }];
  if (comment) {
    const cStart = range[1] + comment[1]!.length;
    const old = comment[2]!.trim();
    // Already `# v4`: nothing to add.
    if (old !== ver && !old.startsWith(`${ver} `)) edits.push({ file: source.path, start: cStart, end: range[1] + rest.length, replacement: `# ${ver}${old ? ` - ${old}` : ''}` });
  } else if (!uses.node.type?.startsWith('BLOCK')) {
    edits.push({ file: source.path, start: range[1], end: range[1], replacement: ` # ${ver}` });
  }
  // The model must change in this `uses:` value only, and to exactly the pinned reference.
  const value = String(uses.node.value);
  const refAt = value.lastIndexOf(`@${uses.ref}`);
  const pinned = refAt === -1 ? undefined : `${value.slice(0, refAt)}@${sha}${value.slice(refAt + 1 + uses.ref.length)}`;
  return { description: `pin ${uses.owner}/${uses.repo}@${uses.ref} to commit ${sha}`, safety: 'safe', edits, intents: [{ at: range[0], ...(pinned !== undefined && { value: pinned }) }] };
}
