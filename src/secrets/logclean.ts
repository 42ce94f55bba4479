/**
 * CI logs carry decoration that splits or hides tokens: GitHub Actions prefixes every line with
 * a timestamp, GitLab wraps sections in `section_start:...` markers, and both keep ANSI colour
 * codes (an escape in the middle of a token would break every detector).
 */
const GITHUB_TIMESTAMP = /^\uFEFF?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?/;
// CSI sequences, OSC sequences (terminated by BEL or ST) and two-character escapes.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g;
const GITLAB_SECTION = /section_(?:start|end):\d+:[A-Za-z0-9_.-]+(?:\[[^\]\r\n]*\])?\r?/g;

export function cleanLogLine(line: string): string {
  let l = line.replace(GITHUB_TIMESTAMP, '');
  if (l.includes('\x1b')) l = l.replace(ANSI, '');
  if (l.includes('section_')) l = l.replace(GITLAB_SECTION, '');
  // A lone CR redraws the terminal line; every segment was still printed, so keep them all.
  if (l.includes('\r')) l = l.replace(/\r+$/, '').replace(/\r/g, ' ');
  return l;
}
