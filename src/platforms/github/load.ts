import { loadYaml, type YamlProblem } from '../../yaml/load.js';
import { YamlView } from '../../yaml/nodes.js';
import type { GithubModel } from './model.js';
import { parseAction, parseDependabot, parseWorkflow } from './parse.js';

export type GithubFileKind = 'workflow' | 'action' | 'dependabot';

/** Recognises GitHub files by location and name (how GitHub itself finds them). */
export function classifyGithubPath(rel: string): GithubFileKind | undefined {
  if (/^(?:.*\/)?\.github\/workflows\/[^/]+\.ya?ml$/.test(rel)) return 'workflow';
  if (/^(?:.*\/)?\.github\/dependabot\.ya?ml$/.test(rel)) return 'dependabot';
  if (/(?:^|\/)action\.ya?ml$/.test(rel)) return 'action';
  return undefined;
}

/** For a file named on the command line outside the usual places: guess from its top-level keys. */
export function sniffGithubKind(text: string): GithubFileKind | undefined {
  const loaded = loadYaml('sniff.yml', text);
  if (!loaded.doc) return undefined;
  const y = new YamlView(loaded.doc);
  const keys = new Set(y.pairs(loaded.doc.contents).map((p) => p.key));
  if (keys.has('jobs') && (keys.has('on') || keys.has('true'))) return 'workflow';
  if (keys.has('runs')) return 'action';
  if (keys.has('updates') && keys.has('version')) return 'dependabot';
  return undefined;
}

export interface GithubFile {
  /** Display path (relative to the working directory, posix): what findings show. */
  path: string;
  /** Path relative to the scanned repository root: what `uses: ./x` resolves against. Defaults to `path`. */
  repoPath?: string;
  text: string;
  kind: GithubFileKind;
}

export interface GithubLoadResult {
  model: GithubModel;
  problems: YamlProblem[];
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}

export function buildGithubModel(files: GithubFile[]): GithubLoadResult {
  const model: GithubModel = { workflows: [], actions: [], dependabot: [], actionByDir: new Map(), workflowByPath: new Map() };
  const problems: YamlProblem[] = [];
  for (const f of files) {
    const loaded = loadYaml(f.path, f.text);
    problems.push(...loaded.problems);
    if (!loaded.doc) continue;
    if (f.kind === 'workflow') {
      const r = parseWorkflow(loaded, f.repoPath ?? f.path);
      problems.push(...r.problems);
      if (r.value) {
        model.workflows.push(r.value);
        model.workflowByPath.set(r.value.repoPath, r.value);
      }
    } else if (f.kind === 'action') {
      const r = parseAction(loaded, dirOf(f.repoPath ?? f.path));
      problems.push(...r.problems);
      if (r.value) {
        model.actions.push(r.value);
        model.actionByDir.set(r.value.dir, r.value);
      }
    } else {
      const r = parseDependabot(loaded);
      problems.push(...r.problems);
      if (r.value) model.dependabot.push(r.value);
    }
  }
  return { model, problems };
}
