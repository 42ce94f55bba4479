import { isScalar, type Scalar } from 'yaml';
import type { Diagnostic } from '../../core/finding.js';
import type { CiFile, RepoReader } from '../../audit/platform.js';
import { buildGithubModel, classifyGithubPath, type GithubFile } from '../../platforms/github/load.js';
import type { Job as GhJob, Step as GhStep, Workflow as GhWorkflow, Permissions } from '../../platforms/github/model.js';
import { defaultWorkingDirectory } from '../../platforms/github/workspace.js';
import { persistsCredentials, isCheckoutStep } from '../../platforms/github/checkout.js';
import { shellCommands, commandWords } from '../../shell/words.js';
import { ScalarText } from '../../shell/script.js';
import { buildGitlabModel, originLocation } from '../../platforms/gitlab/parse.js';
import { buildAzureModel, isAzureCandidatePath, isAzureEntryPath, isBareStepsPipeline, isTemplateLikePath, sniffAzureEntry } from '../../platforms/azure/parse.js';
import { buildCircleModel, isEntryPath as isCircleEntryPath } from '../../platforms/circleci/parse.js';
import { allDefinitions } from '../../platforms/circleci/resolve.js';
import { buildBitbucketModel, isBitbucketPath } from '../../platforms/bitbucket/parse.js';
import { nodeLocation, type SourceText } from '../../yaml/load.js';
import { resolveInside } from '../../sources/walk.js';
import type { Collected, CollectedFile } from '../collect.js';
import { dockerfileImages } from './dockerfile.js';
import type { CiActionUse, CiCommand, CiImage, CiJob, CiModel, CiPrivilege, DependabotEntry } from './model.js';
import { dedupePrivileges, publishingVariables, secretPrivilege } from './privileges.js';
import { joinDir } from '../paths.js';

/**
 * The one module that reads the CI platform models for the deps checks, so only this file follows
 * the audit pipeline's internals when they move. It turns each platform's jobs into CiJobs
 * (commands with their working folder and environment, credentials in reach), and collects
 * actions, images (CI and Dockerfile `FROM`) and the Dependabot / Renovate configuration.
 */
type Read = (abs: string) => { text: string } | { skipped: string };

export function buildCiModel(collected: Collected, read: Read): { model: CiModel; diagnostics: Diagnostic[] } {
  const model: CiModel = { jobs: [], images: [], actions: [], ...(collected.renovate && { renovate: collected.renovate }) };
  const diagnostics: Diagnostic[] = [];
  const files: Array<CiFile & { abs: string }> = [];
  for (const f of collected.ci) {
    const r = read(f.abs);
    if ('text' in r) files.push({ path: f.path, repoPath: f.repoPath, text: r.text, abs: f.abs });
  }
  const reader: RepoReader = (repoPath) => {
    const inside = resolveInside(collected.root, `${collected.root}/${repoPath}`);
    if ('error' in inside) return { error: inside.error };
    const known = files.find((f) => f.repoPath === repoPath);
    if (known) return { file: known };
    const r = read(`${collected.root}/${repoPath}`);
    return 'text' in r ? { file: { path: repoPath, repoPath, text: r.text } } : { error: r.skipped };
  };
  github(files, model);
  gitlab(files.filter((f) => isGitlabEntryPath(f.repoPath)), reader, model);
  // The same entries the audit takes (src/audit/pipeline.ts): by name, or at a pipelines folder by content.
  azure(
    files.filter((f) => isAzureEntryPath(f.repoPath) || (isAzureCandidatePath(f.repoPath) && sniffAzureEntry(f.text) && !(isBareStepsPipeline(f.text) && isTemplateLikePath(f.repoPath)))),
    reader,
    model,
  );
  circleci(files.filter((f) => isCircleEntryPath(f.repoPath)), reader, model);
  bitbucket(files.filter((f) => isBitbucketPath(f.repoPath)), reader, model);
  for (const d of collected.dockerfiles) dockerfile(d, read, model);
  return { model, diagnostics };
}

/** `.gitlab-ci.yml` in any folder, as the audit finds GitLab pipelines. */
function isGitlabEntryPath(repoPath: string): boolean {
  return /(?:^|\/)\.gitlab-ci\.ya?ml$/.test(repoPath);
}

// ---------------------------------------------------------------------------------------------
// Shared: shell commands of a script scalar, with `cd` followed

