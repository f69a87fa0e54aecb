import { dirname, join } from 'node:path';

/**
 * How jobbench may stop and start a PostgreSQL it did not start (`--allow-db-restart`), decided from
 * facts gathered over SQL and from this machine (bench/db/external-facts.ts). Pure: every refusal is a
 * reason a user can act on, and the table-driven test covers each one.
 */

/** What the server says about itself (SQL) and what this machine says about its data directory. */
export interface ServerFacts {
  serverAddr: string | null; // inet_server_addr(): null over a Unix socket
  dataDirectory: string | null; // SHOW data_directory; null: not readable (not a superuser)
  clusterName: string; // SHOW cluster_name: "15/main" on Debian, often empty elsewhere
  versionNum: number; // server_version_num, e.g. 150020
  port: number;
  uid: number; // this process's uid
  dataDirOwner: { uid: number; name: string } | null; // null: no such directory on this machine
  postmaster: { pid: number; port: number; exe: string | null } | null; // <data dir>/postmaster.pid, its binary
  postmasterOptions: string[]; // <data dir>/postmaster.opts, without the binary and its -D
  pgCtlCluster: string | null; // path of pg_ctlcluster when it and /etc/postgresql/<ver>/<name> exist
  pgCtlOnPath: { path: string; major: number } | null; // pg_ctl on PATH, with its major version
  exists: (path: string) => boolean;
}

export interface Command {
  file: string;
  args: string[];
}

/** What will stop and start the server; `controller` is recorded with every db-restart fault event. */
export interface ExternalControl {
  controller: string; // e.g. "pg_ctlcluster 15 main", "pg_ctl -D /srv/pg (as postgres)"
  stop: Command;
  start: Command;
}

const START_WAIT_S = 60; // pg_ctl -w budget; the caller then waits for a connection too

export function isLoopback(addr: string | null): boolean {
  if (addr === null) return true; // a Unix socket: the server is on this machine
  return /^127\./.test(addr) || addr === '::1' || /^::ffff:127\./.test(addr);
}

/** Quotes one argument for the shell that pg_ctl runs postgres with (its -o string). */
const shellQuote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/** As root, pg_ctl runs as the data directory's owner (postgres refuses to run as root). */
function asOwner(file: string, args: string[], facts: ServerFacts): Command {
  return facts.uid === 0 && facts.dataDirOwner!.uid !== 0
    ? { file: 'runuser', args: ['-u', facts.dataDirOwner!.name, '--', file, ...args] }
    : { file, args };
}

/** The pg_ctl of the running server's own binaries, else one on PATH of the same major version. */
function findPgCtl(facts: ServerFacts): string | null {
  const major = Math.floor(facts.versionNum / 10_000);
  const candidates = [
    facts.postmaster?.exe ? join(dirname(facts.postmaster.exe), 'pg_ctl') : null,
    `/usr/lib/postgresql/${major}/bin/pg_ctl`,
  ];
  const own = candidates.find((c) => c !== null && facts.exists(c));
  if (own) return own;
  return facts.pgCtlOnPath?.major === major ? facts.pgCtlOnPath.path : null;
}

/** The way to control this server, or the reason jobbench may not (one line, no secret). */
export function planControl(facts: ServerFacts, logFile: string): ExternalControl | { refused: string } {
  if (!isLoopback(facts.serverAddr))
    return {
      refused: `the server is not on a loopback address (it answers at ${facts.serverAddr}); jobbench restarts only a PostgreSQL on this machine`,
    };
  if (facts.dataDirectory === null)
    return {
      refused:
        'its data directory is unreadable (SHOW data_directory needs a superuser or pg_read_all_settings): connect as a superuser',
    };
  if (!facts.dataDirOwner || !facts.postmaster || facts.postmaster.port !== facts.port)
    return {
      refused: `its data directory ${facts.dataDirectory} is not that of a server running on this machine at port ${facts.port} (in a container, or another host behind a forwarded port?)`,
    };
  if (facts.uid !== 0 && facts.uid !== facts.dataDirOwner.uid)
    return {
      refused: `jobbench runs as uid ${facts.uid} but the data directory belongs to ${facts.dataDirOwner.name}: run it as root or as ${facts.dataDirOwner.name}`,
    };
  const debian = /^(\d+)\/(.+)$/.exec(facts.clusterName);
  if (debian && facts.pgCtlCluster) {
    // --skip-systemctl-redirect: as root, pg_ctlcluster would otherwise hand the action to systemctl,
    // which is absent in containers and would mark a systemd unit failed anyway.
    const base = [facts.pgCtlCluster, '--skip-systemctl-redirect'];
    const [ver, name] = [debian[1]!, debian[2]!];
    return {
      controller: `pg_ctlcluster ${ver} ${name}`,
      stop: { file: base[0]!, args: [...base.slice(1), '-m', 'fast', ver, name, 'stop'] },
      start: { file: base[0]!, args: [...base.slice(1), ver, name, 'start'] },
    };
  }
  const pgCtl = findPgCtl(facts);
  if (!pgCtl)
    return {
      refused: `no pg_ctl of PostgreSQL ${Math.floor(facts.versionNum / 10_000)} found (beside the server's binary, in /usr/lib/postgresql, or on PATH), and no pg_ctlcluster for cluster "${facts.clusterName}"`,
    };
  const dir = facts.dataDirectory;
  // The server's own start-up options (postmaster.opts: config_file, port, -c …) so that it comes back as it was.
  const opts = facts.postmasterOptions.length ? ['-o', facts.postmasterOptions.map(shellQuote).join(' ')] : [];
  const owner = facts.dataDirOwner.name;
  return {
    controller: `pg_ctl -D ${dir}${facts.uid === 0 && facts.dataDirOwner.uid !== 0 ? ` (as ${owner})` : ''}`,
    stop: asOwner(pgCtl, ['-D', dir, '-m', 'fast', '-w', 'stop'], facts),
    start: asOwner(pgCtl, ['-D', dir, '-w', '-t', String(START_WAIT_S), '-l', logFile, ...opts, 'start'], facts),
  };
}

/** postmaster.opts ("/usr/lib/…/postgres" "-D" "/data" "-c" "config_file=…") without the binary and its -D. */
export function parsePostmasterOpts(text: string): string[] {
  const items = [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    if (items[i] === '-D') i++;
    else if (!items[i]!.startsWith('-D')) out.push(items[i]!);
  }
  return out;
}
