/**
 * The Action's inputs, read from the environment the runner sets (`INPUT_<NAME>`, name upper-cased,
 * hyphens kept). Nothing here is ever pasted into a shell or a script: values become separate argv
 * elements of the CLI, so an input cannot inject commands.
 */
import { CONFIDENCES, SEVERITIES, type Confidence, type Severity } from '../core/finding.js';

/**
 * Commands the Action runs, with how they take paths. Adding a scanning command to the Action
 * is one line here (and its name in action.yml's `command` description).
 */
export const ACTION_COMMANDS: Record<string, { paths: 'many' | 'one' | 'none' }> = {
  scan: { paths: 'one' },
  audit: { paths: 'many' },
  secrets: { paths: 'one' },
  deps: { paths: 'one' },
  sast: { paths: 'one' },
  posture: { paths: 'none' },
};

export interface ActionInputs {
  command: string;
  paths: string[];
  config?: string;
  failOn: Severity | 'never';
  minConfidence?: Confidence;
  baseline?: string;
  /** `auto` (on for pull requests and merge queues), `true`, `false`, or a git ref to compare with. */
  newOnly: string;
  sarifFile?: string;
  uploadSarif: boolean;
  annotations: boolean;
  online: boolean;
  token?: string;
}

export class InputError extends Error {}

export function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** YAML 1.2 core-schema booleans, like @actions/core's getBooleanInput. */
function booleanInput(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const v = input(env, name);
  if (v === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(v)) return true;
  if (['false', 'False', 'FALSE'].includes(v)) return false;
  throw new InputError(`input "${name}" must be true or false, not ${JSON.stringify(v)}`);
}

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const command = input(env, 'command') || 'scan';
  const shape = Object.hasOwn(ACTION_COMMANDS, command) ? ACTION_COMMANDS[command] : undefined;
  if (!shape) throw new InputError(`input "command" must be one of ${Object.keys(ACTION_COMMANDS).join(', ')}, not ${JSON.stringify(command)}`);
  // One path per line, so a path with spaces needs no quoting.
  const paths = input(env, 'paths').split(/\r?\n/).map((p) => p.trim()).filter((p) => p !== '');
  if (shape.paths === 'one' && paths.length > 1) throw new InputError(`command "${command}" scans one path; got ${paths.length}`);
  if (shape.paths === 'none' && paths.length > 0) throw new InputError(`command "${command}" takes no paths`);
  const failOn = input(env, 'fail-on') || 'high';
  if (failOn !== 'never' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new InputError(`input "fail-on" must be one of ${[...SEVERITIES, 'never'].join(', ')}, not ${JSON.stringify(failOn)}`);
  }
  const minConfidence = input(env, 'min-confidence');
  if (minConfidence && !(CONFIDENCES as readonly string[]).includes(minConfidence)) {
    throw new InputError(`input "min-confidence" must be one of ${CONFIDENCES.join(', ')}, not ${JSON.stringify(minConfidence)}`);
  }
  const newOnly = input(env, 'new-only') || 'auto';
  if (newOnly.startsWith('-')) throw new InputError(`input "new-only" must be auto, true, false or a git ref, not ${JSON.stringify(newOnly)}`);
  return {
    command,
    paths: shape.paths === 'none' ? [] : paths.length > 0 ? paths : ['.'],
    config: input(env, 'config') || undefined,
    failOn: failOn as Severity | 'never',
    minConfidence: (minConfidence || undefined) as Confidence | undefined,
    baseline: input(env, 'baseline') || undefined,
    newOnly,
    sarifFile: input(env, 'sarif-file') || undefined,
    uploadSarif: booleanInput(env, 'upload-sarif', false),
    annotations: booleanInput(env, 'annotations', true),
    online: booleanInput(env, 'online', false),
    token: input(env, 'token') || undefined,
  };
}