function scriptCommands(source: SourceText, scalar: Scalar, cwd: string, env: string[]): CiCommand[] {
  const value = typeof scalar.value === 'string' ? scalar.value : String(scalar.value ?? '');
  const text = new ScalarText(source, scalar);
  const out: CiCommand[] = [];
  let dir = cwd;
  for (const cmd of shellCommands(value)) {
    const words = commandWords(cmd.words);
    if (words.length === 0) continue;
    if (words[0] === 'cd' && cmd.after !== 'subshell') {
      dir = joinDir(dir, words[1]);
      continue;
    }
    const length = cmd.words.join(' ').length;
    out.push({ words, location: text.location(cmd.start, cmd.start + length), cwd: dir, env });
  }
  return out;
}


function isTruthy(text: string | undefined): boolean {
  return text !== undefined && !/^(?:false|0|no|off|)$/i.test(text.trim());
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions

function github(files: Array<CiFile & { abs: string }>, model: CiModel): void {
  const gh: GithubFile[] = [];
  for (const f of files) {
    const kind = classifyGithubPath(f.repoPath);
    if (kind) gh.push({ path: f.path, repoPath: f.repoPath, text: f.text, kind });
  }
  if (gh.length === 0) return;
  const { model: m } = buildGithubModel(gh);
  for (const wf of m.workflows) {
    for (const job of wf.jobs) {
      model.jobs.push(githubJob(wf, job));
      if (job.uses?.kind === 'repo') model.actions.push(actionUse(wf.source, job.uses));
      if (job.container?.image) model.images.push(image('github', wf.source, job.container.image, `container of job "${job.id}"`));
      for (const s of job.services) if (s.container.image) model.images.push(image('github', wf.source, s.container.image, `service "${s.name}" of job "${job.id}"`));
      for (const step of job.steps) githubStepRefs(wf.source, step, `job "${job.id}"`, model);
    }
  }
  for (const action of m.actions) {
    for (const step of action.steps) githubStepRefs(action.source, step, `action ${action.dir || '.'}`, model);
    if (action.image) {
      const ref = String(action.image.value ?? '');
      if (ref.startsWith('docker://')) model.images.push({ ...image('github', action.source, action.image, `image of action ${action.dir || '.'}`), ref: ref.slice(9) });
    }
  }
  if (m.dependabot.length > 0) {
    const entries: DependabotEntry[] = [];
    for (const d of m.dependabot) for (const u of d.updates) if (u.ecosystem) entries.push({ ecosystem: u.ecosystem, directory: u.directory ?? '/' });
    model.dependabot = entries;
    const d = m.dependabot[0]!;
    const updates = d.root.items.find((p) => isScalar(p.key) && p.key.value === 'updates');
    model.dependabotAt = nodeLocation(d.source, (updates?.key as Scalar | undefined) ?? d.root);
  }
}

function githubStepRefs(source: SourceText, step: GhStep, where: string, model: CiModel): void {
  if (step.uses?.kind === 'repo') model.actions.push(actionUse(source, step.uses));
  if (step.uses?.kind === 'docker') model.images.push({ platform: 'github', ref: step.uses.image, location: nodeLocation(source, step.uses.node), context: `step "${step.label}" of ${where}` });
}

function actionUse(source: SourceText, uses: Extract<GhStep['uses'], { kind: 'repo' }>): CiActionUse {
  const location = nodeLocation(source, uses.node);
  const lineText = source.text.split('\n')[location.endLine - 1] ?? '';
  const comment = /#\s*(?:tag[:=]?\s*)?(v?\d+(?:\.\d+){0,2}\b)/.exec(lineText.slice(lineText.indexOf('#')));
  return {
    repo: `${uses.owner}/${uses.repo}`,
    path: uses.path,
    ref: uses.ref,
    ...(lineText.includes('#') && comment && { commentVersion: comment[1] }),
    location,
  };
}

function image(platform: CiImage['platform'], source: SourceText, scalar: Scalar, context: string): CiImage {
  return { platform, ref: String(scalar.value ?? '').trim(), location: nodeLocation(source, scalar), context };
}

function githubJob(wf: GhWorkflow, job: GhJob): CiJob {
  const source = wf.source;
  const jobText = job.node.range ? source.text.slice(job.node.range[0], job.node.range[1]) : '';
  const privileges: CiPrivilege[] = [];
  const env = (entries: Array<{ key: string; text?: string }>): string[] => entries.filter((e) => isTruthy(e.text)).map((e) => e.key);
  const wfEnvText = wf.env.map((e) => e.text ?? '').join('\n');
  for (const m of `${jobText}\n${wfEnvText}`.matchAll(/\bsecrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\])/g)) {
    const name = m[1] ?? m[2]!;
    if (name === 'GITHUB_TOKEN') continue; // judged by its permissions below
    privileges.push(secretPrivilege(name));
  }
  if (job.secrets?.inherit) privileges.push({ kind: 'publish', name: 'secrets: inherit (every repository secret)' });
  const perms = job.permissions ?? wf.permissions;
  const writes = writeScopes(perms);
  if (writes.oidc) privileges.push({ kind: 'oidc', name: 'id-token: write' });
  // The token reaches installed code through the credentials actions/checkout persists in .git/config, or an explicit reference.
  const tokenReachable = job.steps.some((s) => isCheckoutStep(s) && persistsCredentials(s) !== 'no') || /\b(?:secrets\.GITHUB_TOKEN|github\.token)\b/.test(jobText);
  if (writes.scopes.length > 0 && tokenReachable) privileges.push({ kind: 'write-token', name: `GITHUB_TOKEN (${writes.scopes.join(', ')})` });
  const baseDir = (defaultWorkingDirectory(wf, job) ?? '').replace(/^\.\/?/, '');
  const commands: CiCommand[] = [];
  for (const step of job.steps) {
    if (!step.run) continue;
    const dir = joinDir(baseDir, step.workingDirectory?.replace(/^\.\/?/, ''));
    commands.push(...scriptCommands(source, step.run, dir, [...env(wf.env), ...env(job.env), ...env(step.env)]));
  }
  return { platform: 'github', file: source.path, name: job.id, location: nodeLocation(source, job.idNode), privileges: dedupePrivileges(privileges), commands };
}

