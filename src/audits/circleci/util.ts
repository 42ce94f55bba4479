import type { Node } from 'yaml';
import type { Location, RelatedLocation } from '../../core/finding.js';
import type { RawFinding } from '../../core/rule.js';
import { nodeLocation } from '../../yaml/load.js';
import type { CircleFile, RunStep } from '../../platforms/circleci/model.js';
import type { Dialect } from '../../shell/script.js';

export type Report = (finding: RawFinding) => void;

export function loc(file: CircleFile, node: Node | null | undefined): Location {
  return nodeLocation(file.source, node);
}

export function related(file: CircleFile, node: Node | null | undefined, message: string): RelatedLocation {
  return { ...nodeLocation(file.source, node), message };
}

/** `run step "Build"` or `run step 3`. */
export function runLabel(step: RunStep): string {
  return step.name !== undefined ? `run step "${step.name}"` : `run step ${step.index + 1}`;
}

/** The shell a run step uses: `shell:` on the step, else bash (CircleCI's default on Linux and macOS). */
export function dialectOfRun(step: RunStep, jobShell?: string): Dialect {
  const shell = (step.shell?.value !== undefined ? String(step.shell.value) : jobShell ?? '/bin/bash').trim().toLowerCase();
  const exe = shell.split(/\s+/)[0]!.replace(/^.*[\\/]/, '').replace(/\.exe$/, '');
  if (/^(?:ba|z|da|k|fi)?sh$/.test(exe)) return 'bash';
  if (exe === 'pwsh' || exe === 'powershell') return 'pwsh';
  if (exe === 'cmd') return 'cmd';
  return 'other';
}
