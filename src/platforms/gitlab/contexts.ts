import type { Situation } from './conditions.js';

/**
 * Predefined variables whose value someone outside the set of people who may change the
 * pipeline can choose. `high`: free text (titles, descriptions, commit messages, author names),
 * which can hold quotes, `;`, `$( )` and newlines. `medium`: ref names, which git restricts (no
 * spaces, no newlines) but which can still hold `$(...)`, `;`, `|`, backticks and quotes.
 *
 * Not listed, on purpose: CI_COMMIT_REF_SLUG (lower-case letters, digits and `-` only),
 * CI_MERGE_REQUEST_SOURCE_PROJECT_PATH / _URL (GitLab project paths allow only letters, digits,
 * `_`, `-`, `.` and `/`), CI_MERGE_REQUEST_LABELS (only project members set labels), SHAs and ids.
 */
export interface UntrustedVar {
  strength: 'high' | 'medium';
  what: string;
  /** Situations in which GitLab sets it; undefined: every pipeline. */
  only?: readonly Situation[];
}

export const UNTRUSTED_VARS: Record<string, UntrustedVar> = {
  CI_MERGE_REQUEST_TITLE: { strength: 'high', what: 'the merge request title', only: ['merge_request'] },
  CI_MERGE_REQUEST_DESCRIPTION: { strength: 'high', what: 'the merge request description', only: ['merge_request'] },
  CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: { strength: 'medium', what: 'the merge request source branch name', only: ['merge_request'] },
  CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME: { strength: 'medium', what: 'the external pull request source branch name' },
  CI_COMMIT_MESSAGE: { strength: 'high', what: 'the commit message' },
  CI_COMMIT_TITLE: { strength: 'high', what: 'the commit title' },
  CI_COMMIT_DESCRIPTION: { strength: 'high', what: 'the commit description' },
  CI_COMMIT_AUTHOR: { strength: 'high', what: 'the commit author' },
  CI_COMMIT_TAG_MESSAGE: { strength: 'high', what: 'the tag message', only: ['tag'] },
  CI_COMMIT_REF_NAME: { strength: 'medium', what: 'the branch or tag name' },
  CI_COMMIT_BRANCH: { strength: 'medium', what: 'the branch name' },
  CI_COMMIT_TAG: { strength: 'medium', what: 'the tag name', only: ['tag'] },
  GITLAB_USER_NAME: { strength: 'medium', what: 'the display name of the user who started the pipeline' },
};

/** `$(git log -1 --pretty=%B)` and the like: commit text read from the checkout. */
export const GIT_LOG_TEXT = /\$\(\s*git\s+(?:log|show)\b[^)]*%(?:[sbBf]|a[nN]|c[nN])/;