function writeScopes(p: Permissions | undefined): { scopes: string[]; oidc: boolean } {
  if (!p) return { scopes: [], oidc: false };
  if (p.kind === 'write-all') return { scopes: ['write-all'], oidc: true };
  if (p.kind !== 'scopes') return { scopes: [], oidc: false };
  const scopes: string[] = [];
  let oidc = false;
  for (const [name, s] of p.scopes) {
    if (s.level !== 'write') continue;
    if (name === 'id-token') oidc = true;
    else scopes.push(`${name}: write`);
  }
  return { scopes, oidc };
}

// ---------------------------------------------------------------------------------------------
// GitLab CI

function gitlab(entries: CiFile[], read: RepoReader, model: CiModel): void {
  if (entries.length === 0) return;
  const { model: m } = buildGitlabModel(entries, read);
  for (const pipeline of m.pipelines) {
    for (const job of pipeline.jobs) {
      const file = job.keyAt.file.source.path;
      if (job.image) model.images.push({ platform: 'gitlab', ref: String(job.image.name.value ?? ''), location: originLocation(job.image.name.at), context: `image of job "${job.name}"` });
      for (const s of job.services) model.images.push({ platform: 'gitlab', ref: String(s.name.value ?? ''), location: originLocation(s.name.at), context: `service of job "${job.name}"` });
      const env = job.variables.filter((v) => isTruthy(v.value ? String(v.value.value) : undefined)).map((v) => v.name);
      const commands: CiCommand[] = [];
      const privileges: CiPrivilege[] = [];
      for (const line of job.scripts) {
        commands.push(...scriptCommands(line.value.at.file.source, line.value.scalar, '', env));
        for (const name of publishingVariables(String(line.value.value))) privileges.push({ kind: 'publish', name });
      }
      if (job.idTokens) privileges.push({ kind: 'oidc', name: 'id_tokens' });
      for (const name of job.secrets?.entries.keys() ?? []) privileges.push(secretPrivilege(name));
      model.jobs.push({ platform: 'gitlab', file, name: job.name, location: originLocation(job.keyAt), privileges: dedupePrivileges(privileges), commands });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Pipelines

const AZURE_PUBLISH_TASKS = /^(?:npmAuthenticate|TwineAuthenticate|NuGetAuthenticate|PipAuthenticate|MavenAuthenticate|Docker|DotNetCoreCLI|NuGetCommand|Npm|AzureCLI|AzurePowerShell|AzureWebApp|AzureRmWebAppDeployment|GitHubRelease)$/i;

function azure(entries: CiFile[], read: RepoReader, model: CiModel): void {
  if (entries.length === 0) return;
  const { model: m } = buildAzureModel(entries, (p) => read(p));
  for (const pipeline of m.pipelines) {
    for (const r of pipeline.containers) if (r.image) model.images.push(image('azure', r.ctx.source, r.image, `container resource "${r.alias}"`));
    for (const stage of pipeline.stages) {
      for (const job of stage.jobs) {
        if (job.container) {
          const ref = String(job.container.value ?? '');
          if (!pipeline.containers.some((c) => c.alias === ref)) model.images.push(image('azure', job.ctx.source, job.container, `container of job "${job.id}"`));
        }
        const privileges: CiPrivilege[] = [];
        const commands: CiCommand[] = [];
        for (const step of job.steps) {
          const env = step.env.filter((e) => isTruthy(e.text)).map((e) => e.key);
          if (step.script) {
            commands.push(...scriptCommands(step.ctx.source, step.script, '', env));
            for (const name of publishingVariables(String(step.script.value ?? ''))) privileges.push({ kind: 'publish', name });
          }
          for (const e of step.env) for (const name of publishingVariables(e.text ?? '')) privileges.push({ kind: 'publish', name });
          if (step.task && AZURE_PUBLISH_TASKS.test(step.task.name)) privileges.push({ kind: 'publish', name: `task ${step.task.raw}` });
          if (step.env.some((e) => /System\.AccessToken/i.test(e.text ?? ''))) privileges.push({ kind: 'write-token', name: 'System.AccessToken' });
        }
        model.jobs.push({ platform: 'azure', file: job.ctx.source.path, name: job.id, location: nodeLocation(job.ctx.source, job.node), privileges: dedupePrivileges(privileges), commands });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// CircleCI

function circleci(entries: CiFile[], read: RepoReader, model: CiModel): void {
  if (entries.length === 0) return;
  const { model: m } = buildCircleModel(entries, read);
  for (const file of m.files) {
    const contexts = new Map<string, string[]>();
    for (const wf of file.workflows) for (const j of wf.jobs) contexts.set(j.ref, [...(contexts.get(j.ref) ?? []), ...j.contexts.map((c) => String(c.value ?? ''))]);
    for (const defs of allDefinitions(file)) {
      for (const ex of [...defs.executors, ...defs.jobs]) {
        for (const img of ex.images) if (img.image) model.images.push(image('circleci', file.source, img.image, `${ex.kind} "${ex.name}"`));
      }
      for (const job of defs.jobs) {
        const env = job.environment.map((e) => e.key);
        const privileges: CiPrivilege[] = (contexts.get(job.name) ?? []).map((c) => secretPrivilege(`context ${c}`));
        const commands: CiCommand[] = [];
        for (const step of job.steps) {
          if (step.type !== 'run' || !step.command) continue;
          commands.push(...scriptCommands(file.source, step.command, '', [...env, ...step.environment.map((e) => e.key)]));
          for (const name of publishingVariables(String(step.command.value ?? ''))) privileges.push({ kind: 'publish', name });
        }
        model.jobs.push({ platform: 'circleci', file: file.source.path, name: job.name, location: nodeLocation(file.source, job.nameNode), privileges: dedupePrivileges(privileges), commands });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Bitbucket Pipelines

function bitbucket(entries: CiFile[], read: RepoReader, model: CiModel): void {
  if (entries.length === 0) return;
  const { model: m } = buildBitbucketModel(entries, read);
  for (const file of m.files) {
    if (file.image?.nameNode) model.images.push(image('bitbucket', file.source, file.image.nameNode, 'default image'));
    for (const s of file.services) if (s.image?.nameNode) model.images.push(image('bitbucket', file.source, s.image.nameNode, `service "${s.name}"`));
    for (const pipeline of file.pipelines) {
      pipeline.steps.forEach((step) => {
        if (step.image?.nameNode) model.images.push(image('bitbucket', step.source, step.image.nameNode, `step "${step.label}"`));
        const privileges: CiPrivilege[] = [];
        const commands: CiCommand[] = [];
        for (const item of [...step.script, ...step.afterScript]) {
          if (item.kind === 'pipe') {
            if (/publish|deploy|release|push/i.test(item.ref)) privileges.push({ kind: 'publish', name: `pipe ${item.ref}` });
            continue;
          }
          commands.push(...scriptCommands(step.source, item.scalar, '', []));
          for (const name of publishingVariables(item.text)) privileges.push({ kind: 'publish', name });
        }
        if (step.deployment) privileges.push({ kind: 'secret', name: `deployment ${step.deployment.name} variables` });
        if (step.oidc && isTruthy(String(step.oidc.value))) privileges.push({ kind: 'oidc', name: 'oidc: true' });
        model.jobs.push({ platform: 'bitbucket', file: step.source.path, name: step.label, location: nodeLocation(step.source, step.nameNode ?? step.node), privileges: dedupePrivileges(privileges), commands });
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Dockerfiles

function dockerfile(f: CollectedFile, read: Read, model: CiModel): void {
  const r = read(f.abs);
  if (!('text' in r)) return;
  for (const from of dockerfileImages(f.path, r.text)) model.images.push({ platform: 'docker', ref: from.image!, location: from.location, context: 'FROM' });
}

