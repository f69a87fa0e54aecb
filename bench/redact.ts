import { redactUrl } from '../src/config.ts';

/** argv with any connection URL's password replaced, for results files and reports. */
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map((arg) => arg.replace(/postgres(ql)?:\/\/[^\s'"]+/g, (url) => redactUrl(url)));
}
