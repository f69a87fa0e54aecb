import { reapChildren } from '../bench/host/children.ts';
import { runCleanups } from '../bench/host/lifecycle.ts';
import { redactText } from '../bench/results/redact.ts';
import { isHarnessError } from '../shared/harness-errors.ts';
import { EXIT } from './command.ts';
import { COMMANDS } from './commands/index.ts';

async function usage(): Promise<string> {
  const lines = ['Usage: jobbench <command> [options]', '', 'Commands:'];
  for (const load of Object.values(COMMANDS)) {
    const cmd = await load();
    lines.push(`  ${cmd.name.padEnd(10)} ${cmd.summary}`);
  }
  lines.push('', 'Run `jobbench <command> --help` for the options of a command.');
  lines.push('Exit codes: 0 ok, 1 a gate or SLO failed, 2 bad input or an invalid run.');
  return lines.join('\n');
}

/** Runs the CLI and returns the exit code; never calls process.exit so that cleanup can finish. */
export async function main(argv: string[]): Promise<number> {
  // What a jobbench killed with kill -9 left running (PgBouncer, Toxiproxy, load tools): stopped first.
  for (const left of reapChildren()) process.stderr.write(`jobbench: stopped ${left}, left by a killed jobbench\n`);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await usage()) + '\n');
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`jobbench: JOBBENCH_CLI_ERR_USAGE: unknown command "${name}"\n\n${await usage()}\n`);
    return EXIT.badInput;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(cmd.help.trimEnd() + '\n');
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    // A catalogued error is the user's to fix: one line (no stack), its exit code. Anything else is a bug.
    if (!isHarnessError(err)) throw err;
    const label = cmd.subcommands?.includes(rest[0] ?? '') ? `${name} ${rest[0]}` : name;
    const hint =
      err.code === 'JOBBENCH_CLI_ERR_USAGE' || err.code === 'JOBBENCH_CLI_ERR_CONFIG'
        ? `\nRun \`jobbench ${name} --help\` for usage.`
        : '';
    // The stable code on the line itself (docs/readme/errors: every code, its exit code and meaning), and
    // with --json also as JSON on stdout, where a script reads the results.
    const message = redactText(err.message);
    process.stderr.write(`jobbench ${label}: ${err.code}: ${message}${hint}\n`);
    if (rest.includes('--json'))
      process.stdout.write(JSON.stringify({ error: { code: err.code, message, exitCode: err.exitCode } }) + '\n');
    return err.exitCode;
  } finally {
    await runCleanups();
  }
}
