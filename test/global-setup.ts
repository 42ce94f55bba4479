import type { TestProject } from 'vitest/node';
import { staleBuild } from './fresh-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why dist/ could not stand for src/ when the run started (test/setup.ts fails end-to-end files on it), or null. */
    staleBuild: string | null;
    /** When that was judged (ms since the epoch): a dist/cli/main.js written since is this run's own build. */
    buildCheckedAt: number;
  }
}

// Judged once, when the run starts: an edit made while a long run is under way does not fail
// the files that happen to start after it (they test the build the run started with).
// No build here: a run of unit tests alone does not need dist/. The first end-to-end file builds
// it (test/setup.ts).
export default function setup(project: TestProject): void {
  project.provide('buildCheckedAt', Date.now());
  project.provide('staleBuild', staleBuild());
}
