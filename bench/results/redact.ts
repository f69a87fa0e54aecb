import { redactUrl } from '../../src/config.ts';

const CONNECTION_URL = /postgres(ql)?:\/\/[^\s'"]+/g;

/** Text with any connection URL's password replaced, for messages, logs and reports. */
export function redactText(text: string): string {
  return text.replace(CONNECTION_URL, (url) => redactUrl(url));
}

/** argv with any connection URL's password replaced, for results files and reports. */
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map(redactText);
}
