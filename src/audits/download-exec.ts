import type { DownloadExec } from '../shell/script.js';

/**
 * Wording shared by every platform's unverified-script-exec rule: the detection (downloadExecs)
 * is shared, so what a finding says about it is too.
 */

/** A URL with a 40-hex commit in its path: the content cannot change under you. */
export const COMMIT_PINNED_URL = /https?:\/\/\S*\/[0-9a-f]{40}\//i;

const ADVICE = 'download it to a file and check a pinned SHA-256 checksum or signature before running it';
const FILE_ADVICE = 'check a pinned SHA-256 checksum (sha256sum -c) or signature before running it';

/** What the script does, e.g. `pipes a script downloaded with curl into sh`. */
export function describeDownloadExec(d: DownloadExec): string {
  switch (d.kind) {
    case 'pipe':
      return `pipes a script downloaded with ${d.downloader} into ${d.interpreter}`;
    case 'process-substitution':
      return `runs a script downloaded with ${d.downloader} through ${d.interpreter} <(...)`;
    case 'command-substitution':
      return `runs the output of ${d.downloader} with ${d.interpreter === 'eval' ? 'eval' : `${d.interpreter} -c`} "$(...)"`;
    case 'powershell':
      return `runs a script downloaded with ${d.downloader} through ${d.interpreter}`;
    case 'file':
      return `runs ${d.file}, downloaded with ${d.downloader},`;
  }
}

/** `<what it does> without verifying it[ (pinned)]; <advice>`: the message after the subject. */
export function unverifiedExecMessage(d: DownloadExec, pinned: boolean): string {
  return `${describeDownloadExec(d)} without verifying it${pinned ? ' (the URL is pinned to a commit)' : ''}; ${d.kind === 'file' ? FILE_ADVICE : ADVICE}`;
}
